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
