from datetime import date

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import TargetCase


@tagged("post_install", "-at_install")
class TestUi(HttpCase, TargetCase):
    def test_manager_tour(self):
        # the plan has been shared: every target is in negotiation
        self.env["sale.target"].search(
            [("company_id", "=", self.company.id)]
        ).action_negotiate()
        self.start_tour(
            "/odoo/action-sale_regional_target.sale_target_action",
            "sale_regional_target_manager_tour",
            login="srt_east_manager",
        )
        self.assertEqual(self.t_team_sh.amount, 720.0)
        self.assertAlmostEqual(sum(self.t_team_sh.line_ids.mapped("amount")), 720.0, 2)
        self.assertEqual(self.t_east.amount, 600.0)

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

    def _tour_customer(self):
        """A growing customer of rep A, confirmed a month ago with a weekly visit
        due today."""
        lifecycle, _line = self._planned_customer("Tour Steel Works")
        lifecycle._schedule_action_packs()
        return lifecycle

    def test_customer_board_tour(self):
        lifecycle = self._tour_customer()
        self.start_tour(
            "/odoo/action-sale_regional_target.sale_customer_lifecycle_action_board",
            "sale_target_customer_board_tour",
            login="srt_rep_a",
        )
        self.assertEqual(lifecycle.proposed_stage, "stable")
        self.assertEqual(lifecycle.review_state, "proposed")
        self.assertEqual(lifecycle.stage, "growing")

    def test_action_plan_tour(self):
        lifecycle = self._tour_customer()
        visit = self.env["mail.activity"].search(
            [
                ("res_id", "=", lifecycle.partner_id.id),
                ("action_pack_line_id", "!=", False),
            ]
        )
        # due today as the scheduler sees it (its user's time zone)
        self.assertEqual(visit.date_deadline, fields.Date.context_today(lifecycle))
        self.start_tour(
            "/odoo/action-sale_regional_target.mail_activity_action_plan",
            "sale_target_action_plan_tour",
            login="srt_rep_a",
        )
        self.assertFalse(visit.active)
        self.assertEqual(visit.date_done, date.today())
        # its outcome is on the customer
        done = lifecycle.partner_id.message_ids.filtered(
            lambda m: "a trial order in May" in (m.body or "")
        )
        self.assertTrue(done)
