from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    sale_target_lag_week = fields.Date(
        string="Lag Warnings Checked Week",
        readonly=True,
        copy=False,
        help="The Monday of the last week whose lag warning check was completed "
        "for this company: the weekly check runs once a week.",
    )
    sale_target_backtest_date = fields.Date(
        string="Forecast Accuracy Measured On",
        readonly=True,
        copy=False,
        help="When the forecast of this company was last replayed against what "
        "happened (monthly).",
    )
    sale_target_lag_cursor = fields.Char(
        string="Lag Check Progress",
        readonly=True,
        copy=False,
        help="Where this week's lag warning check stands: the Monday of the week "
        "and the last target it took (targets are taken in the order of their "
        "ids, a batch at a time).",
    )
