from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _update_translations(self, filter_lang=None, overwrite=False):
        """Once a language's terms are loaded (a language installed, or this
        addon installed or updated), the generated target names are written in
        that language too: the metric labels and region names they are made of
        only exist in that language from now on."""
        res = super()._update_translations(filter_lang, overwrite)
        if filter_lang or "sale_regional_target" in self.mapped("name"):
            if isinstance(filter_lang, str):
                filter_lang = [filter_lang]
            targets = (
                self.env["sale.target"]
                .sudo()
                .with_context(active_test=False)
                .search([])
            )
            targets._translate_generated_names(filter_lang or None)
        return res
