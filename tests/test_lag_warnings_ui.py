from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .test_first_day import FirstDayCase


@tagged("post_install", "-at_install")
class TestLagWarningTours(FirstDayCase):
    """A team leader acknowledges the warning escalated to them; the salesperson
    sees their own warning only, moved to their leader; in English and Chinese."""

    def setUp(self):
        super().setUp()
        for rule in ("floor", "actions", "silent"):
            self.company[f"sale_target_warning_{rule}"] = False
        self.mine = self._target(
            team_id=self.team_sh.id, user_id=self.rep_a.id, amount=300.0, **self.period
        )
        self.other = self._target(
            team_id=self.team_w.id, user_id=self.rep_b.id, amount=300.0, **self.period
        )
        (self.mine | self.other).action_confirm()
        today = fields.Date.context_today(self.env["res.users"])
        monday = today - timedelta(days=today.weekday())
        Warning = self.env["sale.target.warning"]
        # nothing sold: behind last week and this week, so with the leader now
        Warning._run_weekly_check(self.company, monday - timedelta(days=7))
        Warning._run_weekly_check(self.company, today)
        self.warning = Warning.search([("target_id", "=", self.mine.id)])
        self.assertEqual(self.warning.responsible_id, self.leader)

    def _leader(self, lang):
        self._in(lang, self.leader)
        self.start_tour("/odoo", "sale_target_lag_warnings_leader", login="srt_leader")
        self.assertEqual(self.warning.state, "acknowledged")
        self.assertEqual(self.warning.plan_action, "Two joint visits a week with Rep A")
        self.assertEqual(self.warning.plan_user_id, self.leader)
        self.assertFalse(
            self.env["mail.activity"].search([("lag_warning_id", "=", self.warning.id)])
        )

    def test_leader_en(self):
        self._leader("en_US")

    def test_leader_zh(self):
        self._leader("zh_CN")

    def _salesperson(self, lang):
        self._in(lang, self.rep_a)
        self.start_tour(
            "/odoo", "sale_target_lag_warnings_salesperson", login="srt_rep_a"
        )
        self.assertEqual(self.warning.state, "open")

    def test_salesperson_en(self):
        self._salesperson("en_US")

    def test_salesperson_zh(self):
        self._salesperson("zh_CN")
