import base64
import io
import os
import re
from datetime import date, timedelta

import openpyxl
import polib
from freezegun import freeze_time

from odoo.tests import tagged

from ..wizards import allocation_xlsx
from .common import TargetCase
from .test_demo_language import english_words

MODULE = "sale_regional_target"
I18N = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[-+ #0-9.]*[sdfgr%]|%[sdfg%]")
MARKUP = re.compile(r"<[^>]+>|\{\{.*?\}\}")


@tagged("post_install", "-at_install")
class TestReaderLanguage(TargetCase):
    """What the addon generates reads in the reader's language: target names,
    region paths, planned actions; and the Chinese terms use one width of
    brackets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.country.update_field_translations("name", {"zh_CN": "测试国"})
        cls.east.update_field_translations("name", {"zh_CN": "华东"})
        cls.shanghai.update_field_translations("name", {"zh_CN": "上海"})
        # as when Chinese is installed: its terms are loaded, and the targets
        # that exist already get their Chinese names
        cls.module = cls.env["ir.module.module"].search([("name", "=", MODULE)])
        cls.module._update_translations(["zh_CN"], overwrite=True)
        cls.zh_manager = cls.east_manager
        cls.zh_manager.lang = "zh_CN"

    def _name(self, target, lang):
        return target.with_context(lang=lang).name

    def test_generated_names_in_each_language(self):
        # a target made by HQ reading English reads Chinese for a Chinese reader
        region = self._target(
            metric="collected", region_id=self.shanghai.id, amount=10.0
        )
        self.assertEqual(self._name(region, "en_US"), "2030 Collections · Shanghai")
        self.assertEqual(self._name(region, "zh_CN"), "2030 回款 · 上海")
        # and one made by a manager reading Chinese keeps an English name too
        team = (
            self.env["sale.target"]
            .with_user(self.zh_manager)
            .with_context(lang="zh_CN")
            .create(
                {
                    "metric": "collected",
                    "date_from": self.year_from,
                    "date_to": self.year_to,
                    "parent_id": region.id,
                    "team_id": self.team_sh.id,
                    "amount": 10.0,
                }
            )
        )
        self.assertEqual(self._name(team, "zh_CN"), "2030 回款 · Team SH")
        self.assertEqual(self._name(team, "en_US"), "2030 Collections · Team SH")
        # the list finds it by its Chinese name, as a Chinese reader types it
        found = (
            self.env["sale.target"]
            .with_context(lang="zh_CN")
            .search(
                [("name", "ilike", "回款 · 上海"), ("company_id", "=", self.company.id)]
            )
        )
        self.assertEqual(found, region)

    def test_names_typed_in_are_kept_when_a_language_arrives(self):
        typed = self._target(region_id=self.shanghai.id, name="Plan B", amount=5.0)
        generated = self._target(metric="invoiced", region_id=self.east.id, amount=5.0)
        # as if zh_CN had been installed after these targets: only English names
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_target SET name = jsonb_build_object('en_US', name->>'en_US')"
            " WHERE id IN %s",
            [(typed.id, generated.id)],
        )
        self.env.invalidate_all()
        self.assertEqual(self._name(generated, "zh_CN"), "2030 Invoiced · East")
        self.module._update_translations(["zh_CN"])
        self.assertEqual(self._name(generated, "zh_CN"), "2030 开票 · 华东")
        self.assertEqual(self._name(typed, "zh_CN"), "Plan B")
        self.assertEqual(self._name(typed, "en_US"), "Plan B")
        # renamed by a reader of either language: everyone reads the new name
        generated.with_context(lang="en_US").name = "East, stretch plan"
        self.assertEqual(self._name(generated, "zh_CN"), "East, stretch plan")
        typed.with_context(lang="zh_CN").name = "计划 C"
        self.assertEqual(self._name(typed, "en_US"), "计划 C")

    def test_region_path_in_the_readers_language(self):
        zh = self.shanghai.with_context(lang="zh_CN")
        self.assertEqual(zh.display_name, "测试国 / 华东 / 上海")
        self.assertEqual(self.shanghai.display_name, "Testland / East / Shanghai")
        # the stored path stays in one language (for ordering and searching)
        self.assertEqual(zh.complete_name, "Testland / East / Shanghai")
        # a Chinese reader finds the region by its Chinese name
        Region = self.env["sale.region"].with_context(lang="zh_CN")
        self.assertIn(self.shanghai.id, [r[0] for r in Region.name_search("上海")])
        # the targets' region field and the allocation rows show the same path
        self.assertEqual(
            self.t_east.with_context(lang="zh_CN").region_id.display_name,
            "测试国 / 华东",
        )
        wizard = self._wizard(self.t_company.with_context(lang="zh_CN"))
        wizard.method = "equal"
        wizard.action_preview()
        self.assertIn("测试国 / 华东", wizard.line_ids.mapped("name"))

    def test_actions_in_the_readers_language(self):
        Type = self.env["mail.activity.type"]
        pack = self.env["sale.action.pack"].create(
            {
                "name": "Growing",
                "stage": "growing",
                "company_id": self.company.id,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "activity_type_id": Type.create({"name": "Call"}).id,
                            "name": "Visit the plant",
                            "frequency_number": 1,
                            "frequency_unit": "weeks",
                        },
                    )
                ],
            }
        )
        pack.line_ids.update_field_translations("name", {"zh_CN": "拜访工厂"})
        self.rep_a.lang = "zh_CN"
        customer = self.env["res.partner"].create(
            {"name": "Steel Works", "is_company": True, "user_id": self.rep_a.id}
        )
        lifecycle = self.env["sale.customer.lifecycle"].create(
            {
                "partner_id": customer.id,
                "company_id": self.company.id,
                "suggested_stage": "growing",
            }
        )
        with freeze_time("2030-03-04 09:00:00"):
            lifecycle.with_user(self.hq).action_confirm_stage()
        activity = self.env["mail.activity"].search(
            [
                ("res_id", "=", customer.id),
                ("action_pack_line_id", "=", pack.line_ids.id),
            ]
        )
        self.assertEqual(len(activity), 1)
        # written once, in the salesperson's language (Odoo's own widgets show it)
        self.assertEqual(activity.summary, "拜访工厂")
        # the board and the customer's next action follow whoever reads them
        self.assertEqual(
            activity.with_context(lang="en_US").action_name, "Visit the plant"
        )
        self.assertEqual(activity.with_context(lang="zh_CN").action_name, "拜访工厂")
        self.assertEqual(
            lifecycle.with_context(lang="en_US").next_action_summary, "Visit the plant"
        )
        kanban = self.env.ref(f"{MODULE}.mail_activity_view_kanban_action_plan")
        self.assertIn('name="action_name"', kanban.arch)
        self.assertNotIn('name="summary"', kanban.arch)

    def test_chinese_terms(self):
        po = polib.pofile(os.path.join(I18N, "zh_CN.po"))

        def text(msgstr):
            # the words only: not the placeholders, nor the markup and the
            # expressions of a mail template (ctx.get(...) is code)
            return MARKUP.sub("", PLACEHOLDER.sub("", msgstr))

        half_width = [
            e.msgstr
            for e in po
            if re.search(r"[()]", text(e.msgstr))
            and re.search(r"[\u4e00-\u9fff]", e.msgstr)
        ]
        self.assertEqual(half_width, [], "Chinese terms use full-width brackets")
        by_id = {e.msgid: e.msgstr for e in po}
        # "Key" heads the spreadsheet's identifying column: not the word for a
        # door key; a spreadsheet exported before with that header still reads
        self.assertNotEqual(by_id["Key"], "\u952e")
        self.assertEqual(by_id["Key Action"], "关键动作")

    def test_owner_told_in_their_language(self):
        # the director reads English, the East manager Chinese: his message is
        # in Chinese, with the parent's Chinese name
        self.env.flush_all()
        self.env.cr.precommit.run()
        (self.t_east | self.t_west).action_confirm()
        wizard = self._wizard(self.t_company)
        wizard.write({"method": "equal", "rounding_unit": "1", "reason": "New split"})
        wizard.action_preview()
        wizard.action_confirm()
        told = self.t_east.message_ids.filtered(
            lambda m: m.partner_ids == self.east_manager.partner_id
        )
        self.assertEqual(len(told), 1)
        self.assertIn("的分解将此目标从", told.body)
        self.assertIn("2030 销售额 · Target Test Co", told.body)

    def _wizard(self, target):
        action = target.with_user(self.hq).action_allocate()
        return (
            self.env[action["res_model"]]
            .browse(action["res_id"])
            .with_user(self.hq)
            .with_context(**target.env.context)
        )

    def test_legacy_key_header_imports(self):
        wizard = self._wizard(self.t_company)
        wizard.method = "equal"
        wizard.action_preview()
        book = openpyxl.load_workbook(
            io.BytesIO(allocation_xlsx.export_preview(wizard))
        )
        sheet = book["Allocation"]
        self.assertEqual(sheet.cell(row=4, column=1).value, "Key")
        sheet.cell(row=4, column=1).value = "\u952e"
        for row in sheet.iter_rows(min_row=5):
            if row[0].value == f"/region,{self.east.id}":
                row[6].value = 700.0
            elif row[0].value == f"/region,{self.west.id}":
                row[6].value = 300.0
        out = io.BytesIO()
        book.save(out)
        wizard.xlsx_file = base64.b64encode(out.getvalue())
        wizard.action_import_xlsx()
        east = wizard.line_ids.filtered(lambda line: line.name == "Testland / East")
        self.assertEqual(east.amount, 700.0)


@tagged("post_install", "-at_install")
class TestWrittenForTheReader(TargetCase):
    """What the system writes once for others is written in its reader's
    language: a lag warning's activity and notes in its assignee's, a record's
    creation note (read by all its followers) in its company's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search(
            [("name", "=", MODULE)]
        )._update_translations(["zh_CN"], overwrite=True)
        # the company's people read Chinese; its HQ director English
        cls.company.partner_id.lang = "zh_CN"
        (cls.rep_a | cls.leader | cls.east_manager).write({"lang": "zh_CN"})
        cls.hq.lang = "en_US"

    def _english(self, text):
        return english_words(text, allowed={"Rep", "SH", "Leader", "East", "Manager"})

    def _creation_note(self, record):
        return self.env["mail.message"].search(
            [("model", "=", record._name), ("res_id", "=", record.id)],
            order="id",
            limit=1,
        )

    def test_creation_note_in_the_companys_language(self):
        # HQ, reading English, creates a target and a review of the company
        target_id = self.rpc(
            self.hq,
            "sale.target",
            "create",
            {
                "metric": "collected",
                "date_from": "2031-01-01",
                "date_to": "2031-12-31",
                "company_id": self.company.id,
                "amount": 100.0,
            },
        )
        note = self._creation_note(self.env["sale.target"].browse(target_id))
        self.assertIn("销售目标", note.body)
        self.assertEqual(self._english(note.body), [], note.body)
        review = (
            self.env["sale.target.review"]
            .with_user(self.hq)
            ._prepare(
                [("region", self.east)], "month", date(2030, 5, 1), with_children=False
            )
        )
        note = self._creation_note(review)
        self.assertIn("复盘", note.body)
        self.assertEqual(self._english(note.body), [], note.body)

    def test_lag_warning_activity_and_notes_in_the_assignees_language(self):
        Warning = self.env["sale.target.warning"]
        self.company.write(
            {
                "sale_target_warning_pace": True,
                "sale_target_warning_floor": False,
                "sale_target_warning_actions": False,
                "sale_target_warning_silent": False,
            }
        )
        self.t_rep_a.action_confirm()
        week = date(2030, 6, 3)
        Warning._run_weekly_check(self.company, week)
        Warning._run_weekly_check(self.company, week + timedelta(days=7))
        warning = Warning.search([("target_id", "=", self.t_rep_a.id)])
        # escalated to the team leader, who reads Chinese
        self.assertEqual(warning.responsible_id, self.leader)
        activity = (
            self.env["mail.activity"]
            .with_context(lang="zh_CN")
            .search([("lag_warning_id", "=", warning.id)])
        )
        self.assertEqual(len(activity), 1)
        self.assertIn("预警", activity.summary)
        self.assertEqual(self._english(activity.summary), [], activity.summary)
        self.assertEqual(self._english(activity.note), [], activity.note)
        notes = self.env["mail.message"].search(
            [("model", "=", warning._name), ("res_id", "=", warning.id)]
        )
        self.assertTrue(notes)
        for note in notes:
            self.assertEqual(self._english(note.body), [], note.body)
