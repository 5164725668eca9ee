from datetime import date, datetime

from odoo import Command
from odoo.tests import tagged

from .common import TargetCase

QUARTER_END = date(2030, 3, 31)


@tagged("post_install", "-at_install")
class TestOrderDay(TargetCase):
    """An order near midnight belongs to the same day, month and quarter for the
    actuals and for the lifecycle classification: its day in the company's time
    zone. ``date_order`` is stored in UTC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Valve", "type": "service", "taxes_id": [Command.clear()]}
        )
        cls.Lifecycle = cls.env["sale.customer.lifecycle"]
        cls.quarter = cls._target(
            user_id=cls.rep_a.id,
            amount=1000.0,
            date_from=date(2030, 1, 1),
            date_to=QUARTER_END,
        )

    def _customer_with_order(self, when_utc):
        partner = self.env["res.partner"].create(
            {"name": "Night Owl Trading", "is_company": True, "user_id": self.rep_a.id}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": self.rep_a.id,
                "company_id": self.company.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "price_unit": 700.0,
                            "tax_id": False,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = when_utc
        self.Lifecycle._sync_customers()
        lifecycle = self.Lifecycle.search([("partner_id", "=", partner.id)])
        self.assertEqual(len(lifecycle), 1)
        return lifecycle

    def _march(self):
        self.quarter._refresh_actuals()
        return {line.date.month: line.achieved_amount for line in self.quarter.line_ids}

    def test_late_evening_west_of_utc_is_the_quarter_s_last_day(self):
        # 23:30 on 31 March in New York (UTC-4 in summer time) is 03:30 UTC on
        # 1 April: the UTC day is in the next quarter, the company's is not.
        self.company.partner_id.tz = "America/New_York"
        lifecycle = self._customer_with_order(datetime(2030, 4, 1, 3, 30))
        lifecycle._classify(QUARTER_END)
        self.assertEqual(lifecycle.last_order_date, QUARTER_END)
        self.assertEqual(lifecycle.order_count, 1)
        self.assertEqual(lifecycle.revenue_last_3_months, 700.0)
        self.assertEqual(lifecycle.revenue_12m, 700.0)
        # the actuals count it in March and in the quarter's target, as well
        self.assertEqual(self._march()[3], 700.0)
        self.assertEqual(self.quarter.achieved_amount, 700.0)

    def test_just_after_midnight_east_of_utc_is_the_next_quarter(self):
        # 00:30 on 1 April in Shanghai (UTC+8) is 16:30 UTC on 31 March: the
        # order belongs to April, not to the quarter ending on 31 March.
        self.company.partner_id.tz = "Asia/Shanghai"
        lifecycle = self._customer_with_order(datetime(2030, 3, 31, 16, 30))
        lifecycle._classify(QUARTER_END)
        self.assertEqual(lifecycle.order_count, 0)
        self.assertFalse(lifecycle.last_order_date)
        self.assertFalse(lifecycle.revenue_last_3_months)
        self.assertEqual(self._march()[3], 0.0)
        self.assertEqual(self.quarter.achieved_amount, 0.0)
        # a day later it is the customer's first order, on 1 April
        lifecycle._classify(date(2030, 4, 1))
        self.assertEqual(lifecycle.last_order_date, date(2030, 4, 1))
        self.assertEqual(lifecycle.revenue_last_3_months, 700.0)
