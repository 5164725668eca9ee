from odoo import api, models


class SaleTargetSettings(models.TransientModel):
    """The addon's settings for HQ administrators.

    Odoo's Settings are for system administrators only; this form shows and
    stores the same system parameters (``sale.target.settings.fields``) for
    the *HQ Administrator* group of the addon.
    """

    _name = "sale.target.settings"
    _inherit = ["sale.target.settings.fields"]
    _description = "Sales Targets Settings"

    @api.model
    def _parameter_fields(self):
        return {
            name: field
            for name, field in self._fields.items()
            if getattr(field, "config_parameter", None)
        }

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        params = self.env["ir.config_parameter"].sudo()
        for name, field in self._parameter_fields().items():
            if name not in fields_list:
                continue
            stored = params.get_param(field.config_parameter)
            if stored is None or stored is False:
                continue
            if field.type == "boolean":
                values[name] = stored in ("True", "1")
            elif field.type == "integer":
                values[name] = int(float(stored))
            elif field.type == "float":
                values[name] = float(stored)
            elif field.type == "many2one":
                record = self.env[field.comodel_name].browse(int(stored)).exists()
                values[name] = record.id or False
            else:
                values[name] = stored
        values.update(
            {k: v for k, v in self._switch_values().items() if k in fields_list}
        )
        return values

    def action_save(self):
        """Store the settings (the checks of the fields ran on saving the form)."""
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
        self._store_switches()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Sales Targets settings saved."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
