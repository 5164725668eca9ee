import os

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

MODULE = "sale_regional_target"
I18N = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")
# The demo targets' names ("2026 Collections · East China") are generated in each
# language by the addon and change with the year: data, not terms of the template
# (test_generated_names_are_data checks them instead).
GENERATED_NAMES = "sale.target,name"


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """zh_CN is complete: every term Odoo would export has a Chinese translation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.po = polib.pofile(os.path.join(I18N, "zh_CN.po"))
        cls.pot = polib.pofile(os.path.join(I18N, f"{MODULE}.pot"))

    def test_po_has_no_untranslated_entry(self):
        untranslated = [e.msgid for e in self.po if not e.msgstr.strip() or e.fuzzy]
        self.assertEqual(untranslated, [], f"{len(untranslated)} untranslated entries")

    def test_every_entry_names_its_module(self):
        """Odoo's loader reads the module of each entry from its ``#. module:``
        comment and fails the whole language load on an entry without one."""
        for name, catalogue in (("zh_CN.po", self.po), ("template", self.pot)):
            nameless = [
                e.msgid for e in catalogue if f"module: {MODULE}" not in e.comment
            ]
            self.assertEqual(nameless, [], f"{name}: entries without their module")

    def test_every_exported_term_is_translated(self):
        translated = {e.msgid for e in self.po if e.msgstr.strip() and not e.fuzzy}
        # a source file the extractor cannot read (an f-string given to _())
        # loses all its terms silently: the extraction must log no error
        with self.assertNoLogs("odoo.tools.translate", "ERROR"):
            exported = {
                source
                for module, _type, name, _res_id, source, _value, _comments in (
                    TranslationModuleReader(self.env.cr, modules=[MODULE])
                )
                if module == MODULE and source and name != GENERATED_NAMES
            }
        missing = sorted(exported - translated)
        self.assertEqual(missing, [], f"{len(missing)} terms lack a zh_CN translation")
        # The template is up to date as well.
        self.assertEqual(sorted(exported - {e.msgid for e in self.pot}), [])

    def test_source_terms_are_english(self):
        """The Chinese words live in zh_CN.po, not inside the English terms."""
        with_chinese = sorted(
            source
            for module, _type, name, _res_id, source, _value, _comments in (
                TranslationModuleReader(self.env.cr, modules=[MODULE])
            )
            if module == MODULE
            and source
            and name != GENERATED_NAMES
            and any("\u4e00" <= char <= "\u9fff" for char in source)
        )
        self.assertEqual(with_chinese, [])

    def test_chinese_is_loaded(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            [MODULE], ["zh_CN"], overwrite=True
        )
        Target = self.env["sale.target"].with_context(lang="zh_CN")
        fields = Target.fields_get(["floor_amount", "stretch_amount", "region_id"])
        self.assertEqual(fields["floor_amount"]["string"], "保底")
        self.assertEqual(fields["stretch_amount"]["string"], "挑战")
        self.assertEqual(fields["region_id"]["string"], "区域")
        states = dict(Target.fields_get(["state"])["state"]["selection"])
        self.assertEqual(states["negotiation"], "协商中")

    def test_generated_names_are_data(self):
        pot_names = [
            e.msgid
            for e in self.pot
            if any(
                place.startswith("model:sale.target,name:")
                for place, _l in e.occurrences
            )
        ]
        self.assertEqual(pot_names, [])
        # once Chinese is installed, the demo targets read in Chinese
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", MODULE)]
        )._update_translations(["zh_CN"])
        east = self.env.ref(f"{MODULE}.target_east")
        year = east.date_from.year
        self.assertEqual(east.with_context(lang="zh_CN").name, f"{year} 回款 · 华东区")
        self.assertEqual(
            east.with_context(lang="en_US").name, f"{year} Collections · East China"
        )
