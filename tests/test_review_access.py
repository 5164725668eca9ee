import math

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import TargetCase


@tagged("post_install", "-at_install")
class TestReviewAccess(TargetCase):
    """What a review over RPC found open: each role tried on the dialogs, the
    planned actions and the settings."""

    def test_only_the_salesperson_or_those_above_mark_an_action_done(self):
        lifecycle, _line = self._planned_customer("Done By Whom Works")
        lifecycle._schedule_action_packs()
        visit = self.env["mail.activity"].search(
            [
                ("res_id", "=", lifecycle.partner_id.id),
                ("action_pack_line_id", "!=", False),
            ]
        )
        self.assertEqual(visit.user_id, self.rep_a)
        # a salesperson of another team: refused, the action stays open
        with self.assertRaisesRegex(AccessError, "planned action"):
            visit.with_user(self.rep_b).action_feedback(feedback="not mine")
        self.assertTrue(visit.active)
        # the team's leader and the region's manager may
        visit.with_user(self.leader)._check_may_mark_done()
        visit.with_user(self.east_manager)._check_may_mark_done()
        visit.with_user(self.rep_a).action_feedback(feedback="visited")
        self.assertFalse(visit.active)

    def test_dialogs_belong_to_their_user(self):
        action = self.t_company.with_user(self.hq).action_allocate()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        wizard.with_user(self.hq).write({"method": "equal"})
        wizard.with_user(self.hq).action_preview()
        lines = wizard.line_ids
        self.assertTrue(lines)
        for user in (self.east_manager, self.rep_a):
            with self.assertRaises(AccessError):
                wizard.with_user(user).read(["reason"])
            with self.assertRaises(AccessError):
                lines.with_user(user).read(["amount", "last_year_amount"])
            with self.assertRaises(AccessError):
                lines[:1].with_user(user).write({"amount": 99.0})
        lifecycle, _line = self._planned_customer("Private Outcome Works")
        lifecycle._schedule_action_packs()
        visit = self.env["mail.activity"].search(
            [
                ("res_id", "=", lifecycle.partner_id.id),
                ("action_pack_line_id", "!=", False),
            ]
        )
        done = (
            self.env["sale.action.done"]
            .with_user(self.rep_a)
            .create({"activity_id": visit.id, "outcome": "private"})
        )
        with self.assertRaises(AccessError):
            done.with_user(self.rep_b).read(["outcome"])

    def test_confirming_needs_a_preview(self):
        floors = {t: t.floor_amount for t in self.t_company.child_ids}
        action = self.t_company.with_user(self.hq).action_allocate()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        with self.assertRaisesRegex(UserError, "preview first"):
            wizard.with_user(self.hq).action_confirm()
        self.assertEqual({t: t.floor_amount for t in floors}, floors)

    def test_settings_refuse_what_is_no_number_on_write_too(self):
        Settings = self.env["sale.target.settings"].with_user(self.hq)
        settings = Settings.create({})
        for name, value in (
            ("sale_target_lifecycle_growth_rate", math.nan),
            ("sale_target_weight_stable", math.inf),
            ("sale_target_pace_ahead", "abc"),
            ("sale_target_lifecycle_incubating_months", 2**40),
        ):
            with self.assertRaisesRegex(ValidationError, "number|out of range"):
                settings.write({name: value})

    def test_a_salesperson_target_stays_in_its_team_region(self):
        with self.assertRaises(ValidationError) as caught:
            self.t_rep_a.with_user(self.hq).write({"region_id": self.west.id})
        self.assertIn("its region is", str(caught.exception))
        self.t_rep_a.invalidate_recordset()
        self.assertEqual(self.t_rep_a.region_id, self.shanghai)
