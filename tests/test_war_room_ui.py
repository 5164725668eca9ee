from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .test_first_day import FirstDayCase


@tagged("post_install", "-at_install")
class TestWarRoomTours(FirstDayCase):
    """The war room in Chromium as HQ and as a salesperson, English and Chinese.
    This year's tree confirmed; Rep A and Rep B have sold little: every region
    is behind its pace."""

    def setUp(self):
        super().setUp()
        company = self._target(amount=1000.0, **self.period)
        east = self._target(
            company, region_id=self.east.id, amount=600.0, **self.period
        )
        west = self._target(
            company, region_id=self.west.id, amount=400.0, **self.period
        )
        team_sh = self._target(
            east, team_id=self.team_sh.id, amount=600.0, **self.period
        )
        team_w = self._target(west, team_id=self.team_w.id, amount=400.0, **self.period)
        rep_a = self._target(
            team_sh,
            team_id=self.team_sh.id,
            user_id=self.rep_a.id,
            amount=300.0,
            **self.period,
        )
        rep_b = self._target(
            team_w,
            team_id=self.team_w.id,
            user_id=self.rep_b.id,
            amount=400.0,
            **self.period,
        )
        self.rep_b_target = rep_b
        targets = company | east | west | team_sh | team_w | rep_a | rep_b
        targets.action_confirm()
        targets._refresh_actuals()
        self.assertTrue(
            all(t.pace_status == "behind" for t in targets if t.expected_rate > 10)
        )
        today = fields.Date.context_today(self.env["res.users"])
        Warning = self.env["sale.target.warning"]
        Warning._run_weekly_check(self.company, today - timedelta(days=today.weekday()))
        self.assertTrue(Warning.search([("target_id", "=", rep_a.id)]))
        # a growing customer of Rep A (the mix), whose key visit is three days late
        lifecycle, line = self._planned_customer(
            "War Room Works", action="Visit the plant"
        )
        line.update_field_translations("name", {"zh_CN": "拜访工厂"})
        lifecycle._schedule_action_packs()
        visit = self.env["mail.activity"].search(
            [("action_pack_line_id", "=", line.id), ("action_key", "=", True)]
        )
        self.assertEqual(len(visit), 1)
        visit.date_deadline = today - timedelta(days=3)
        self.env["sale.action.completion"]._compute_recent_weeks()

    def _hq(self, lang):
        self._in(lang, self.hq)
        self.start_tour(
            "/odoo/action-sale_regional_target.action_sale_target_war_room",
            "sale_target_war_room_hq",
            login="srt_hq",
        )

    def test_hq_en(self):
        self._hq("en_US")

    def test_hq_zh(self):
        self._hq("zh_CN")

    def _salesperson(self, lang):
        self._in(lang, self.rep_a)
        self.start_tour(
            "/odoo/action-sale_regional_target.action_sale_target_war_room",
            "sale_target_war_room_salesperson",
            login="srt_rep_a",
        )

    def test_salesperson_en(self):
        self._salesperson("en_US")

    def test_salesperson_zh(self):
        self._salesperson("zh_CN")

    def test_foreign_or_broken_link(self):
        self._in("en_US", self.rep_a)
        for query in (
            f"scope={self.rep_b_target.id}&metric=revenue",
            "scope=999999999&metric=profit&period=decade",
        ):
            self.start_tour(
                "/odoo/action-sale_regional_target.action_sale_target_war_room?"
                + query,
                "sale_target_war_room_foreign_link",
                login="srt_rep_a",
            )
