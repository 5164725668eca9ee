from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.region_coverage import match_region
from .sale_customer_lifecycle import REVIEW_STATES, STAGES


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

    lifecycle_id = fields.Many2one(
        "sale.customer.lifecycle",
        string="Lifecycle",
        compute="_compute_lifecycle",
        help="This customer's lifecycle in the current company, when you may see it.",
    )
    lifecycle_stage = fields.Selection(
        STAGES,
        string="Lifecycle Stage",
        compute="_compute_lifecycle",
        search="_search_lifecycle_stage",
    )
    lifecycle_suggested_stage = fields.Selection(
        STAGES, string="Suggested Lifecycle Stage", compute="_compute_lifecycle"
    )
    lifecycle_proposed_stage = fields.Selection(
        STAGES, string="Proposed Lifecycle Stage", compute="_compute_lifecycle"
    )
    lifecycle_review_state = fields.Selection(
        REVIEW_STATES, string="Lifecycle Review", compute="_compute_lifecycle"
    )

    _REGION_ADDRESS_FIELDS = ("country_id", "state_id", "zip", "company_id")

    @api.depends_context("company", "uid")
    def _compute_lifecycle(self):
        # read as the current user: the record rules hide other teams' customers
        lifecycles = self.env["sale.customer.lifecycle"].search(
            [
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "=", self.env.company.id),
            ]
        )
        by_partner = {lc.partner_id.id: lc for lc in lifecycles}
        for partner in self:
            lc = by_partner.get(partner.commercial_partner_id.id)
            partner.lifecycle_id = lc
            partner.lifecycle_stage = lc and lc.stage
            partner.lifecycle_suggested_stage = lc and lc.suggested_stage
            partner.lifecycle_proposed_stage = lc and lc.proposed_stage
            partner.lifecycle_review_state = lc and lc.review_state

    def _search_lifecycle_stage(self, operator, value):
        """Partners by their lifecycle stage in the current company (as the user
        sees it), with any operator the filter editor offers; a customer
        without a stage counts as "not set"."""
        stages = self._matching_stages(operator, value)
        Lifecycle = self.env["sale.customer.lifecycle"]
        company = ("company_id", "=", self.env.company.id)
        staged = Lifecycle._search([("stage", "in", [s for s in stages if s]), company])
        domain = [("commercial_partner_id", "in", staged.subselect("partner_id"))]
        if False in stages:
            with_stage = Lifecycle._search([("stage", "!=", False), company])
            domain = [
                "|",
                *domain,
                ("commercial_partner_id", "not in", with_stage.subselect("partner_id")),
            ]
        return domain

    def _matching_stages(self, operator, value):
        """The stages (False for none) a search ``operator``/``value`` selects,
        matching keys and translated labels for the text operators."""
        labels = dict(self._fields["lifecycle_stage"]._description_selection(self.env))
        candidates = [*labels, False]
        if operator in ("=", "!="):
            hit = {v for v in candidates if v == (value or False)}
        elif operator in ("in", "not in"):
            values = value if isinstance(value, list | tuple) else [value]
            hit = {v for v in candidates if v in [x or False for x in values]}
        elif operator in ("ilike", "not ilike", "like", "not like", "=ilike", "=like"):
            text = str(value or "").replace("%", "").replace("_", "").lower()
            hit = {
                v
                for v in candidates
                if v and (text in v.lower() or text in labels[v].lower())
            }
        else:
            raise UserError(
                self.env._(
                    "Customers cannot be filtered on their lifecycle stage with "
                    "“%(operator)s”.",
                    operator=operator,
                )
            )
        if operator.startswith("not ") or operator == "!=":
            return set(candidates) - hit
        return hit

    def action_open_lifecycle(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.customer.lifecycle",
            "res_id": self.lifecycle_id.id,
            "view_mode": "form",
        }

    def _planned_regions(self):
        """{partner id: (current region id, new region id)} for the partners the
        coverage rules would move (those not set by hand); False for no region."""
        partners = self.filtered(lambda p: not p.region_manual)
        if not partners:
            return {}
        rules_by_company = self.env["sale.region"]._coverage_rules()
        changes = {}
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
                changes[partner.id] = (partner.region_id.id, region_id)
        return changes

    def _apply_regions(self, changes):
        """Write the regions of ``_planned_regions``, one write per region."""
        by_region = {}
        for partner_id, (_old, new) in changes.items():
            by_region.setdefault(new, []).append(partner_id)
        for region_id, ids in by_region.items():
            self.browse(ids).with_context(region_from_rules=True).write(
                {"region_id": region_id}
            )

    def _assign_regions(self):
        """Apply the coverage rules to these partners (those not set by hand)."""
        self._apply_regions(self._planned_regions())

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
        if "user_id" in vals:
            # a new salesperson: plan (reassign) the customer's actions again
            self.env["sale.customer.lifecycle"].sudo().search(
                [("partner_id", "in", self.commercial_partner_id.ids)]
            ).actions_planned_on = False
        if not self.env.context.get("region_from_rules") and (
            any(f in vals for f in self._REGION_ADDRESS_FIELDS)
            or vals.get("region_manual") is False
        ):
            self._assign_regions()
        return res
