"""SQL gathering what the forecast starts from, as known at the end of a day.

Every query takes ``as_of``: the live forecast passes today, the backtest each
past month's eve, and then sees only what was known that day: orders confirmed
by then, invoices posted by then and the payments reconciled by then, and each
opportunity in the stage and at the expected revenue it had then (read back from
the tracking values of its chatter). Rows are plain tuples; ``tools.forecast``
does the rest.
"""

from datetime import datetime, time, timedelta

from odoo.tools import SQL

from .actuals import cash_partials
from .orders import company_amount, company_tz_join, local_day


def _owners(owners, user, team):
    """Keep the documents of ``owners`` ({"users": ids, "teams": ids}, from
    ``models.forecast_data.owner_filter``): those of one of the salespeople or
    of one of the teams; all when ``owners`` is None."""
    if owners is None:
        return SQL("TRUE")
    return SQL(
        "(%s IN %s OR %s IN %s)",
        SQL(user),
        owners["users"],
        SQL(team),
        owners["teams"],
    )


def _stop(as_of):
    """The first instant after ``as_of`` (UTC), for datetime columns."""
    return datetime.combine(as_of + timedelta(days=1), time())


def _tracked(field_id, column, as_of, kind):
    """The value ``column`` of a lead had at ``as_of``: the old value of its first
    tracked change after that, else its value now."""
    return SQL(
        """COALESCE((SELECT tv.%(old)s
                       FROM mail_tracking_value tv
                       JOIN mail_message mm ON mm.id = tv.mail_message_id
                      WHERE mm.model = 'crm.lead' AND mm.res_id = l.id
                        AND tv.field_id = %(field)s AND mm.date >= %(stop)s
                      ORDER BY mm.date, mm.id LIMIT 1), %(column)s)""",
        old=SQL.identifier(f"old_value_{kind}"),
        field=field_id,
        stop=_stop(as_of),
        column=column,
    )


def opportunities_query(companies, as_of, stage_field, revenue_field, owners=None):
    """Opportunities open at the end of ``as_of``: (id, company, user, team, stage
    sequence, nominal probability, expected closing day, creation day, expected
    revenue, commercial partner, whether that partner had a confirmed order).

    Open then: created by then, and not closed by then (won or lost later, or
    still open). An opportunity closed since counts at 50 % when no rate can be
    calibrated (its own probability is now 0 or 100).
    """
    stop = _stop(as_of)
    return SQL(
        """
        SELECT l.id, l.company_id, l.user_id, l.team_id,
               COALESCE(st.sequence, 0),
               CASE WHEN l.date_closed IS NULL THEN l.probability ELSE 50 END,
               l.date_deadline, (l.create_date AT TIME ZONE 'UTC')::date,
               %(revenue)s, p.commercial_partner_id,
               EXISTS (SELECT 1 FROM sale_order so
                         JOIN res_partner sp ON sp.id = so.partner_id
                        WHERE so.state = 'sale' AND so.company_id = l.company_id
                          AND sp.commercial_partner_id = p.commercial_partner_id
                          AND so.date_order < %(stop)s)
          FROM crm_lead l
          LEFT JOIN res_partner p ON p.id = l.partner_id
          LEFT JOIN crm_stage st ON st.id = %(stage)s
         WHERE l.type = 'opportunity'
           AND l.company_id IN %(companies)s
           AND %(owners)s
           AND l.create_date < %(stop)s
           AND (l.date_closed >= %(stop)s
                OR (l.date_closed IS NULL AND l.active
                    AND NOT COALESCE(st.is_won, FALSE)))
        """,
        revenue=_tracked(revenue_field, SQL("l.expected_revenue"), as_of, "float"),
        stage=_tracked(stage_field, SQL("l.stage_id"), as_of, "integer"),
        companies=tuple(companies.ids),
        owners=_owners(owners, "l.user_id", "l.team_id"),
        stop=stop,
    )


def closed_opportunities_query(companies, as_of, days=365):
    """Opportunities closed in the ``days`` before the end of ``as_of``:
    (company, team, sequence of the stage they closed in, won, days from creation
    to closing). Won: in a won stage; lost: archived (Odoo's lost)."""
    stop = _stop(as_of)
    return SQL(
        """
        SELECT l.company_id, l.team_id, COALESCE(st.sequence, 0),
               COALESCE(st.is_won, FALSE) AND l.active,
               GREATEST((l.date_closed::date - l.create_date::date), 0)
          FROM crm_lead l
          LEFT JOIN crm_stage st ON st.id = l.stage_id
         WHERE l.type = 'opportunity'
           AND l.company_id IN %(companies)s
           AND l.date_closed >= %(start)s AND l.date_closed < %(stop)s
           AND ((COALESCE(st.is_won, FALSE) AND l.active) OR NOT l.active)
        """,
        companies=tuple(companies.ids),
        start=stop - timedelta(days=days),
        stop=stop,
    )


def run_rate_query(companies, date_from, date_to, owners=None):
    """Confirmed orders that came without an opportunity, by local order day:
    (company, user, team, day, amount in company currency)."""
    return SQL(
        """
        SELECT so.company_id, so.user_id, so.team_id, %(day)s AS day,
               SUM(%(amount)s)
          FROM sale_order so
          %(tz)s
         WHERE so.state = 'sale'
           AND so.opportunity_id IS NULL
           AND so.company_id IN %(companies)s
           AND %(owners)s
           AND so.date_order >= %(start)s
           AND so.date_order < %(stop)s
         GROUP BY 1, 2, 3, 4
        """,
        day=local_day(),
        amount=company_amount(),
        tz=company_tz_join(companies),
        companies=tuple(companies.ids),
        owners=_owners(owners, "so.user_id", "so.team_id"),
        start=date_from - timedelta(days=1),
        stop=date_to + timedelta(days=2),
    )


def first_order_query(companies):
    """(company, day of its first confirmed order): how far its history goes."""
    return SQL(
        """SELECT company_id, MIN(date_order)::date FROM sale_order
            WHERE state = 'sale' AND company_id IN %s GROUP BY 1""",
        tuple(companies.ids),
    )


def _invoiced_lines(companies, as_of):
    """Per order, what its posted invoices (less credit notes) of days up to
    ``as_of`` invoiced, untaxed, in company currency: (order, day, amount)."""
    return SQL(
        """
        SELECT sol.order_id, MIN(am.invoice_date) AS day, SUM(-aml.balance) AS amount
          FROM sale_order_line_invoice_rel rel
          JOIN sale_order_line sol ON sol.id = rel.order_line_id
          JOIN account_move_line aml ON aml.id = rel.invoice_line_id
          JOIN account_move am ON am.id = aml.move_id
         WHERE am.state = 'posted'
           AND am.move_type IN ('out_invoice', 'out_refund')
           AND am.company_id IN %s
           AND am.invoice_date <= %s
         GROUP BY sol.order_id
        """,
        tuple(companies.ids),
        as_of,
    )


def uninvoiced_query(companies, as_of, days=365, owners=None):
    """Orders confirmed in the ``days`` up to ``as_of`` with part still to invoice
    then: (company, user, team, local order day, amount still to invoice).
    Older orders never invoiced are not expected any more."""
    return SQL(
        """
        SELECT so.company_id, so.user_id, so.team_id, %(day)s,
               %(amount)s - COALESCE(inv.amount, 0)
          FROM sale_order so
          %(tz)s
          LEFT JOIN (%(invoiced)s) inv ON inv.order_id = so.id
         WHERE so.state = 'sale'
           AND so.company_id IN %(companies)s
           AND %(owners)s
           AND so.date_order >= %(start)s AND so.date_order < %(stop)s
           AND %(amount)s - COALESCE(inv.amount, 0) > 0.005
        """,
        day=local_day(),
        amount=company_amount(),
        tz=company_tz_join(companies),
        invoiced=_invoiced_lines(companies, as_of),
        companies=tuple(companies.ids),
        owners=_owners(owners, "so.user_id", "so.team_id"),
        start=as_of - timedelta(days=days),
        stop=_stop(as_of),
    )


def invoice_delays_query(companies, as_of, days=365):
    """Order to invoice delays of invoices dated in the ``days`` up to ``as_of``:
    (company, order's salesperson, order's team, days, amount invoiced)."""
    return SQL(
        """
        SELECT so.company_id, so.user_id, so.team_id,
               inv.day - %(order_day)s, inv.amount
          FROM sale_order so
          %(tz)s
          JOIN (%(invoiced)s) inv ON inv.order_id = so.id
         WHERE so.company_id IN %(companies)s
           AND inv.day > %(start)s
           AND inv.amount > 0
        """,
        order_day=local_day(),
        tz=company_tz_join(companies),
        invoiced=_invoiced_lines(companies, as_of),
        companies=tuple(companies.ids),
        start=as_of - timedelta(days=days),
    )


def receivables_query(companies, as_of, owners=None):
    """Customer invoices open at the end of ``as_of``: (company, salesperson,
    team, commercial partner, due day, amount due in company currency, taxes
    included). What is owed now, plus what was reconciled after ``as_of``."""
    return SQL(
        """
        WITH later AS (
            SELECT dl.move_id, SUM(apr.amount) AS amount
              FROM account_partial_reconcile apr
              JOIN account_move_line dl ON dl.id = apr.debit_move_id
             WHERE apr.max_date > %(as_of)s
               AND dl.company_id IN %(companies)s
             GROUP BY dl.move_id
        )
        SELECT am.company_id, am.invoice_user_id, am.team_id,
               am.commercial_partner_id,
               COALESCE(am.invoice_date_due, am.invoice_date),
               am.amount_residual_signed + COALESCE(later.amount, 0)
          FROM account_move am
          LEFT JOIN later ON later.move_id = am.id
         WHERE am.state = 'posted'
           AND am.move_type = 'out_invoice'
           AND am.company_id IN %(companies)s
           AND %(owners)s
           AND am.invoice_date <= %(as_of)s
           AND am.amount_residual_signed + COALESCE(later.amount, 0) > 0.005
        """,
        as_of=as_of,
        companies=tuple(companies.ids),
        owners=_owners(owners, "am.invoice_user_id", "am.team_id"),
    )


def payment_delays_query(companies, as_of, days=365):
    """Payments received in the ``days`` up to ``as_of`` against customer
    invoices: (company, team, commercial partner, days after the due day, days
    after the invoice day, amount), as the collected actuals count them."""
    return SQL(
        """
        SELECT inv.company_id, inv.team_id, inv.commercial_partner_id,
               apr.max_date - COALESCE(inv.invoice_date_due, inv.invoice_date),
               apr.max_date - inv.invoice_date, SUM(apr.amount)
          %(cash)s
           AND apr.max_date > %(start)s AND apr.max_date <= %(as_of)s
         GROUP BY 1, 2, 3, 4, 5
        """,
        cash=cash_partials(companies),
        start=as_of - timedelta(days=days),
        as_of=as_of,
    )
