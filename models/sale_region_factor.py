from odoo import api, fields, models


class SaleRegionFactor(models.Model):
    """One driver of a region's sales potential (market capacity, growth, ...)."""

    _name = "sale.region.factor"
    _inherit = ["sale.target.guard.mixin"]
    _description = "Region Potential Factor"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    weight = fields.Float(
        default=1.0,
        help="Relative weight of this factor in the potential score; the weights "
        "of the active factors are normalised to add up to 100%.",
    )
    normalisation = fields.Selection(
        [("minmax", "Min-max"), ("zscore", "Z-score")],
        required=True,
        default="minmax",
        help="How values are put on a common 0-1 scale before weighting: min-max "
        "maps the lowest region to 0 and the highest to 1; z-score keeps how far "
        "each region is from the average, as a percentile of a normal curve.",
    )
    unit = fields.Char(help="What the values measure, e.g. 'million CNY' or 'outlets'.")
    description = fields.Text()
    value_ids = fields.One2many("sale.region.factor.value", "factor_id")

    _sql_constraints = [
        (
            "weight_not_negative",
            "CHECK(weight >= 0)",
            "A factor's weight cannot be negative.",
        ),
    ]

    @api.depends("name", "weight")
    def _compute_display_name(self):
        for factor in self:
            factor.display_name = factor.name or ""
