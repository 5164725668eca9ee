import io
from datetime import date

import openpyxl
from lxml import etree

from odoo.tests import tagged

from .common import TargetCase

MODULE = "sale_regional_target"
LANGS = ("en_US", "zh_CN")


@tagged("post_install", "-at_install")
class TestOneWordPerMeaning(TargetCase):
    """One term per meaning, in English and in Chinese: a target with an open
    lag warning is not "behind" (a pace), and the review report (复盘) is not
    the customers' lifecycle review (审核)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search(
            [("name", "=", MODULE)]
        )._update_translations(["zh_CN"], overwrite=True)

    def _env(self, lang):
        return self.env(context=dict(self.env.context, lang=lang))

    def test_warning_ribbon_is_not_a_pace(self):
        Target = self.env["sale.target"]
        view = self.env.ref(f"{MODULE}.sale_target_view_form")
        for lang in LANGS:
            env = self._env(lang)
            arch = env["sale.target"].get_view(view.id, "form")["arch"]
            ribbons = etree.fromstring(arch).xpath("//widget[@name='web_ribbon']")
            self.assertEqual(len(ribbons), 1)
            title = ribbons[0].get("title")
            paces = dict(Target._fields["pace_status"]._description_selection(env))
            self.assertNotIn(title, paces.values(), lang)
            for pace in paces.values():
                self.assertNotIn(pace, title, lang)
            rules = dict(
                env["sale.target.warning"]._fields["rule"]._description_selection(env)
            )
            self.assertNotIn(title, rules.values(), lang)
        # the pace labels are one word each, the same in the search filters
        search = etree.fromstring(Target.get_view(False, "search")["arch"])
        filters = {f.get("name"): f.get("string") for f in search.iter("filter")}
        paces = dict(Target._fields["pace_status"]._description_selection(self.env))
        self.assertEqual(filters["pace_behind"], paces["behind"])
        self.assertEqual(filters["pace_at_risk"], paces["at_risk"])

    def test_review_report_is_not_the_lifecycle_review(self):
        lifecycle = self._env("zh_CN").ref(
            f"{MODULE}.sale_customer_lifecycle_action_review"
        )
        # 审核, in Chinese, is the customers' lifecycle review only
        self.assertIn("审核", lifecycle.name)
        prepare = self.env.ref(f"{MODULE}.menu_targets_app_prepare_review")
        for lang in LANGS:
            parent = prepare.with_context(lang=lang).parent_id
            self.assertNotIn("审核", parent.name, lang)
            self.assertNotEqual(parent.name, "Review", lang)
        review = self.env["sale.target.review"]._prepare(
            [("region", self.east)], "month", date(2030, 5, 1), with_children=False
        )
        for lang in LANGS:
            book = openpyxl.load_workbook(
                io.BytesIO(review.with_context(lang=lang)._xlsx())
            )
            first = book.worksheets[0]
            for text in (first.title, first["A2"].value):
                self.assertNotIn("审核", text, lang)
                self.assertNotEqual(text, "Review", lang)
