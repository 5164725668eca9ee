from datetime import date

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import TargetCase

MODULE = "sale_regional_target"


class FirstDayCase(HttpCase, TargetCase):
    """Each role's first day in Chromium, from the Targets app, in English and in
    Chinese (the same walk; the tour reads the screens in the user's language)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env["res.users"])
        cls.period = {
            "date_from": date(today.year, 1, 1),
            "date_to": date(today.year, 12, 31),
        }
        # Chinese installed: the regions have their Chinese names, and Odoo
        # gives the generated data its Chinese version
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.country.update_field_translations("name", {"zh_CN": "测试国"})
        cls.east.update_field_translations("name", {"zh_CN": "华东"})
        cls.west.update_field_translations("name", {"zh_CN": "西部"})
        cls.shanghai.update_field_translations("name", {"zh_CN": "上海"})
        cls.env["ir.module.module"].search(
            [("name", "=", MODULE)]
        )._update_translations(["zh_CN"])

    def _in(self, lang, *users):
        for user in users:
            user.lang = lang


@tagged("post_install", "-at_install")
class TestFirstDay(FirstDayCase):
    def _director(self, lang):
        self._in(lang, self.hq)
        plan = self._target(amount=1000.0, **self.period)
        self._target(metric="collected", amount=500.0, **self.period)
        self.start_tour("/odoo", "sale_target_first_day_director", login="srt_hq")
        amounts = {t.region_id: t.amount for t in plan.child_ids}
        self.assertEqual(amounts, {self.east: 500.0, self.west: 500.0})
        east = plan.child_ids.filtered(lambda t: t.region_id == self.east)
        year = self.period["date_from"].year
        self.assertEqual(east.with_context(lang="zh_CN").name, f"{year} 销售额 · 华东")
        self.assertEqual(east.with_context(lang="en_US").name, f"{year} Revenue · East")

    def test_director_en(self):
        self._director("en_US")

    def test_director_zh(self):
        self._director("zh_CN")

    def _manager(self, lang):
        self._in(lang, self.east_manager)
        plan = self._target(amount=1000.0, **self.period)
        east = self._target(plan, region_id=self.east.id, amount=600.0, **self.period)
        team_sh = self._target(
            east, team_id=self.team_sh.id, amount=600.0, **self.period
        )
        direct = self.env["crm.team"].create(
            {
                "name": "Team East Direct",
                "company_id": self.company.id,
                "region_id": self.east.id,
            }
        )
        (plan | east | team_sh).action_negotiate()
        self.start_tour(
            "/odoo", "sale_target_first_day_manager", login="srt_east_manager"
        )
        self.assertEqual(set(east.child_ids.mapped("level")), {"team"})
        self.assertEqual(
            {t.team_id: t.amount for t in east.child_ids},
            {self.team_sh: 300.0, direct: 300.0},
        )
        self.assertFalse(
            east.child_ids.filtered(
                lambda t: t.region_id == self.shanghai and t.level == "region"
            )
        )

    def test_manager_en(self):
        self._manager("en_US")

    def test_manager_zh(self):
        self._manager("zh_CN")

    def _salesperson(self, lang):
        self._in(lang, self.rep_a)
        lifecycle, line = self._planned_customer(
            "Tour Steel Works", action="Visit the plant"
        )
        line.update_field_translations("name", {"zh_CN": "拜访工厂"})
        customer = lifecycle.partner_id
        lifecycle._schedule_action_packs()
        visit = self.env["mail.activity"].search(
            [
                ("res_id", "=", customer.id),
                ("action_pack_line_id", "=", line.id),
            ]
        )
        # due today as the scheduler sees it (its user's time zone)
        self.assertEqual(visit.date_deadline, fields.Date.context_today(lifecycle))
        self.start_tour("/odoo", "sale_target_first_day_salesperson", login="srt_rep_a")
        self.assertFalse(visit.active)
        self.assertEqual(visit.date_done, date.today())
        self.assertTrue(
            customer.message_ids.filtered(
                lambda m: "a trial order in May" in (m.body or "")
            )
        )
        summary = (
            self.env["sale.action.completion"].with_user(self.rep_a).get_my_summary()
        )
        self.assertEqual(summary["this_week"], {"done": 1, "counted": 1, "rate": 100})

    def test_salesperson_en(self):
        self._salesperson("en_US")

    def test_salesperson_zh(self):
        self._salesperson("zh_CN")
