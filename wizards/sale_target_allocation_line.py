from odoo import api, fields, models

from ..tools.levels import OWNER_FIELD
from .sale_target_allocation_wizard import METHODS


class SaleTargetAllocationLine(models.TransientModel):
    """One child in the allocation preview: its inputs, its amount and why."""

    _name = "sale.target.allocation.line"
    _inherit = ["sale.target.guard.mixin"]
    _description = "Sales Target Allocation Preview Line"
    _order = "sequence, id"
    # Who the line is for and what the preview computed: the wizard's, written
    # as superuser; a user types only amounts, bounds, locks and manual figures.
    _system_fields = (
        "wizard_id",
        "parent_line_id",
        "sequence",
        "depth",
        "currency_id",
        "child_key",
        "level",
        "name",
        "region_id",
        "team_id",
        "user_id",
        "method",
        "last_year_amount",
        "history_basis",
        "potential_score",
        "ramp_rate",
        "share",
        "change_rate",
        "compare_amount",
        "compare_share",
        "explanation",
        "phasing_weights",
        "change_kind",
        "own_target",
        "basis_this_year",
    )

    wizard_id = fields.Many2one(
        "sale.target.allocation.wizard", required=True, ondelete="cascade", index=True
    )
    parent_line_id = fields.Many2one(
        "sale.target.allocation.line", string="Under", ondelete="cascade"
    )
    sequence = fields.Integer()
    depth = fields.Integer()
    # stored plainly (not related): amounts are rounded in its precision on
    # create, which a related field would compute line by line
    currency_id = fields.Many2one("res.currency", readonly=True)
    child_key = fields.Char(readonly=True)
    level = fields.Selection(
        [("region", "Region"), ("team", "Team"), ("user", "Salesperson")],
        readonly=True,
    )
    name = fields.Char(string="Child", readonly=True)
    region_id = fields.Many2one("sale.region", readonly=True)
    team_id = fields.Many2one("crm.team", readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    method = fields.Selection(METHODS, readonly=True)
    last_year_amount = fields.Monetary(string="Last Year", readonly=True)
    history_basis = fields.Float(string="Weighted History", readonly=True)
    potential_score = fields.Float(string="Potential", digits=(16, 1), readonly=True)
    ramp_rate = fields.Float(string="Ramp-up (%)", digits=(16, 0), readonly=True)
    share = fields.Float(string="Share (%)", digits=(16, 2), readonly=True)
    amount = fields.Monetary(string="Amount")
    floor_amount = fields.Monetary(string="Floor")
    stretch_amount = fields.Monetary(string="Stretch")
    override_bounds = fields.Boolean(
        string="Own Floor/Stretch",
        help="Keep the floor and stretch typed here instead of the parent's ratios.",
    )
    change_rate = fields.Float(string="vs Last Year (%)", digits=(16, 1), readonly=True)
    locked = fields.Boolean(help="Keep this amount; the others share the rest.")
    minimum_amount = fields.Monetary(string="Minimum")
    maximum_amount = fields.Monetary(string="Maximum")
    manual_value = fields.Float(
        string="Typed",
        help="For the manual method: the amount, or the percentage, of this child.",
    )
    compare_amount = fields.Monetary(string="Compared Amount", readonly=True)
    compare_share = fields.Float(string="Compared (%)", digits=(16, 2), readonly=True)
    explanation = fields.Char(string="Why", readonly=True)
    change_kind = fields.Selection(
        [("create", "New"), ("update", "Changed"), ("same", "Unchanged")],
        string="Target",
        readonly=True,
        help="What confirming does to this child's target: creates it, changes "
        "it, or leaves it as it is.",
    )
    indented_name = fields.Char(
        string="Child in the Tree", compute="_compute_indented_name"
    )
    children_amount = fields.Monetary(
        string="Under It",
        compute="_compute_children_amount",
        help="What the lines under this one add up to (the subtotal to compare "
        "with its amount).",
    )
    big_change = fields.Boolean(compute="_compute_big_change")
    basis_this_year = fields.Boolean(
        string="History from This Year",
        readonly=True,
        help="No actuals in the history years, but actuals since: they are its "
        "history, at their pace over the period.",
    )
    own_target = fields.Boolean(
        string="Your Own",
        readonly=True,
        help="Your own target: the level above you sets and confirms it. The "
        "split keeps the amount it has, or proposes one as a draft when it has "
        "none yet.",
    )
    phasing_weights = fields.Json(readonly=True)

    @api.depends("name", "depth")
    def _compute_indented_name(self):
        for line in self:
            line.indented_name = "\u2003" * 2 * line.depth + (line.name or "")

    @api.depends("wizard_id.line_ids.amount", "wizard_id.line_ids.parent_line_id")
    def _compute_children_amount(self):
        sums = {}
        for line in self.wizard_id.line_ids:
            if line.parent_line_id:
                sums[line.parent_line_id.id] = (
                    sums.get(line.parent_line_id.id, 0.0) + line.amount
                )
        for line in self:
            line.children_amount = sums.get(line.id, 0.0)

    @api.depends("change_rate", "last_year_amount")
    def _compute_big_change(self):
        for line in self:
            line.big_change = bool(line.last_year_amount) and abs(line.change_rate) > 50

    def _path(self):
        """The line's place in the tree: the keys of its ancestors and its own."""
        keys = []
        line = self
        while line:
            keys.append(line.child_key)
            line = line.parent_line_id
        return "/" + "/".join(reversed(keys))

    def _kept_values(self):
        """What the user typed, kept when the preview is computed again."""
        kept = {
            "locked": self.locked,
            "amount": self.amount,
            "minimum_amount": self.minimum_amount,
            "maximum_amount": self.maximum_amount,
            "manual_value": self.manual_value,
            "override_bounds": self.override_bounds,
        }
        if self.override_bounds:
            kept.update(
                floor_amount=self.floor_amount, stretch_amount=self.stretch_amount
            )
        return kept

    def _owner_record(self):
        """The region, team or salesperson this line is for."""
        return self[OWNER_FIELD.get(self.level, "region_id")]
