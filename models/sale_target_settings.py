from odoo import api, fields, models

from .sale_target_settings_fields import HOURS, TOP_LEVELS, WEEKDAYS


class SaleTargetSettings(models.TransientModel):
    """The addon's settings for HQ administrators.

    Odoo's Settings are for system administrators only; this form shows and
    stores the same settings (``sale.target.settings.fields``) for the *HQ
    Administrator* group of the addon: the system parameters shared by all
    companies, and the current company's own lag warning settings (an HQ
    changes those of its company only).
    """

    _name = "sale.target.settings"
    _inherit = ["sale.target.settings.fields"]
    _description = "Sales Targets Settings"

    # the current company's (res.config.settings relates them to its company:
    # a related field cannot take a selection of its own)
    sale_target_warning_weekday = fields.Selection(
        WEEKDAYS,
        string="Weekly Check On",
        help="The day of the week the check runs, in each company's time zone.",
    )
    sale_target_warning_hour = fields.Selection(
        HOURS,
        string="Weekly Check At",
    )
    sale_target_warning_top = fields.Selection(
        TOP_LEVELS,
        string="Escalate Up To",
        help="The highest level a warning climbs to, one level per week lagging.",
    )

    @api.model
    def _parameter_fields(self):
        return {
            name: field
            for name, field in self._fields.items()
            if getattr(field, "config_parameter", None)
        }

    @api.model
    def default_get(self, fields_list):
        """What is stored, as the addon reads it (a value stored out of range
        shows its default)."""
        values = super().default_get(fields_list)
        params = self.env["ir.config_parameter"].sudo()
        for name, field in self._parameter_fields().items():
            if name not in fields_list:
                continue
            if params.get_param(field.config_parameter) in (None, False):
                continue
            value = self._setting(name)
            values[name] = value.id if field.type == "many2one" else value
        values.update(self._company_values(fields_list))
        return values

    def action_save(self):
        """Store the settings (the checks of the fields ran on saving the form):
        the shared ones in their parameters, the lag warnings' on the current
        company."""
        self.ensure_one()
        params = self.env["ir.config_parameter"].sudo()
        for name, field in self._parameter_fields().items():
            value = self[name]
            if field.type == "boolean":
                params.set_param(field.config_parameter, value)
            elif field.type == "many2one":
                params.set_param(field.config_parameter, value.id or False)
            else:
                params.set_param(field.config_parameter, value or False)
        self._store_zero_weights()
        self._store_company_settings()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Sales Targets settings saved."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
