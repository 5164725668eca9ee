from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    region_id = fields.Many2one(
        "sale.region",
        string="Sales Region",
        index=True,
        tracking=True,
        help="The region whose targets include this team's sales.",
    )
