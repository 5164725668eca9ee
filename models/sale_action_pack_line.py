from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.action_plan import FREQUENCY_UNITS

# ir.config_parameter listing the activity types this addon switched to Keep Done
KEEP_DONE_PARAM = "sale_regional_target.keep_done_type_ids"

FREQUENCY_UNIT_LABELS = {"days": "Days", "weeks": "Weeks", "months": "Months"}


class SaleActionPackLine(models.Model):
    """One recurring action of a pack: what to do and how often."""

    _name = "sale.action.pack.line"
    _inherit = ["sale.target.guard.mixin"]
    _description = "Action Pack Line"
    _order = "pack_id, sequence, id"

    pack_id = fields.Many2one(
        "sale.action.pack", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="pack_id.company_id", store=True, index=True)
    stage = fields.Selection(related="pack_id.stage", store=True)
    sequence = fields.Integer(default=10)
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Activity Type",
        required=True,
        ondelete="restrict",
        domain="[('res_model', 'in', (False, 'res.partner'))]",
        help="Saving the line makes this type keep its done activities (Keep Done), "
        "so that done actions can be counted.",
    )
    name = fields.Char(string="Action", required=True, translate=True)
    frequency_number = fields.Integer(string="Every", default=1, required=True)
    frequency_unit = fields.Selection(
        [(unit, FREQUENCY_UNIT_LABELS[unit]) for unit in FREQUENCY_UNITS],
        string="Unit",
        default="months",
        required=True,
    )
    is_key = fields.Boolean(
        string="Key Action",
        default=True,
        help="Key actions count in the salesperson's action completion rate.",
    )
    note = fields.Html(string="Default Note", translate=True)

    _sql_constraints = [
        (
            "frequency_positive",
            "CHECK(frequency_number >= 1)",
            "An action repeats every one or more days, weeks or months.",
        ),
        (
            "frequency_bounded",
            "CHECK(frequency_number <= 1000)",
            "An action repeats at most every 1,000 days, weeks or months.",
        ),
    ]

    @api.onchange("activity_type_id")
    def _onchange_activity_type_id(self):
        if self.activity_type_id and not self.name:
            self.name = self.activity_type_id.name

    def _keep_done_types(self):
        types = self.activity_type_id.filtered(lambda t: not t.keep_done)
        if types:
            types.sudo().keep_done = True
            # remembered, so that uninstalling the addon gives them back as found
            params = self.env["ir.config_parameter"].sudo()
            known = params.get_param(KEEP_DONE_PARAM, "")
            ids = {int(i) for i in known.split(",") if i.strip().isdigit()}
            params.set_param(
                KEEP_DONE_PARAM, ",".join(map(str, sorted(ids | set(types.ids))))
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        """Lines with planned or done actions are archived with their pack, not
        deleted: open actions would lose their pack and done ones their place in
        the completion history."""
        used = (
            self.env["mail.activity"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("action_pack_line_id", "in", self.ids)], limit=1)
        )
        if used:
            raise UserError(
                self.env._(
                    "Actions of this pack have been planned for customers: archive "
                    "the pack instead of deleting it. Its open actions are then "
                    "cancelled with a note, and done ones stay counted."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._keep_done_types()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if "activity_type_id" in vals:
            self._keep_done_types()
        return res
