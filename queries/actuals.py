"""SQL that gathers, per metric, the documents targets are measured against.

Each function returns one grouped query's rows: (company, salesperson, team, day,
amount), in company currency, for the given companies and days. The attribution of
those rows to targets happens in Python (``tools.actuals``), so the number of
queries is one per metric whatever the number of targets.
"""

from datetime import timedelta

from odoo.tools import SQL

from ..tools.actuals import COMPANY, TEAM, USER
from .orders import company_amount, company_tz_join, local_day


def revenue_query(companies, date_from, date_to, by_stage=False):
    """Confirmed sale orders, untaxed, at the order's rate, by local order day.

    With ``by_stage``, a last column gives the customer's lifecycle stage (the
    confirmed one, else the suggested one), and customers without one are left
    out.
    """
    stage = SQL("COALESCE(lc.stage, lc.suggested_stage)")
    return SQL(
        """
        SELECT so.company_id, so.user_id, so.team_id, %(day)s AS day,
               SUM(%(amount)s)
               %(stage_column)s
          FROM sale_order so
          %(tz)s
          %(stage_join)s
         WHERE so.state = 'sale'
           AND so.company_id IN %(companies)s
           AND so.date_order >= %(start)s
           AND so.date_order < %(stop)s
         GROUP BY 1, 2, 3, 4 %(stage_group)s
        """,
        stage_column=SQL(", %s", stage) if by_stage else SQL(),
        stage_join=SQL(
            """
            JOIN res_partner p ON p.id = so.partner_id
            JOIN sale_customer_lifecycle lc ON lc.partner_id = p.commercial_partner_id
                                           AND lc.company_id = so.company_id
                                           AND %s IS NOT NULL
            """,
            stage,
        )
        if by_stage
        else SQL(),
        stage_group=SQL(", 6") if by_stage else SQL(),
        day=local_day(),
        amount=company_amount(),
        tz=company_tz_join(companies),
        companies=tuple(companies.ids),
        # One day of margin on each side: the local day is decided above.
        start=date_from - timedelta(days=1),
        stop=date_to + timedelta(days=2),
    )


def invoiced_query(companies, date_from, date_to):
    """Posted customer invoices minus credit notes, untaxed, company currency."""
    return SQL(
        """
        SELECT am.company_id, am.invoice_user_id, am.team_id, am.invoice_date,
               SUM(am.amount_untaxed_signed)
          FROM account_move am
         WHERE am.state = 'posted'
           AND am.move_type IN ('out_invoice', 'out_refund')
           AND am.company_id IN %(companies)s
           AND am.invoice_date BETWEEN %(start)s AND %(stop)s
         GROUP BY 1, 2, 3, 4
        """,
        companies=tuple(companies.ids),
        start=date_from,
        stop=date_to,
    )


def cash_partials(companies):
    """``FROM ... WHERE`` of the money received against the customer invoices of
    ``companies``: ``apr`` a partial reconciliation of an invoice (``inv``) with
    a payment (``pay``). Reconciling an invoice with a credit note (or another
    invoice) moves no cash and is left out. Further conditions follow with
    ``AND``."""
    return SQL(
        """
          FROM account_partial_reconcile apr
          JOIN account_move_line dl ON dl.id = apr.debit_move_id
          JOIN account_move inv ON inv.id = dl.move_id
          JOIN account_move_line cl ON cl.id = apr.credit_move_id
          JOIN account_move pay ON pay.id = cl.move_id
         WHERE inv.move_type = 'out_invoice'
           AND inv.state = 'posted'
           AND pay.move_type = 'entry'
           AND pay.state = 'posted'
           AND inv.company_id IN %s
        """,
        tuple(companies.ids),
    )


def collected_query(companies, date_from, date_to):
    """Money received against customer invoices, on the day it met the invoice.

    A partial payment counts its part on its own day. Reconciling an invoice with
    a credit note (or another invoice) moves no cash and is left out.
    """
    return SQL(
        """
        SELECT inv.company_id, inv.invoice_user_id, inv.team_id, apr.max_date,
               SUM(apr.amount)
          %(cash)s
           AND apr.max_date BETWEEN %(start)s AND %(stop)s
         GROUP BY 1, 2, 3, 4
        """,
        cash=cash_partials(companies),
        start=date_from,
        stop=date_to,
    )


def new_customers_query(companies, date_from, date_to):
    """Commercial partners by the local day of their first confirmed order ever."""
    return SQL(
        """
        WITH first_orders AS (
            SELECT DISTINCT ON (so.company_id, p.commercial_partner_id)
                   so.company_id, so.user_id, so.team_id, %(day)s AS day
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
              %(tz)s
             WHERE so.state = 'sale'
               AND so.company_id IN %(companies)s
             ORDER BY so.company_id, p.commercial_partner_id, so.date_order, so.id
        )
        SELECT company_id, user_id, team_id, day, COUNT(*)
          FROM first_orders
         WHERE day BETWEEN %(start)s AND %(stop)s
         GROUP BY 1, 2, 3, 4
        """,
        day=local_day(),
        tz=company_tz_join(companies),
        companies=tuple(companies.ids),
        start=date_from,
        stop=date_to,
    )


QUERIES = {
    "revenue": revenue_query,
    "invoiced": invoiced_query,
    "collected": collected_query,
    "new_customers": new_customers_query,
}


def owner_keys_query(target_ids):
    """(target, kind, company, record) rows: what each target's documents are
    matched on (``tools.actuals.make_key``). A region target matches the teams of
    its region and of all its sub-regions, archived teams included: their past
    documents still belong to the region."""
    return SQL(
        """
        SELECT t.id, %(user)s, t.company_id, t.user_id
          FROM sale_target t WHERE t.id IN %(ids)s AND t.level = 'user'
        UNION ALL
        SELECT t.id, %(team)s, t.company_id, t.team_id
          FROM sale_target t WHERE t.id IN %(ids)s AND t.level = 'team'
        UNION ALL
        SELECT t.id, %(team)s, t.company_id, ct.id
          FROM sale_target t
          JOIN sale_region r ON r.id = t.region_id
          JOIN sale_region sr ON starts_with(sr.parent_path, r.parent_path)
          JOIN crm_team ct ON ct.region_id = sr.id
         WHERE t.id IN %(ids)s AND t.level = 'region'
        UNION ALL
        SELECT t.id, %(company)s, t.company_id, 0
          FROM sale_target t WHERE t.id IN %(ids)s AND t.level = 'company'
        """,
        ids=tuple(target_ids),
        user=USER,
        team=TEAM,
        company=COMPANY,
    )


def owners_query(target_ids):
    """The figures to compute: each target over its period, then each of its
    phasing months clipped to that period. Rows (kind, id, target, start, end)."""
    return SQL(
        """
        SELECT 'target', t.id, t.id, t.date_from, t.date_to
          FROM sale_target t WHERE t.id IN %(ids)s
        UNION ALL
        SELECT 'line', l.id, t.id, GREATEST(l.date, t.date_from),
               LEAST((l.date + INTERVAL '1 month')::date - 1, t.date_to)
          FROM sale_target_line l JOIN sale_target t ON t.id = l.target_id
         WHERE t.id IN %(ids)s
        """,
        ids=tuple(target_ids),
    )
