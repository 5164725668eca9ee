from odoo import api, fields, models
from odoo.osv import expression


class CrmLead(models.Model):
    _inherit = "crm.lead"

    sale_target_id = fields.Many2one(
        "sale.target",
        string="Feeds Target",
        compute="_compute_sale_target_id",
        groups="sale_regional_target.group_target_user",
        help="The confirmed revenue target this opportunity counts for, the most "
        "specific one you may read: its salesperson's, else its team's, its "
        "region's (nearest first) or its company's, over the period of its "
        "expected closing (today when it has none).",
    )
    sale_target_feeds_mine = fields.Boolean(
        string="Feeds My Target",
        compute="_compute_sale_target_feeds_mine",
        search="_search_sale_target_feeds_mine",
        groups="sale_regional_target.group_target_user",
    )

    def _region_chain(self):
        """The ids of the region of this opportunity's team and of the regions
        above it, nearest first."""
        region = self.team_id.region_id
        if not region.parent_path:
            return []
        return [int(rid) for rid in region.parent_path.split("/") if rid][::-1]

    @api.depends_context("uid")
    @api.depends("user_id", "team_id", "date_deadline", "company_id")
    def _compute_sale_target_id(self):
        today = fields.Date.context_today(self)
        Target = self.env["sale.target"]
        regions = {rid for lead in self for rid in lead._region_chain()}
        targets = Target.sudo().search(
            [
                ("state", "=", "confirmed"),
                ("metric", "=", "revenue"),
                ("company_id", "in", self.company_id.ids),
                "|",
                "|",
                "|",
                "&",
                ("level", "=", "user"),
                ("user_id", "in", self.user_id.ids),
                "&",
                ("level", "=", "team"),
                ("team_id", "in", self.team_id.ids),
                "&",
                ("level", "=", "region"),
                ("region_id", "in", list(regions)),
                ("level", "=", "company"),
            ],
            order="date_to desc, id",
        )
        # the most specific target the user may read
        readable = set(Target.search([("id", "in", targets.ids)]).ids)
        by_owner = {}
        for target in targets:
            if target.id not in readable:
                continue
            owner = {
                "user": target.user_id.id,
                "team": target.team_id.id,
                "region": target.region_id.id,
            }.get(target.level, 0)
            key = (target.company_id.id, target.level, owner)
            by_owner.setdefault(key, []).append(target)
        for lead in self:
            day = lead.date_deadline or today
            chain = [
                ("user", lead.user_id.id),
                ("team", lead.team_id.id),
                *(("region", rid) for rid in lead._region_chain()),
                ("company", 0),
            ]
            found = Target
            for level, owner in chain:
                found = next(
                    (
                        target
                        for target in by_owner.get(
                            (lead.company_id.id, level, owner), []
                        )
                        if target.date_from <= day <= target.date_to
                    ),
                    Target,
                )
                if found:
                    break
            lead.sale_target_id = found

    @api.depends_context("uid")
    @api.depends("user_id", "team_id", "company_id")
    def _compute_sale_target_feeds_mine(self):
        mine = self._my_target_owners()
        for lead in self:
            lead.sale_target_feeds_mine = (
                lead.company_id.id in mine["companies"]
                or lead.user_id.id in mine["users"]
                or lead.team_id.id in mine["teams"]
            )

    def _my_target_owners(self):
        """The companies, salespeople and teams whose opportunities count for a
        confirmed, open target of the current user: theirs, their team's, their
        regions', and their companies' for HQ."""
        today = fields.Date.context_today(self)
        Target = self.env["sale.target"]
        targets = Target.sudo().search(
            expression.AND(
                [
                    [
                        ("state", "=", "confirmed"),
                        ("date_to", ">=", today),
                        ("company_id", "in", self.env.companies.ids),
                    ],
                    Target._owned_domain(),
                ]
            )
        )
        companies = set(targets.filtered(lambda t: t.level == "company").company_id.ids)
        users = set(targets.filtered(lambda t: t.level == "user").user_id.ids)
        teams = set(targets.filtered(lambda t: t.level == "team").team_id.ids)
        regions = targets.filtered(lambda t: t.level == "region").region_id
        if regions:
            teams |= set(
                self.env["crm.team"]
                .sudo()
                .with_context(active_test=False)
                .search([("region_id", "child_of", regions.ids)])
                .ids
            )
        return {"companies": companies, "users": users, "teams": teams}

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
            "|",
            ("company_id", "in", list(mine["companies"])),
            ("user_id", "in", list(mine["users"])),
            ("team_id", "in", list(mine["teams"])),
        ]
        return domain if wanted == {True} else ["!", *domain]
