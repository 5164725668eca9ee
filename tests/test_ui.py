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
