from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sale_customer_lifecycle import STAGES


class SaleActionPack(models.Model):
    """The key recurring actions of one lifecycle stage (动作包)."""

    _name = "sale.action.pack"
    _inherit = ["sale.target.guard.mixin"]
    _description = "Action Pack"
    _order = "company_id, stage, id"

    name = fields.Char(required=True, translate=True)
    stage = fields.Selection(STAGES, required=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    line_ids = fields.One2many("sale.action.pack.line", "pack_id", string="Actions")
    description = fields.Html(translate=True)

    @api.constrains("stage", "company_id", "active")
    def _check_one_per_stage(self):
        for pack in self.filtered("active"):
            other = self.search_count(
                [
                    ("id", "!=", pack.id),
                    ("stage", "=", pack.stage),
                    ("company_id", "=", pack.company_id.id),
                    ("active", "=", True),
                ]
            )
            if other:
                raise ValidationError(
                    self.env._(
                        "%(company)s already has an active action pack for the "
                        "%(stage)s stage: archive it first, a customer follows one "
                        "pack at a time.",
                        company=pack.company_id.name,
                        stage=dict(STAGES)[pack.stage],
                    )
                )

    def write(self, vals):
        stages = set(self.mapped("stage"))
        res = super().write(vals)
        if "active" in vals or "stage" in vals or "company_id" in vals:
            # the customers of the stages concerned are planned again on the next
            # run: an archived pack's open actions are cancelled with a note
            self.env["sale.customer.lifecycle"].sudo().search(
                [("stage", "in", list(stages | set(self.mapped("stage"))))]
            ).write({"actions_planned_on": False})
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        # the lines go with the pack in the database: check them first
        self.with_context(active_test=False).line_ids._unlink_except_used()
