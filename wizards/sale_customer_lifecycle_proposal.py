from odoo import fields, models
from odoo.exceptions import ValidationError

from ..models.sale_customer_lifecycle import STAGES


class SaleCustomerLifecycleProposal(models.TransientModel):
    """A salesperson's proposal of another stage for a customer, for the manager
    to confirm."""

    _name = "sale.customer.lifecycle.proposal"
    _description = "Customer Stage Proposal"

    lifecycle_id = fields.Many2one(
        "sale.customer.lifecycle", string="Customer", required=True, ondelete="cascade"
    )
    suggested_stage = fields.Selection(related="lifecycle_id.suggested_stage")
    stage = fields.Selection(STAGES, string="Proposed Stage", required=True)
    note = fields.Text(
        string="Why",
        required=True,
        help="What you see that the figures do not: your manager reads it.",
    )

    def action_apply(self):
        self.ensure_one()
        note = (self.note or "").strip()
        if not note:
            raise ValidationError(self.env._("Say why you propose this stage."))
        self.lifecycle_id.write({"proposed_stage": self.stage, "proposal_note": note})
        return {"type": "ir.actions.act_window_close"}
