from odoo import api, models

from ..tools import levels


class SaleTarget(models.Model):
    """A salesperson target's team and region, however it is made (form, RPC,
    import, a new parent): from its team target, or standalone from the
    salesperson's team, so that its warnings climb from the salesperson to the
    team leader and the region's managers."""

    _inherit = "sale.target"

    @api.model
    def _salesperson_team(self, user, parent, company):
        """The team of a salesperson target of ``user`` (its region is the
        team's): under a team target, that target's team; standalone, the
        salesperson's team in ``company``, their only one or else their main
        one (``sale_team_id``). So that, however the target is made (form,
        RPC, import), its warnings climb from the salesperson to the team
        leader and the region's managers."""
        Team = self.env["crm.team"]
        parent = parent.sudo()
        if parent:
            return parent.team_id if parent.level == levels.TEAM else Team
        user = user.sudo()
        teams = user.crm_team_ids.filtered(
            lambda team: team.company_id in (company, company.browse())
        )
        if user.sale_team_id in teams:
            return user.sale_team_id
        return teams if len(teams) == 1 else Team

    @api.model
    def _owner_defaults(self, vals):
        """``vals`` of a new target with the team and region of a salesperson
        target that names none (``_salesperson_team``)."""
        context = self.env.context

        def given(name):
            return vals[name] if name in vals else context.get(f"default_{name}")

        user_id = given("user_id")
        if not user_id or given("team_id"):
            return vals
        team = self._salesperson_team(
            self.env["res.users"].browse(user_id),
            self.browse(given("parent_id")),
            self.env["res.company"].browse(given("company_id")) or self.env.company,
        )
        if not team:
            return vals
        return dict(vals, **self._team_values(team, given("region_id")))

    @api.model
    def _team_values(self, team, region_id):
        """The values that put a target in ``team`` and its region (unless a
        region is given: the constraints then check it is the team's)."""
        if region_id or not team.region_id:
            return {"team_id": team.id}
        return {"team_id": team.id, "region_id": team.region_id.id}

    def _split_by_salesperson_team(self, vals):
        """[(targets, their values)] of a write that moves salesperson targets
        (a new parent or salesperson, or their team cleared) without naming a
        team: each gets the team and region ``_salesperson_team`` gives it.
        Empty when no team changes."""
        if vals.get("team_id") or not {"parent_id", "user_id", "team_id"} & set(vals):
            return []
        Users = self.env["res.users"]
        moved = {}
        for target in self:
            user = target.user_id
            if "user_id" in vals:
                user = Users.browse(vals["user_id"])
            if not user:
                continue
            parent = (
                self.browse(vals["parent_id"])
                if "parent_id" in vals
                else target.parent_id
            )
            team = self._salesperson_team(user, parent, target.company_id)
            if team and team != ("team_id" not in vals and target.team_id):
                moved[team] = moved.get(team, self.browse()) | target
        split = [
            (targets, dict(vals, **self._team_values(team, vals.get("region_id"))))
            for team, targets in moved.items()
        ]
        rest = self - self.browse().union(*moved.values())
        if split and rest:
            split.append((rest, vals))
        return split
