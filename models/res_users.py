from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    sale_target_start_date = fields.Date(
        string="Selling Since",
        help="When this salesperson started selling: a newcomer's allocated target "
        "can ramp up by month of tenure.",
    )
