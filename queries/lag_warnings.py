"""SQL of the weekly lag warnings.

- When each owner last confirmed an order: one grouped query for a company,
  whatever the number of targets; the rows are (company, salesperson, team, day)
  of the latest confirmed order per salesperson and team, attributed to targets
  in Python (``tools.actuals.owner_last_days``).
- The key actions each salesperson left overdue at the end of given weeks.
"""

from datetime import timedelta

from odoo.tools import SQL

from .orders import company_tz_join, local_day


def last_order_days_query(companies, until):
    """(company, salesperson, team, day, 0) rows: the local day of the latest
    confirmed order of each salesperson and team, on or before ``until``."""
    return SQL(
        """
        SELECT company_id, user_id, team_id, MAX(day), 0
          FROM (SELECT so.company_id, so.user_id, so.team_id, %(day)s AS day
                  FROM sale_order so
                  %(tz)s
                 WHERE so.state = 'sale'
                   AND so.company_id IN %(companies)s
                   AND so.date_order < %(stop)s) AS o
         WHERE day <= %(until)s
         GROUP BY 1, 2, 3
        """,
        day=local_day(),
        tz=company_tz_join(companies),
        companies=tuple(companies.ids),
        # one day of margin: the local day is decided above
        stop=until + timedelta(days=2),
        until=until,
    )


def overdue_key_actions_query(company, mondays):
    """(salesperson, Monday, count) rows: the key pack actions of ``company``
    due by the end of each week of ``mondays`` and still not done at its end."""
    return SQL(
        """
        SELECT a.user_id, w.monday, COUNT(*)
          FROM mail_activity a
          JOIN sale_action_pack_line l ON l.id = a.action_pack_line_id
         CROSS JOIN unnest(%(mondays)s::date[]) AS w(monday)
         WHERE a.action_key
           AND a.user_id IS NOT NULL
           AND l.company_id = %(company)s
           AND a.date_deadline < w.monday + 7
           AND (a.active OR a.date_done > w.monday + 6)
         GROUP BY 1, 2
        """,
        company=company.id,
        mondays=list(mondays),
    )
