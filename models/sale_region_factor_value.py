from odoo import fields, models

from ..tools import allocation


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

    def _inherited_values(self, regions, factors, year):
        """The values of ``factors`` (columns) for ``regions`` (rows) in
        ``year``: a region's own, else its nearest ancestor's for the same
        factor and year (a sub-region without figures of its own), NaN where
        none has one; with {(row, column): the ancestor region lent from}. The
        values of the regions and all their ancestors are read in one query."""
        lineages = [
            tuple(int(i) for i in reversed(region.parent_path.split("/")[:-1]))
            for region in regions
        ]
        known = {
            (region.id, factor.id): value
            for region, factor, value in self._read_group(
                [
                    ("region_id", "in", list({i for ids in lineages for i in ids})),
                    ("factor_id", "in", factors.ids),
                    ("year", "=", year),
                ],
                ["region_id", "factor_id"],
                ["value:sum"],
            )
        }
        values, borrowed = allocation.inherited_values(known, lineages, factors.ids)
        Region = self.env["sale.region"]
        return values, {key: Region.browse(i) for key, i in borrowed.items()}
