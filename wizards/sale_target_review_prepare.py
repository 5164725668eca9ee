from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.sale_target_review import OWNER_LEVELS, PERIODS
from ..tools import levels
from ..tools import review as review_tools


class SaleTargetReviewPrepare(models.TransientModel):
    """Prepare the reviews (复盘) of a region, a team or a salesperson, and if
    asked of each owner below them, for a month, a quarter or the year to
    date: those already prepared are opened, not made twice."""

    _name = "sale.target.review.prepare"
    _description = "Prepare a Sales Target Review"

    level = fields.Selection(
        OWNER_LEVELS, string="Review Of", required=True, default="region"
    )
    region_id = fields.Many2one("sale.region", string="Region")
    team_id = fields.Many2one("crm.team", string="Sales Team")
    user_id = fields.Many2one(
        "res.users", string="Salesperson", domain="[('share', '=', False)]"
    )
    period = fields.Selection(PERIODS, required=True, default="month")
    day = fields.Date(
        string="Period Of",
        required=True,
        default=lambda self: review_tools.last_month(fields.Date.context_today(self)),
        help="Any day of the month reviewed (of the quarter, or of the year to "
        "date's last month).",
    )
    include_children = fields.Boolean(
        string="Also Their Teams or Salespeople",
        help="Prepare a review for each owner of a sub-target too.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "sale.target" and context.get("active_id"):
            target = self.env["sale.target"].browse(context["active_id"]).exists()
            if target and target.level in dict(OWNER_LEVELS):
                values.update(
                    level=target.level,
                    **{
                        levels.OWNER_FIELD[target.level]: target[
                            levels.OWNER_FIELD[target.level]
                        ].id
                    },
                )
                return values
        values.update(self._own_owner_defaults(values.get("level")))
        return values

    @api.model
    def _own_owner_defaults(self, level):
        """The region the user manages and the team they lead, when there is
        one of each (a region managed under another they manage is part of
        it); a team leader who manages no region starts on their team."""
        uid = self.env.uid
        regions = self.env["sale.region"].search([("manager_id", "=", uid)])
        regions = regions.filtered(
            lambda region: uid not in region.parent_id.manager_user_ids.ids
        )
        teams = self.env["crm.team"].search([("user_id", "=", uid)])
        values = {}
        if len(regions) == 1:
            values["region_id"] = regions.id
        if len(teams) == 1:
            values["team_id"] = teams.id
            if not regions and level == "region":
                values["level"] = "team"
        return values

    def _owner(self):
        owner = self[levels.OWNER_FIELD[self.level]]
        if not owner:
            raise UserError(self.env._("Choose whose review to prepare."))
        return owner

    def action_prepare(self):
        self.ensure_one()
        if not self.env.user.has_group("sale_regional_target.group_target_manager"):
            raise AccessError(self.env._("Only a sales manager prepares reviews."))
        owner = self._owner()
        date_from, date_to = review_tools.window(self.period, self.day)
        Target = self.env["sale.target"]
        running = [
            ("state", "=", "confirmed"),
            ("date_from", "<=", date_to),
            ("date_to", ">=", date_from),
        ]
        field = levels.OWNER_FIELD[self.level]
        # the owner's targets as the user reads them: none readable, no review
        targets = Target.search(
            [("level", "=", self.level), (field, "=", owner.id), *running]
        )
        if not targets:
            raise UserError(
                self.env._(
                    "%(owner)s has no confirmed target you may see in this period.",
                    owner=owner.display_name,
                )
            )
        owners = [(self.level, owner)]
        if self.include_children:
            seen = set()
            for child in Target.search([("parent_id", "in", targets.ids), *running]):
                if child.level not in dict(OWNER_LEVELS):
                    continue
                child_owner = child[levels.OWNER_FIELD[child.level]]
                if (child.level, child_owner.id) not in seen:
                    seen.add((child.level, child_owner.id))
                    owners.append((child.level, child_owner))
        reviews = self.env["sale.target.review"]._prepare(
            owners, self.period, self.day, with_children=True
        )
        action = self._open(reviews)
        signed = reviews.filtered(lambda r: r.state == "signed")
        if not signed:
            return action
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "message": self.env._(
                    "%(reviews)s: already signed, left as signed. Improvement "
                    "plans acknowledged since are not in it: set it back to "
                    "draft and prepare it again to take them in.",
                    reviews=", ".join(signed.mapped("name")),
                ),
                "next": action,
            },
        }

    @api.model
    def _open(self, reviews):
        """The reviews' own window action (its path in the URL), on a fresh
        breadcrumb: not stacked on the record the wizard was opened from, whose
        place a reloaded URL would give to the wizard's id."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_regional_target.sale_target_review_action"
        )
        action.update(
            target="main",
            domain=[("id", "in", reviews.ids)],
            context={"active_id": False, "active_ids": False, "active_model": False},
        )
        if len(reviews) == 1:
            action.update(res_id=reviews.id, views=[[False, "form"]])
        return action
