from odoo import models


class ResConfigSettings(models.TransientModel):
    _name = "res.config.settings"
    _inherit = ["res.config.settings", "sale.target.settings.fields"]

    def set_values(self):
        res = super().set_values()
        self._store_zero_weights()
        return res
