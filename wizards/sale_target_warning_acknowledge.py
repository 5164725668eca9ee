from odoo import fields, models


class SaleTargetWarningAcknowledge(models.TransientModel):
    """Acknowledge a lag warning with an improvement plan (改进计划): what will
    be done, who carries it and by when. The plan is kept on the warning and
    printed in the review."""

    _name = "sale.target.warning.acknowledge"
    _description = "Acknowledge a Lag Warning"

    warning_id = fields.Many2one(
        "sale.target.warning", required=True, ondelete="cascade", readonly=True
    )
    summary = fields.Char(related="warning_id.summary")
    company_id = fields.Many2one(related="warning_id.company_id")
    plan_action = fields.Text(string="What Will Be Done", required=True)
    plan_user_id = fields.Many2one(
        "res.users",
        string="Who",
        required=True,
        default=lambda self: self.env.user,
        # a colleague of the warning's company (checked on acknowledging too)
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    plan_date = fields.Date(string="By When", required=True)

    def action_confirm(self):
        self.ensure_one()
        self.warning_id._acknowledge(
            self.plan_action, self.plan_user_id, self.plan_date
        )
        return {"type": "ir.actions.act_window_close"}
