from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class SaleTargetForecastFit(models.Model):
    """What the forecast learnt from a company's history on a day (win rates,
    cycle times, delays, years of history), shared by the batches of a refresh.

    Rows are only ever inserted, by whichever refresh learns first, and read by
    the others: two scheduled actions refreshing the same company at the same
    time never write the same row. Old rows are removed by Odoo's daily
    autovacuum.
    """

    _name = "sale.target.forecast.fit"
    _description = "Sales Target Forecast: History Learnt"
    _order = "id desc"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade", index=True
    )
    day = fields.Date(required=True, readonly=True)
    data = fields.Json(readonly=True)

    @api.model
    def _latest(self, company, day, since):
        """The data learnt for ``company`` on ``day`` at or after ``since``."""
        self.env.cr.execute(
            SQL(
                """SELECT data FROM sale_target_forecast_fit
                    WHERE company_id = %s AND day = %s AND create_date >= %s
                    ORDER BY id DESC LIMIT 1""",
                company.id,
                day,
                since,
            )
        )
        row = self.env.cr.fetchone()
        return row[0] if row else None

    @api.model
    def _store(self, company, day, data):
        self.env.cr.execute(
            SQL(
                """INSERT INTO sale_target_forecast_fit
                          (company_id, day, data, create_date, write_date,
                           create_uid, write_uid)
                   VALUES (%s, %s, %s::jsonb, %s, %s, %s, %s)""",
                company.id,
                day,
                data,
                fields.Datetime.now(),
                fields.Datetime.now(),
                self.env.uid,
                self.env.uid,
            )
        )

    @api.autovacuum
    def _gc_old_fits(self):
        """Forget what was learnt more than two days ago."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM sale_target_forecast_fit WHERE create_date < %s",
                fields.Datetime.now() - timedelta(days=2),
            )
        )
