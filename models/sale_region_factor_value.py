from odoo import fields, models


class SaleRegionFactorValue(models.Model):
    """The value of one potential factor for one region and one year."""

    _name = "sale.region.factor.value"
    _inherit = ["sale.target.guard.mixin"]
    _description = "Region Potential Factor Value"
    _order = "year desc, region_id, factor_id"

    region_id = fields.Many2one(
        "sale.region", required=True, ondelete="cascade", index=True
    )
    factor_id = fields.Many2one(
        "sale.region.factor", required=True, ondelete="cascade", index=True
    )
    year = fields.Integer(required=True, default=lambda self: fields.Date.today().year)
    value = fields.Float(required=True, digits=(16, 4))
    company_id = fields.Many2one(related="region_id.company_id", store=True, index=True)

    _sql_constraints = [
        (
            "region_factor_year_uniq",
            "unique(region_id, factor_id, year)",
            "A region has one value per factor and year.",
        ),
    ]
