from odoo import api, fields, models

from ..tools.coverage import match_region


class ResPartner(models.Model):
    _inherit = "res.partner"

    region_id = fields.Many2one(
        "sale.region",
        string="Sales Region",
        index=True,
        ondelete="set null",
        help="Set from the regions' coverage rules (zip prefix, then state, then "
        "country); choose one by hand to keep it whatever the rules say.",
    )
    region_manual = fields.Boolean(
        string="Region Set by Hand",
        help="When set, the coverage rules of the regions no longer change this "
        "partner's region.",
    )

    _REGION_ADDRESS_FIELDS = ("country_id", "state_id", "zip", "company_id")

    def _assign_regions(self):
        """Apply the coverage rules to these partners (those not set by hand)."""
        partners = self.filtered(lambda p: not p.region_manual)
        if not partners:
            return
        rules_by_company = self.env["sale.region"]._coverage_rules()
        by_region = {}
        for partner in partners:
            # A shared partner (no company) follows the regions of the company it
            # is used in, but keeps a region another company gave it.
            company = partner.company_id or self.env.company
            if partner.region_id and partner.region_id.company_id != company:
                continue
            rules = rules_by_company.get(company.id, [])
            region_id = match_region(
                rules, partner.country_id.id, partner.state_id.id, partner.zip
            )
            if region_id != partner.region_id.id:
                by_region.setdefault(region_id, []).append(partner.id)
        for region_id, ids in by_region.items():
            self.browse(ids).with_context(region_from_rules=True).write(
                {"region_id": region_id}
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("region_id") and "region_manual" not in vals:
                vals["region_manual"] = True
        partners = super().create(vals_list)
        partners._assign_regions()
        return partners

    def write(self, vals):
        if (
            "region_id" in vals
            and "region_manual" not in vals
            and not self.env.context.get("region_from_rules")
        ):
            vals = dict(vals, region_manual=bool(vals["region_id"]))
        res = super().write(vals)
        if not self.env.context.get("region_from_rules") and (
            any(f in vals for f in self._REGION_ADDRESS_FIELDS)
            or vals.get("region_manual") is False
        ):
            self._assign_regions()
        return res
