from odoo import api, models


class ResConfigSettings(models.TransientModel):
    _name = "res.config.settings"
    _inherit = ["res.config.settings", "sale.target.settings.fields"]

    @api.model
    def get_values(self):
        res = super().get_values()
        res.update(self._switch_values())
        return res

    def set_values(self):
        res = super().set_values()
        self._store_zero_weights()
        self._store_switches()
        return res
