from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.sale_customer_lifecycle import STAGES


class SaleCustomerLifecycleReview(models.TransientModel):
    """A manager's own choice of stage for one or more customers, with a reason."""

    _name = "sale.customer.lifecycle.review"
    _description = "Customer Stage Override"

    lifecycle_ids = fields.Many2many(
        "sale.customer.lifecycle", string="Customers", required=True
    )
    stage = fields.Selection(STAGES, required=True)
    reason = fields.Text(
        required=True,
        help="Why this stage rather than the suggestion or the salesperson's "
        "proposal: it is posted on each customer's lifecycle.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "sale.customer.lifecycle":
            values["lifecycle_ids"] = [(6, 0, context.get("active_ids", []))]
        return values

    def action_apply(self):
        self.ensure_one()
        reason = (self.reason or "").strip()
        if not reason:
            raise ValidationError(
                self.env._(
                    "Give the reason for this stage: it is posted on each customer."
                )
            )
        self.lifecycle_ids._check_reviewer()
        self.lifecycle_ids._set_stage(self.stage, note=reason)
        return {"type": "ir.actions.act_window_close"}
