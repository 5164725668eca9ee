from datetime import date

import numpy as np

from odoo.tests import tagged

from .common import TargetCase


@tagged("post_install", "-at_install")
class TestGroupForecastRates(TargetCase):
    """A group's forecast rate in the target list: the forecast total over the
    target total of the members that have a forecast, empty when none has.
    East (600) and West (400) are forecast at 300 and 500, team SH (600) at
    540, team W (400) and the salespeople not at all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        targets = cls.t_east | cls.t_west | cls.t_team_sh
        forecasts = [300.0, 500.0, 540.0]
        result = dict.fromkeys(
            ("forecast", "low", "high", "committed", "pipeline"), forecasts
        )
        result.update(run_rate=[0.0] * 3, doubtful=[0.0] * 3, confidence=["high"] * 3)
        targets._write_forecast(result, np.zeros((3, 13)), date(2030, 6, 15))
        cls.domain = [("company_id", "=", cls.company.id)]
        cls.measures = ["amount:sum", "forecast_amount:sum", "forecast_rate:avg"]

    def _by_level(self, user, method="web_read_group", **kwargs):
        answer = self.rpc(
            user,
            "sale.target",
            method,
            self.domain,
            self.measures,
            ["level"],
            **kwargs,
        )
        groups = answer["groups"] if method == "web_read_group" else answer
        return {group["level"]: group for group in groups}

    def test_a_group_rate_counts_the_members_with_a_forecast(self):
        self.assertTrue(self.t_team_sh.forecast_date)
        self.assertFalse(self.t_team_w.forecast_date)
        for method, kwargs in (
            ("web_read_group", {"lazy": True}),
            ("read_group", {"lazy": False}),
        ):
            groups = self._by_level(self.hq, method, **kwargs)
            # 800 of 1,000, every region forecast
            self.assertEqual(groups["region"]["forecast_rate"], 80.0, method)
            # team SH's 540 of 600 (90 %), not 540 of both teams' 1,000
            self.assertEqual(groups["team"]["forecast_rate"], 90.0, method)
            # no salesperson has a forecast: no rate rather than 0 %
            self.assertIs(groups["user"]["forecast_rate"], False, method)
            self.assertIs(groups["user"]["forecast_amount"], False, method)

    def test_grouped_by_metric_and_level_as_the_pivot_asks(self):
        groups = self.rpc(
            self.hq,
            "sale.target",
            "read_group",
            self.domain,
            self.measures,
            ["metric", "level"],
            lazy=False,
        )
        rates = {g["level"]: g["forecast_rate"] for g in groups}
        self.assertEqual(
            rates, {"company": False, "region": 80.0, "team": 90.0, "user": False}
        )

    def test_the_column_says_how_a_group_counts(self):
        described = self.rpc(
            self.rep_a, "sale.target", "fields_get", ["forecast_rate"], ["help"]
        )
        self.assertIn("have a forecast", described["forecast_rate"]["help"])
