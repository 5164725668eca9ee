"""The execution half probed as each role over RPC (issue "Integrity of the
execution half"): each test written to fail before its fix."""

from datetime import date

from odoo.tests import tagged

from .common import TargetCase


@tagged("post_install", "-at_install")
class TestForecastHistoryCompany(TargetCase):
    def test_03_another_company_reads_no_forecast_history(self):
        Fit = self.env["sale.target.forecast.fit"]
        Fit._store(self.company, date(2030, 5, 1), '{"win_rate": 0.42}')
        other, other_hq = self._other_company_hq()
        Fit._store(other, date(2030, 5, 1), '{"win_rate": 0.1}')
        seen = self.rpc(
            other_hq, "sale.target.forecast.fit", "search_read", [], ["company_id"]
        )
        self.assertEqual({row["company_id"][0] for row in seen}, {other.id})
        self.assertTrue(seen)
        hq_seen = self.rpc(
            self.hq, "sale.target.forecast.fit", "search_read", [], ["company_id"]
        )
        self.assertEqual({row["company_id"][0] for row in hq_seen}, {self.company.id})
