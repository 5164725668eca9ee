"""One definition of a confirmed sale order's day and amount.

Actuals, the lifecycle classification and the allocation history all count an
order on its day in its company's time zone (an order placed at 23:30 in
Shanghai on 31 March belongs to March and the first quarter everywhere) and at
its untaxed amount in company currency (at the order's own rate).
"""

from odoo.tools import SQL


def company_tz_join(companies, order="so", alias="tz"):
    """JOIN of the companies' time zones, to be placed after ``sale_order``'s
    alias ``order``: ``alias.tz`` is then the order company's time zone."""
    values = SQL(", ").join(
        SQL("(%s, %s)", company.id, company.partner_id.tz or "UTC")
        for company in companies
    )
    return SQL(
        "JOIN (VALUES %s) AS %s(company_id, tz) ON %s = %s",
        values,
        SQL.identifier(alias),
        SQL.identifier(alias, "company_id"),
        SQL.identifier(order, "company_id"),
    )


def local_day(order="so", tz="tz"):
    """The order's date in its company's time zone (see ``company_tz_join``)."""
    return SQL(
        "(%s AT TIME ZONE 'UTC' AT TIME ZONE %s)::date",
        SQL.identifier(order, "date_order"),
        SQL.identifier(tz, "tz"),
    )


def company_amount(order="so"):
    """The order's untaxed amount in company currency, at the order's rate."""
    return SQL(
        "%s / COALESCE(NULLIF(%s, 0), 1)",
        SQL.identifier(order, "amount_untaxed"),
        SQL.identifier(order, "currency_rate"),
    )
