from odoo import fields, models


def _company_related(name):
    """The current company's own setting (Odoo's pattern for per-company
    settings: the field of the same name on ``company_id``)."""
    return {"related": f"company_id.{name}", "readonly": False}


class ResConfigSettings(models.TransientModel):
    _name = "res.config.settings"
    _inherit = ["res.config.settings", "sale.target.settings.fields"]

    sale_target_warning_pace = fields.Boolean(
        **_company_related("sale_target_warning_pace")
    )
    sale_target_warning_floor = fields.Boolean(
        **_company_related("sale_target_warning_floor")
    )
    sale_target_warning_actions = fields.Boolean(
        **_company_related("sale_target_warning_actions")
    )
    sale_target_warning_silent = fields.Boolean(
        **_company_related("sale_target_warning_silent")
    )
    sale_target_warning_completion_threshold = fields.Float(
        **_company_related("sale_target_warning_completion_threshold")
    )
    sale_target_warning_completion_weeks = fields.Integer(
        **_company_related("sale_target_warning_completion_weeks")
    )
    sale_target_warning_silent_days = fields.Integer(
        **_company_related("sale_target_warning_silent_days")
    )
    sale_target_warning_weekday = fields.Selection(
        **_company_related("sale_target_warning_weekday")
    )
    sale_target_warning_hour = fields.Selection(
        **_company_related("sale_target_warning_hour")
    )
    sale_target_warning_top = fields.Selection(
        **_company_related("sale_target_warning_top")
    )
    sale_target_warning_hq_user_id = fields.Many2one(
        **_company_related("sale_target_warning_hq_user_id")
    )

    def set_values(self):
        res = super().set_values()
        self._store_zero_weights()
        return res
