from odoo import api, fields, models

from .sale_target_warning import RULE_SELECTION

# the events a week's counts name, and the week lines each counts
WEEK_EVENTS = (
    ("raised", ["raised"]),
    ("escalated", ["escalated", "reopened"]),
    ("resolved", ["resolved"]),
)


class SaleTargetWarningWeek(models.Model):
    """What one weekly check found and did for a lag warning: the figures of
    that week, who had the warning and at which level. The digest's week-on-week
    change and the review reports read them."""

    _name = "sale.target.warning.week"
    _description = "Lag Warning Week"
    _inherit = ["sale.target.warning.figures"]
    _order = "week_start desc, id desc"
    _rec_name = "week_start"

    warning_id = fields.Many2one(
        "sale.target.warning", required=True, index=True, ondelete="cascade"
    )
    # copied from the warning when the line is written (the check writes many)
    company_id = fields.Many2one("res.company", required=True, index=True)
    rule = fields.Selection(RULE_SELECTION, required=True)
    week_start = fields.Date(string="Week", required=True, index=True)
    event = fields.Selection(
        [
            ("raised", "Raised"),
            ("carried", "Carried"),
            ("escalated", "Escalated"),
            ("reopened", "Plan Overdue, Escalated"),
            ("resolved", "Resolved"),
        ],
        required=True,
        index=True,
    )
    level = fields.Integer(string="Escalation Level")
    responsible_id = fields.Many2one("res.users", string="Responsible")

    @api.model
    def _scope_domain(self, owner):
        """The lag warnings under ``owner`` (a target or a review: its level,
        company, region, team or salesperson), whatever their rule: a
        salesperson's key-action warning has no target but their team and
        region, as the Lag Warnings list files it."""
        domain = [("company_id", "=", owner.company_id.id)]
        if owner.level == "region":
            return [*domain, ("region_id", "child_of", owner.region_id.id)]
        if owner.level == "team":
            return [*domain, ("team_id", "=", owner.team_id.id)]
        if owner.level == "user":
            return [*domain, ("user_id", "=", owner.user_id.id)]
        return domain

    @api.model
    def _week_counts(self, owner, first, last):
        """What the weekly checks of the weeks from ``first`` to ``last``
        (Mondays) did under ``owner``, and the warnings open or acknowledged
        now: {name: count}, with "domains" {name: the domain of the warnings
        counted}. Each count is the number of warnings its domain finds (a
        warning escalated two weeks running counts once): the war room and the
        review open exactly what they count."""
        Warning = self.env["sale.target.warning"]
        in_scope = self._scope_domain(owner)
        weeks = [
            ("week_start", ">=", fields.Date.to_string(first)),
            ("week_start", "<=", fields.Date.to_string(last)),
        ]
        domains = {
            event: [
                *in_scope,
                ("week_ids", "any", [*weeks, ("event", "in", names)]),
            ]
            for event, names in WEEK_EVENTS
        }
        for state in ("open", "acknowledged"):
            domains[state] = [*in_scope, ("state", "=", state)]
        counts = {
            name: Warning.search_count(domain) for name, domain in domains.items()
        }
        return {
            **counts,
            "domains": domains,
            "first": fields.Date.to_string(first),
            "last": fields.Date.to_string(last),
        }
