from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import TargetCase


@tagged("post_install", "-at_install")
class TestSaleTarget(TargetCase):
    def test_level_and_name(self):
        self.assertEqual(self.t_company.level, "company")
        self.assertEqual(self.t_east.level, "region")
        self.assertEqual(self.t_team_sh.level, "team")
        self.assertEqual(self.t_rep_a.level, "user")
        # A team target takes the team's region.
        self.assertEqual(self.t_team_sh.region_id, self.shanghai)
        self.assertEqual(self.t_rep_a.name, "2030 Revenue · Rep A")
        self.assertEqual(self.t_company.owner_name, self.company.name)

    def test_default_phasing_by_days(self):
        lines = self.t_company.line_ids.sorted("date")
        self.assertEqual(len(lines), 12)
        self.assertAlmostEqual(sum(lines.mapped("amount")), 1000.0, places=2)
        # January has 31 of 365 days: 1000 * 31 / 365 = 84.93
        self.assertAlmostEqual(lines[0].amount, 84.93, places=2)
        # February, 28 days: 76.712 has the largest remainder and gets the spare cent.
        self.assertAlmostEqual(lines[1].amount, 76.72, places=2)
        # April, 30 days: 82.19 plus the second spare cent; June keeps 82.19.
        self.assertAlmostEqual(lines[3].amount, 82.20, places=2)
        self.assertAlmostEqual(lines[5].amount, 82.19, places=2)
        self.assertEqual(lines[0].date, date(2030, 1, 1))

    def _reshape(self, target):
        """Move 10 from February to January (one change of the target)."""
        lines = target.line_ids.sorted("date")
        target.write(
            {
                "line_ids": [
                    Command.update(lines[0].id, {"amount": lines[0].amount + 10.0}),
                    Command.update(lines[1].id, {"amount": lines[1].amount - 10.0}),
                ]
            }
        )
        return lines

    def test_phasing_follows_amount_and_period(self):
        target = self.t_west
        lines = self._reshape(target)
        shape = [line.amount for line in lines]
        target.amount = 800.0  # double: the monthly shape is kept
        new = [line.amount for line in target.line_ids.sorted("date")]
        self.assertAlmostEqual(sum(new), 800.0, places=2)
        for before, after in zip(shape, new, strict=True):
            self.assertAlmostEqual(after, before * 2, delta=0.011)
        target.write({"date_from": date(2030, 7, 1)})
        self.assertEqual(len(target.line_ids), 6)
        self.assertAlmostEqual(target.phasing_total, 800.0, places=2)

    def test_phasing_must_sum(self):
        line = self.t_west.line_ids[0]
        with self.assertRaisesRegex(
            ValidationError,
            r"monthly phasing adds up to .*405\.00 but the target is .*400\.00",
        ):
            self.t_west.write(
                {"line_ids": [(1, line.id, {"amount": line.amount + 5.0})]}
            )

    def test_phasing_month_inside_period(self):
        with self.assertRaisesRegex(
            ValidationError, "lies outside the target's period"
        ):
            self.t_west.write(
                {
                    "line_ids": [
                        (5, 0, 0),
                        (0, 0, {"date": date(2031, 1, 1), "amount": 400.0}),
                    ]
                }
            )

    def test_children_gap(self):
        self.assertEqual(self.t_company.children_amount, 1000.0)
        self.assertEqual(self.t_company.children_gap, 0.0)
        self.t_west.amount = 300.0
        self.t_company.invalidate_recordset(["children_amount", "children_gap"])
        self.assertEqual(self.t_company.children_gap, 100.0)
        self.assertAlmostEqual(self.t_company.allocated_rate, 90.0)
        self.assertEqual(self.t_company.child_count, 2)
        self.assertEqual(self.t_rep_a.children_gap, 0.0)

    def test_user_outside_team(self):
        with self.assertRaisesRegex(ValidationError, "Rep B is not a member of team"):
            self._target(team_id=self.team_sh.id, user_id=self.rep_b.id)
        # A member of the team is accepted.
        target = self._target(team_id=self.team_sh.id, user_id=self.leader.id)
        self.assertEqual(target.level, "user")

    def test_bad_dates(self):
        with self.assertRaisesRegex(ValidationError, "end date must not be before"):
            self._target(
                amount=10, date_from=date(2030, 5, 1), date_to=date(2030, 4, 30)
            )

    def test_floor_and_stretch(self):
        with self.assertRaisesRegex(ValidationError, r"floor \(.*\) must not exceed"):
            self._target(amount=100, floor_amount=120)
        with self.assertRaisesRegex(
            ValidationError, r"stretch \(.*\) must not be below"
        ):
            self._target(amount=100, stretch_amount=90)
        with self.assertRaisesRegex(ValidationError, "must not be negative"):
            self._target(amount=-1)
        target = self._target(amount=100, floor_amount=80, stretch_amount=130)
        self.assertEqual((target.floor_amount, target.stretch_amount), (80, 130))

    def _north(self):
        """A region with no target yet under the company target (East and West
        have theirs: a second one is refused for that reason)."""
        return self.env["sale.region"].create(
            {"name": "North", "code": "T-N", "parent_id": self.country.id}
        )

    def test_child_period_inside_parent(self):
        with self.assertRaisesRegex(ValidationError, "must lie within the period"):
            self._target(
                self.t_company,
                region_id=self._north().id,
                date_from=date(2029, 12, 1),
                amount=10,
            )

    def test_child_same_metric(self):
        with self.assertRaisesRegex(ValidationError, "same metric"):
            self._target(self.t_company, region_id=self._north().id, metric="invoiced")

    def test_child_same_currency(self):
        other = self.env["res.currency"].search(
            [("id", "!=", self.t_company.currency_id.id)], limit=1
        )
        with self.assertRaisesRegex(ValidationError, "currency of its parent"):
            self._target(
                self.t_company, region_id=self._north().id, currency_id=other.id
            )

    def test_child_level(self):
        with self.assertRaisesRegex(
            ValidationError, "cannot sit under a Company target"
        ):
            self._target(self.t_company, team_id=self.team_w.id)
        with self.assertRaisesRegex(ValidationError, "cannot sit under a Salesperson"):
            self._target(self.t_rep_a, team_id=self.team_sh.id, user_id=self.rep_a.id)
        with self.assertRaisesRegex(ValidationError, "must be a team of region"):
            self._target(self.t_east, team_id=self.team_w.id)
        with self.assertRaisesRegex(ValidationError, "must be a sub-region of"):
            self._target(self.t_east, region_id=self.west.id)
        with self.assertRaisesRegex(ValidationError, "must be a member of team"):
            self._target(self.t_team_sh, user_id=self.rep_b.id)
        # A sub-region under its region is fine.
        sub = self._target(self.t_east, region_id=self.shanghai.id, amount=5)
        self.assertEqual(sub.level, "region")

    def test_no_cycle(self):
        with self.assertRaisesRegex(UserError, "Recursion"):
            self.t_company.parent_id = self.t_rep_a

    def test_confirmed_overlap(self):
        self.t_east.action_confirm()
        twin = self._target(
            region_id=self.east.id, date_from=date(2030, 6, 1), amount=5
        )
        with self.assertRaisesRegex(
            ValidationError, "already confirmed for the same owner"
        ):
            twin.action_confirm()
        # Another metric or a period that does not overlap is fine.
        self._target(
            region_id=self.east.id, metric="invoiced", amount=5
        ).action_confirm()
        self._target(
            region_id=self.east.id,
            date_from=date(2031, 1, 1),
            date_to=date(2031, 12, 31),
            amount=5,
        ).action_confirm()

    def test_confirmed_change_needs_reason(self):
        # Targets created in this transaction are not tracked until it commits:
        # end that phase as a commit would.
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.t_east.action_confirm()
        with self.assertRaisesRegex(UserError, "give a reason"):
            self.t_east.amount = 650.0
        self.t_east.write(
            {"amount": 650.0, "change_reason": "New key account in Ningbo"}
        )
        self.assertEqual(self.t_east.amount, 650.0)
        self.assertAlmostEqual(self.t_east.phasing_total, 650.0, places=2)
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking messages are written at commit time
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "sale.target"),
                ("mail_message_id.res_id", "=", self.t_east.id),
                ("field_id.name", "in", ("amount", "change_reason")),
            ]
        )
        self.assertEqual(
            sorted(tracked.field_id.mapped("name")), ["amount", "change_reason"]
        )
        reason = tracked.filtered(lambda t: t.field_id.name == "change_reason")
        self.assertEqual(reason.new_value_char, "New key account in Ningbo")
        # Writing the same amount again needs no reason.
        self.t_east.write({"amount": 650.0})

    def test_workflow(self):
        target = self.t_west
        target.action_negotiate()
        self.assertEqual(target.state, "negotiation")
        target.action_confirm()
        self.assertEqual(target.state, "confirmed")
        with self.assertRaisesRegex(UserError, "Cannot send to negotiation"):
            target.action_negotiate()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            target.unlink()
        target.action_close()
        self.assertEqual(target.state, "closed")
        target.action_reset_draft()
        self.assertEqual(target.state, "draft")

    def test_reset_phasing(self):
        self._reshape(self.t_west)
        self.t_west.action_reset_phasing()
        self.assertAlmostEqual(
            self.t_west.line_ids.sorted("date")[0].amount, 400 * 31 / 365, places=2
        )

    def test_view_children_action(self):
        action = self.t_company.action_view_children()
        self.assertEqual(
            self.env["sale.target"].search(action["domain"]), self.t_east | self.t_west
        )
        self.assertEqual(action["context"]["default_parent_id"], self.t_company.id)
