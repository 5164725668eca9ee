import base64
import io
from urllib.parse import quote

import numpy as np

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from ..models.sale_target import ALLOCATION_METHODS, ALLOCATION_UNITS
from ..tools import allocation
from . import allocation_messages as messages
from . import allocation_xlsx
from .allocation_confirm import Confirmation
from .allocation_data import AllocationData, Child, children_of
from .allocation_preview import Preview, fairness

METHODS = ALLOCATION_METHODS
CASCADE_METHODS = [m for m in METHODS if m[0] != "manual"]
UNITS = ALLOCATION_UNITS


class SaleTargetAllocationWizard(models.TransientModel):
    _name = "sale.target.allocation.wizard"
    _inherit = ["sale.target.guard.mixin"]
    _description = "Sales Target Allocation"
    _system_fields = (
        "state",
        "fairness",
        "compare_fairness",
        "version",
        "xlsx_filename",
        "warning",
    )

    target_id = fields.Many2one(
        "sale.target", string="Target to Allocate", required=True, ondelete="cascade"
    )
    # read as the user (not as superuser, as related fields are by default): the
    # wizard never shows what its user may not read
    company_id = fields.Many2one(related="target_id.company_id", compute_sudo=False)
    currency_id = fields.Many2one(related="target_id.currency_id", compute_sudo=False)
    amount = fields.Monetary(
        related="target_id.amount", string="Target", compute_sudo=False
    )
    floor_amount = fields.Monetary(related="target_id.floor_amount", compute_sudo=False)
    stretch_amount = fields.Monetary(
        related="target_id.stretch_amount", compute_sudo=False
    )
    child_level_label = fields.Char(compute="_compute_child_level_label")
    method = fields.Selection(METHODS, required=True, default="history")
    compare_method = fields.Selection(
        [m for m in METHODS if m[0] != "manual"],
        string="Compare With",
        help="A second method computed side by side in the preview.",
    )
    history_years = fields.Selection(
        [("1", "1 year"), ("2", "2 years"), ("3", "3 years")],
        default="1",
        required=True,
    )
    weight_year1 = fields.Float(string="Last Year (%)", default=100.0)
    weight_year2 = fields.Float(string="Year Before (%)", default=0.0)
    weight_year3 = fields.Float(string="Three Years Back (%)", default=0.0)
    blend_history_weight = fields.Float(
        string="History Weight (%)",
        default=50.0,
        help="Share of history in the blend; potential takes the rest.",
    )
    potential_year = fields.Integer(
        compute="_compute_potential_year", store=True, readonly=False
    )
    manual_mode = fields.Selection(
        [("amount", "Amounts"), ("percent", "Percentages")],
        default="amount",
        required=True,
    )
    rounding_unit = fields.Selection(
        UNITS,
        default=lambda self: self._default_rounding_unit(),
        required=True,
        help="Children's amounts are whole multiples of this unit; the largest "
        "remainder method makes them add up exactly to the parent.",
    )
    growth_cap = fields.Float(
        string="Growth Cap (%)",
        help="No child gets more than its last-year actual plus this percentage "
        "(0: no cap). Children without a last-year actual are not capped.",
    )
    growth_cap_on = fields.Boolean(
        string="Cap Growth",
        compute="_compute_growth_cap_on",
        store=True,
        readonly=False,
        help="Cap each child's amount at its last-year actual plus a percentage; "
        "off: no cap.",
    )
    ramp_up = fields.Boolean(
        string="Ramp-up for Newcomers",
        help="New regions (Opened On) and new salespeople (Selling Since) get a "
        "share of a full target by month of tenure.",
    )
    ramp_schedule = fields.Char(
        default="25, 50, 75",
        help="Percent of a full target in the first, second, ... month of tenure; "
        "100% afterwards.",
    )
    phasing = fields.Selection(
        [("own", "Own seasonality"), ("parent", "Parent's phasing")],
        string="Monthly Phasing",
        default="own",
        required=True,
        help="Own seasonality: each child's months follow its own history (the "
        "parent's phasing when it has none).",
    )
    cascade = fields.Boolean(
        string="Down to Salespeople",
        help="Allocate every level below in the same run, each with its method.",
    )
    region_children_method = fields.Selection(
        CASCADE_METHODS, string="Under Regions", default="history"
    )
    team_children_method = fields.Selection(
        CASCADE_METHODS, string="Under Teams", default="equal"
    )
    reason = fields.Char(
        help="Required when the allocation changes the amounts of confirmed children."
    )
    line_ids = fields.One2many("sale.target.allocation.line", "wizard_id")
    top_line_ids = fields.One2many(
        "sale.target.allocation.line",
        "wizard_id",
        domain=[("depth", "=", 0)],
        string="Children",
    )
    state = fields.Selection(
        [("setup", "Setup"), ("preview", "Preview")], default="setup", required=True
    )
    fairness = fields.Float(
        digits=(16, 3),
        readonly=True,
        help="Coefficient of variation of target-to-potential ratios across the "
        "children: 0 when every child gets the same target per point of "
        "potential; higher is less even.",
    )
    compare_fairness = fields.Float(digits=(16, 3), readonly=True)
    fairness_label = fields.Char(
        string="Fairness Meaning", compute="_compute_fairness_label"
    )
    fairness_advice = fields.Char(
        string="What to Do",
        compute="_compute_fairness_advice",
        help="On an uneven split: the children far above or below the average "
        "target per point of potential, and how to even it out.",
    )
    warning = fields.Text(
        readonly=True,
        help="What the preview would do that deserves a second look: targets "
        "already under the parent that it leaves alone, large changes against "
        "last year, newcomers without a ramp-up.",
    )
    version = fields.Integer(
        help="The parent's allocation version when the wizard was opened."
    )
    target_level = fields.Selection(related="target_id.level", string="Level")
    region_split = fields.Selection(
        [
            ("structure", "Sub-regions and teams"),
            ("teams", "Every team of the region"),
        ],
        string="Split Among",
        compute="_compute_region_split",
        store=True,
        readonly=False,
        help="A region's target goes to its sub-regions and the teams directly "
        "under it, or straight to every team of the region and of its "
        "sub-regions. It starts on the layer of the targets that exist under it, "
        "so that a split never adds a second layer beside them.",
    )
    xlsx_file = fields.Binary(string="Spreadsheet", attachment=False)
    xlsx_filename = fields.Char()
    manual_total = fields.Float(
        string="Typed So Far",
        compute="_compute_manual_total",
        help="The running total of the typed figures (manual method).",
    )
    manual_left = fields.Float(
        string="Left to Type",
        compute="_compute_manual_total",
        help="What the typed figures still lack to add up to the target (or to "
        "100%); negative when they exceed it.",
    )

    @api.depends("fairness", "state")
    def _compute_fairness_label(self):
        """The fairness figure with its meaning (0 = the same target per point
        of potential for every child)."""
        for wizard in self:
            wizard.fairness_label = messages.fairness_label(self.env, wizard.fairness)

    @api.depends(
        "fairness",
        "compare_fairness",
        "compare_method",
        "state",
        "line_ids.amount",
        "line_ids.potential_score",
    )
    def _compute_fairness_advice(self):
        for wizard in self:
            wizard.fairness_advice = messages.fairness_advice(wizard)

    @api.depends("growth_cap")
    def _compute_growth_cap_on(self):
        for wizard in self:
            wizard.growth_cap_on = bool(wizard.growth_cap)

    @api.onchange("growth_cap_on")
    def _onchange_growth_cap_on(self):
        if not self.growth_cap_on:
            self.growth_cap = 0.0

    @api.depends("line_ids.manual_value", "manual_mode", "amount")
    def _compute_manual_total(self):
        for wizard in self:
            top = wizard.line_ids.filtered(lambda line: not line.parent_line_id)
            total = sum(top.mapped("manual_value"))
            goal = 100.0 if wizard.manual_mode == "percent" else wizard.amount
            wizard.manual_total = total
            wizard.manual_left = goal - total

    # ------------------------------------------------------------------
    # Creation: only for a target the user may allocate
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards._check_target_access()
        for wizard in wizards:
            # the version the confirmation compares against: the system's
            wizard.sudo().version = wizard.target_id.sudo().allocation_version
        wizards._prefill_lines()
        return wizards

    def write(self, vals):
        res = super().write(vals)
        if "target_id" in vals:
            self._check_target_access()
        if "region_split" in vals:
            # other children: the lines start again from what exists
            self.sudo().write({"line_ids": [fields.Command.clear()], "state": "setup"})
            self._prefill_lines()
        return res

    def _check_target_access(self):
        """The user reads the target and is its owner or above it: the one who
        splits it among the level below."""
        if self.env.su:
            return
        for wizard in self:
            target = wizard.target_id
            target.check_access("read")
            if not (target.user_can_edit or target.user_is_owner):
                raise AccessError(
                    self.env._(
                        "You may allocate your own targets and those below you, "
                        "not “%(name)s”.",
                        name=target.display_name,
                    )
                )

    def _prefill_lines(self):
        """One line per child with its current amount as the typed figure, so
        that the manual method starts from what exists."""
        for wizard in self.filtered(lambda w: not w.line_ids and w.target_id):
            target = wizard.target_id
            if target.level == "user":
                continue
            data_children = children_of(
                self.env,
                target.level,
                target._allocation_owner(),
                target.company_id,
                teams_only=wizard._teams_only(),
            )
            existing = {
                child._allocation_key(): child for child in target.sudo().child_ids
            }
            self.env["sale.target.allocation.line"].sudo().create(
                [
                    {
                        "wizard_id": wizard.id,
                        "depth": 0,
                        "sequence": i,
                        "child_key": child.key,
                        "currency_id": target.currency_id.id,
                        "level": child.level,
                        "name": child.name,
                        **child.line_owner_vals(),
                        "own_target": not self.env.su
                        and self.env.user in child.owner_users(),
                        "amount": existing[child.key].amount
                        if child.key in existing
                        else 0.0,
                        "manual_value": existing[child.key].amount
                        if child.key in existing
                        else 0.0,
                    }
                    for i, child in enumerate(data_children)
                ]
            )

    @api.onchange("manual_mode")
    def _onchange_manual_mode(self):
        """Typed figures follow the switch between amounts and percentages."""
        total = self.amount
        if not total:
            return
        for line in self.line_ids.filtered(lambda ln: not ln.parent_line_id):
            if self.manual_mode == "percent":
                line.manual_value = round(100.0 * line.manual_value / total, 4)
            else:
                line.manual_value = round(total * line.manual_value / 100.0, 2)

    @api.model
    def _default_rounding_unit(self):
        unit = self.env["sale.target.settings.fields"]._setting(
            "sale_target_allocation_unit"
        )
        return unit if unit in dict(UNITS) else "100"

    @api.depends("target_id")
    def _compute_child_level_label(self):
        labels = {
            "company": self.env._("Regions"),
            "region": self.env._("Sub-regions and teams"),
            "team": self.env._("Salespeople"),
            "user": self.env._("None"),
        }
        for wizard in self:
            wizard.child_level_label = labels.get(wizard.target_id.level, "")

    @api.depends("target_id")
    def _compute_region_split(self):
        for wizard in self:
            target = wizard.target_id.sudo()
            children = target.child_ids
            by_teams = (
                target.level == "region"
                and children
                and set(children.mapped("level")) == {"team"}
                and any(c.team_id.region_id != target.region_id for c in children)
            )
            wizard.region_split = "teams" if by_teams else "structure"

    def _teams_only(self):
        """Whether the split goes straight to the teams of a region's subtree."""
        return self.target_id.level == "region" and self.region_split == "teams"

    @api.depends("target_id")
    def _compute_potential_year(self):
        for wizard in self:
            year = wizard.target_id.date_from.year if wizard.target_id else 0
            latest = self.env["sale.region.factor.value"]._read_group(
                [("year", "<=", year), ("company_id", "=", wizard.company_id.id)],
                [],
                ["year:max"],
            )
            wizard.potential_year = latest[0][0] or year - 1

    @api.onchange("history_years")
    def _onchange_history_years(self):
        defaults = {"1": (100, 0, 0), "2": (60, 40, 0), "3": (50, 30, 20)}
        (
            self.weight_year1,
            self.weight_year2,
            self.weight_year3,
        ) = defaults[self.history_years]

    # ------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------
    def _check_parent(self):
        target = self.target_id
        if float_compare(target.amount, 0.0, precision_rounding=0.01) <= 0:
            raise UserError(messages.nothing_to_allocate(self, target))
        if target.state == "closed":
            raise UserError(messages.parent_closed(self, target))

    def _level_method(self, child_level, depth):
        """The method for children of ``child_level`` at ``depth`` of the run."""
        if depth == 0:
            return self.method
        if child_level == "user":  # salespeople: the children of a team
            return self.team_children_method
        return self.region_children_method

    def _ramp_schedule(self):
        try:
            return allocation.ramp_schedule(self.ramp_schedule)
        except allocation.AllocationError as error:
            raise UserError(messages.bad_ramp_schedule(self, error)) from error

    def _history_weights(self):
        weights = [self.weight_year1, self.weight_year2, self.weight_year3]
        try:
            return allocation.year_weights(weights[: int(self.history_years)])
        except allocation.AllocationError as error:
            raise UserError(messages.bad_history_weights(self)) from error

    def action_preview(self):
        """Compute the preview lines, keeping what was typed on them before."""
        self.ensure_one()
        self._check_parent()
        kept = {
            line._path(): line._kept_values()
            for line in self.line_ids
            if line.child_key
        }
        data = AllocationData(
            self.env,
            self.target_id,
            int(self.history_years),
            teams_only=self._teams_only(),
        )
        data.prefetch_history(
            self.target_id.level, self.target_id._allocation_owner(), self.cascade
        )
        values = Preview(self, data, kept).build()
        # the lines and the figures below are the system's: written as superuser
        # once the user's right to allocate this target was checked (create)
        self.sudo().line_ids = [fields.Command.clear()]
        # One batch per depth, parents first, so that lines can point to them.
        by_path = {}
        Line = self.env["sale.target.allocation.line"].sudo()
        for depth in sorted({vals["depth"] for vals in values}):
            batch = [vals for vals in values if vals["depth"] == depth]
            for vals in batch:
                parent_path = vals.pop("_parent_path")
                vals["wizard_id"] = self.id
                vals["parent_line_id"] = by_path[parent_path] if parent_path else False
            paths = [vals.pop("_path") for vals in batch]
            created = Line.create(batch)
            by_path.update(zip(paths, created.ids, strict=True))
        self.invalidate_recordset(["line_ids", "top_line_ids"])
        top = self.line_ids.filtered(lambda line: line.depth == 0)
        potential = np.array(top.mapped("potential_score"))
        self._mark_changes()
        self.sudo().write(
            {
                "fairness": fairness(top.mapped("amount"), potential),
                "compare_fairness": (
                    fairness(top.mapped("compare_amount"), potential)
                    if self.compare_method
                    else 0.0
                ),
                "state": "preview",
                "warning": messages.warnings(self, data) or False,
            }
        )
        return self._reopen()

    def _mark_changes(self):
        """What confirming would do to each line's target: create it, change it
        or leave it as it is."""
        existing = Confirmation(self).existing_by_line()
        rounding = self.currency_id.rounding
        kinds = {}
        for line in self.line_ids:
            target = existing.get(line.id)
            if not target:
                kinds.setdefault("create", []).append(line.id)
            elif any(
                float_compare(line[f], target[f], precision_rounding=rounding)
                for f in ("amount", "floor_amount", "stretch_amount")
            ):
                kinds.setdefault("update", []).append(line.id)
            else:
                kinds.setdefault("same", []).append(line.id)
        Line = self.env["sale.target.allocation.line"].sudo()
        for kind, ids in kinds.items():
            Line.browse(ids).write({"change_kind": kind})

    def _prepare_preview_line_vals(self, child, typed, figures):
        """The values of one preview line: the child, what the preview computed
        (``figures``) and what the manager typed on it before (``typed``), which
        is kept. A hook for other addons."""
        last_year = figures["last_year_amount"]
        amount = figures["amount"]
        return {
            **figures,
            "child_key": child.key,
            "currency_id": self.currency_id.id,
            "level": child.level,
            "name": child.name,
            **child.line_owner_vals(),
            "floor_amount": typed.get("floor_amount", figures["floor_amount"]),
            "stretch_amount": typed.get("stretch_amount", figures["stretch_amount"]),
            "override_bounds": bool(typed.get("override_bounds")),
            "locked": bool(typed.get("locked")),
            "minimum_amount": typed.get("minimum_amount", 0.0),
            "maximum_amount": typed.get("maximum_amount", 0.0),
            "manual_value": typed.get("manual_value", 0.0),
            "change_rate": (
                100.0 * (amount - last_year) / last_year if last_year > 0 else 0.0
            ),
        }

    def action_confirm(self):
        self.ensure_one()
        self._check_parent()
        # the prefilled lines of the manual method are no preview (no floor nor
        # stretch yet): confirming them would wipe the children's
        if self.state != "preview" or not self.line_ids:
            raise UserError(self.env._("Compute the preview first."))
        Confirmation(self).run()
        # back on the target the wizard was opened from, reloaded: not that
        # target opened a second time on top of itself (one breadcrumb)
        return {"type": "ir.actions.act_window_close"}

    def _prepare_child_target_vals(self, line, parent, amounts):
        """The values of the child target a preview line creates under
        ``parent``: its owner, the parent's metric, period, company and currency,
        and ``amounts`` (amount, floor, stretch). A hook for other addons."""
        owner = Child(line.level, line._owner_record()).owner_vals()
        if line.level == "user":
            # a salesperson's target lies in their team, and the team's region
            owner["team_id"] = parent.team_id.id
            owner["region_id"] = parent.team_id.region_id.id
        return dict(
            amounts,
            **owner,
            parent_id=parent.id,
            metric=parent.metric,
            date_from=parent.date_from,
            date_to=parent.date_to,
            company_id=parent.company_id.id,
            currency_id=parent.currency_id.id,
        )

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Allocate %(target)s", target=self.target_id.display_name
            ),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            # wide enough for full names, amounts and the reason of each child
            "context": dict(self.env.context, dialog_size="extra-large"),
        }

    def action_back(self):
        self.sudo().state = "setup"
        return self._reopen()

    def action_export_xlsx(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("Compute the preview first."))
        self.xlsx_file = base64.b64encode(self._xlsx_content())
        self.sudo().xlsx_filename = allocation_xlsx.download_name(self)
        return {
            "type": "ir.actions.act_url",
            "url": (
                f"/web/content/{self._name}/{self.id}/xlsx_file/"
                f"{quote(self.xlsx_filename)}?download=true"
            ),
            "target": "download",
        }

    def _xlsx_content(self):
        return allocation_xlsx.export_preview(self)

    def action_import_xlsx(self):
        self.ensure_one()
        if not self.xlsx_file:
            raise UserError(self.env._("Choose the edited spreadsheet to import."))
        content = io.BytesIO(base64.b64decode(self.xlsx_file))
        allocation_xlsx.import_preview(self, content)
        return self._reopen()
