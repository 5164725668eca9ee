"""SQL of the weekly lag warnings: when each owner last confirmed an order.

One grouped query for a company, whatever the number of targets: the rows are
(company, salesperson, team, day) of the latest confirmed order per salesperson
and team, attributed to targets in Python (``tools.actuals.owner_last_days``).
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
