from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .test_first_day import FirstDayCase


@tagged("post_install", "-at_install")
class TestForecastTours(FirstDayCase):
    """Rep A reads their target's forecast and follows it to the opportunity that
    feeds it, in English and Chinese; the pipeline's *Feeds My Target* finds it
    and not Rep B's."""

    def setUp(self):
        super().setUp()
        self.mine = self._target(
            team_id=self.team_sh.id, user_id=self.rep_a.id, amount=300.0, **self.period
        )
        other = self._target(
            team_id=self.team_w.id, user_id=self.rep_b.id, amount=300.0, **self.period
        )
        (self.mine | other).action_confirm()
        today = fields.Date.context_today(self.env["res.users"])
        Lead = self.env["crm.lead"]
        common = {"type": "opportunity", "company_id": self.company.id}
        Lead.create(
            {
                **common,
                "name": "Forecast Tender",
                "user_id": self.rep_a.id,
                "team_id": self.team_sh.id,
                "expected_revenue": 1000.0,
                "probability": 40.0,
                "date_deadline": min(today + timedelta(days=3), self.period["date_to"]),
            }
        )
        Lead.create(
            {
                **common,
                "name": "West Deal",
                "user_id": self.rep_b.id,
                "team_id": self.team_w.id,
                "expected_revenue": 5000.0,
                "probability": 40.0,
            }
        )
        (self.mine | other)._refresh_actuals()
        # no closed opportunities: the opportunity's own probability
        self.assertEqual(self.mine.forecast_pipeline, 400.0)

    def _salesperson(self, lang):
        self._in(lang, self.rep_a)
        self.start_tour(
            "/odoo/action-sale_regional_target.sale_target_action",
            "sale_target_forecast_salesperson",
            login="srt_rep_a",
        )
        self.start_tour(
            "/odoo/action-crm.crm_lead_action_pipeline",
            "sale_target_forecast_pipeline",
            login="srt_rep_a",
        )

    def test_salesperson_en(self):
        self._salesperson("en_US")

    def test_salesperson_zh(self):
        self._salesperson("zh_CN")
