from odoo import fields, models

from .sale_target_warning import RULE_SELECTION


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
