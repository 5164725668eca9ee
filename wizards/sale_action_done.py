from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.action_plan import is_early


class SaleActionDone(models.TransientModel):
    """Marking a planned action done: its outcome, and why when it is early."""

    _name = "sale.action.done"
    _description = "Action Done"

    activity_id = fields.Many2one(
        "mail.activity", string="Planned Action", required=True, ondelete="cascade"
    )
    summary = fields.Char(string="Action", related="activity_id.action_name")
    customer = fields.Char(related="activity_id.res_name", string="Customer")
    date_deadline = fields.Date(related="activity_id.date_deadline", string="Due")
    outcome = fields.Text(
        required=True,
        help="What came of it, in a few words: kept in the customer's chatter.",
    )
    is_early = fields.Boolean(compute="_compute_is_early")
    early_reason = fields.Char(
        string="Why Now",
        help="The action is due in a later week: say why it is done already.",
    )

    @api.depends("activity_id.date_deadline")
    def _compute_is_early(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            wizard.is_early = is_early(wizard.activity_id.date_deadline, today)

    def action_confirm(self):
        self.ensure_one()
        outcome = (self.outcome or "").strip()
        if not outcome:
            raise UserError(self.env._("Say what came of the action."))
        if self.is_early:
            reason = (self.early_reason or "").strip()
            if not reason:
                raise UserError(
                    self.env._(
                        "This action is due in a later week: say why it is done now."
                    )
                )
            outcome = self.env._(
                "%(outcome)s\nDone before its week: %(reason)s",
                outcome=outcome,
                reason=reason,
            )
        self.activity_id.action_feedback(feedback=outcome)
        return {"type": "ir.actions.act_window_close"}
