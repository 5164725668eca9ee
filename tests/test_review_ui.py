from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .test_first_day import FirstDayCase


@tagged("post_install", "-at_install")
class TestReviewTours(FirstDayCase):
    """Reviews in Chromium: the East manager signs last month's review of East
    (an acknowledged lag warning's plan pulled in), in English and Chinese; Rep
    A finds only their own."""

    def setUp(self):
        super().setUp()
        east = self._target(region_id=self.east.id, amount=600.0, **self.period)
        team = self._target(east, team_id=self.team_sh.id, amount=600.0, **self.period)
        rep = self._target(
            team,
            team_id=self.team_sh.id,
            user_id=self.rep_a.id,
            amount=300.0,
            **self.period,
        )
        (east | team | rep).action_confirm()
        today = fields.Date.context_today(self.env["res.users"])
        Warning = self.env["sale.target.warning"]
        Warning._run_weekly_check(self.company, today - timedelta(days=today.weekday()))
        warning = Warning.search([("target_id", "in", (east | team).ids)], limit=1)
        self.assertTrue(warning)
        warning.sudo().write(
            {
                "state": "acknowledged",
                "plan_action": "Weekly joint visits to the key accounts",
                "plan_user_id": self.leader.id,
                "plan_date": today + timedelta(days=30),
            }
        )
        Review = self.env["sale.target.review"]
        self.review = Review._prepare([("region", self.east)], "month", today)
        self.mine = Review._prepare([("user", self.rep_a)], "month", today)
        self.assertTrue(self.review.action_ids)

    def _sign(self, lang):
        self._in(lang, self.east_manager)
        self.start_tour(
            "/odoo/action-sale_regional_target.sale_target_review_action/"
            f"{self.review.id}",
            "sale_target_review_sign",
            login="srt_east_manager",
        )
        self.assertEqual(self.review.state, "signed")
        self.assertIn("Shanghai is behind", self.review.conclusions)
        self.assertEqual(self.review.signed_by_id, self.east_manager)

    def test_sign_en(self):
        self._sign("en_US")

    def test_sign_zh(self):
        self._sign("zh_CN")

    def test_salesperson(self):
        self._in("en_US", self.rep_a)
        self.start_tour(
            "/odoo/action-sale_regional_target.sale_target_review_action",
            "sale_target_review_salesperson",
            login="srt_rep_a",
        )
