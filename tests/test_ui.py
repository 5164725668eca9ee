from datetime import date

from odoo.tests import HttpCase, tagged

from .common import TargetCase


@tagged("post_install", "-at_install")
class TestUi(HttpCase, TargetCase):
    def test_manager_tour(self):
        self.start_tour(
            "/odoo/action-sale_regional_target.sale_target_action",
            "sale_regional_target_manager_tour",
            login="srt_east_manager",
        )
        self.assertEqual(self.t_east.amount, 720.0)
        self.assertAlmostEqual(sum(self.t_east.line_ids.mapped("amount")), 720.0, 2)

    def test_allocation_tour(self):
        plan = self._target(
            amount=1000.0, date_from=date(2031, 1, 1), date_to=date(2031, 12, 31)
        )
        self.start_tour(
            "/odoo/action-sale_regional_target.sale_target_action",
            "sale_target_allocation_tour",
            login="srt_hq",
        )
        amounts = {t.region_id: t.amount for t in plan.child_ids}
        self.assertEqual(amounts, {self.east: 600.0, self.west: 400.0})
        self.assertEqual(plan.allocation_version, 1)
        self.assertEqual(plan.allocation_method, "equal")
        for child in plan.child_ids:
            self.assertAlmostEqual(sum(child.line_ids.mapped("amount")), child.amount)
