from odoo import api, fields, models
from odoo.osv import expression


class CrmLead(models.Model):
    _inherit = "crm.lead"

    sale_target_id = fields.Many2one(
        "sale.target",
        string="Feeds Target",
        compute="_compute_sale_target_id",
        groups="sale_regional_target.group_target_user",
        help="The confirmed revenue target this opportunity counts for: its "
        "salesperson's, else its team's, over the period of its expected closing "
        "(today when it has none).",
    )
    sale_target_feeds_mine = fields.Boolean(
        string="Feeds My Target",
        compute="_compute_sale_target_id",
        search="_search_sale_target_feeds_mine",
        groups="sale_regional_target.group_target_user",
    )

    @api.depends_context("uid")
    @api.depends("user_id", "team_id", "date_deadline", "company_id")
    def _compute_sale_target_id(self):
        today = fields.Date.context_today(self)
        targets = (
            self.env["sale.target"]
            .sudo()
            .search(
                [
                    ("state", "=", "confirmed"),
                    ("metric", "=", "revenue"),
                    ("company_id", "in", self.company_id.ids),
                    "|",
                    "&",
                    ("level", "=", "user"),
                    ("user_id", "in", self.user_id.ids),
                    "&",
                    ("level", "=", "team"),
                    ("team_id", "in", self.team_id.ids),
                ],
                order="date_to desc, id",
            )
        )
        by_owner = {}
        for target in targets:
            owner = (target.level, target.user_id.id or target.team_id.id)
            by_owner.setdefault((target.company_id.id, *owner), []).append(target)
        readable = self.env["sale.target"].browse(
            self.env["sale.target"].search([("id", "in", targets.ids)]).ids
        )
        mine = self._my_target_owners()
        for lead in self:
            day = lead.date_deadline or today
            found = self.env["sale.target"]
            for key in (("user", lead.user_id.id), ("team", lead.team_id.id)):
                for target in by_owner.get((lead.company_id.id, *key), []):
                    if target.date_from <= day <= target.date_to:
                        found = target
                        break
                if found:
                    break
            lead.sale_target_id = found if found in readable else False
            lead.sale_target_feeds_mine = (
                lead.user_id.id in mine["users"] or lead.team_id.id in (mine["teams"])
            )

    def _my_target_owners(self):
        """The salespeople and teams whose opportunities count for a confirmed,
        open target of the current user (theirs, their team's, their region's)."""
        today = fields.Date.context_today(self)
        targets = (
            self.env["sale.target"]
            .sudo()
            .search(
                [
                    ("state", "=", "confirmed"),
                    ("date_to", ">=", today),
                    "|",
                    "|",
                    ("user_id", "=", self.env.uid),
                    "&",
                    ("level", "=", "team"),
                    ("team_id.user_id", "=", self.env.uid),
                    "&",
                    ("level", "=", "region"),
                    ("region_id.manager_id", "=", self.env.uid),
                ]
            )
        )
        users = set(targets.filtered(lambda t: t.level == "user").user_id.ids)
        teams = set(targets.filtered(lambda t: t.level == "team").team_id.ids)
        regions = targets.filtered(lambda t: t.level == "region").region_id
        if regions:
            teams |= set(
                self.env["crm.team"]
                .sudo()
                .search([("region_id", "child_of", regions.ids)])
                .ids
            )
        return {"users": users, "teams": teams}

    def _search_sale_target_feeds_mine(self, operator, value):
        # a boolean, searched with whatever operator a filter may send
        if operator in ("=", "!="):
            wanted = {bool(value) == (operator == "=")}
        elif operator in ("in", "not in"):
            values = {bool(v) for v in value}
            wanted = values if operator == "in" else {True, False} - values
        else:
            wanted = {True}
        if not wanted:
            return expression.FALSE_DOMAIN
        if wanted == {True, False}:
            return expression.TRUE_DOMAIN
        mine = self._my_target_owners()
        domain = [
            "|",
            ("user_id", "in", list(mine["users"])),
            ("team_id", "in", list(mine["teams"])),
        ]
        return domain if wanted == {True} else ["!", *domain]
