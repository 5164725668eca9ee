from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TargetCase


@tagged("post_install", "-at_install")
class TestAccess(TargetCase):
    """Every rule is checked as the user concerned, never as superuser.

    The tree is in negotiation: everyone concerned has been shown their part
    (drafts above a user are hidden from them, see ``test_hardening``).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (
            cls.t_company
            | cls.t_east
            | cls.t_west
            | cls.t_team_sh
            | cls.t_team_w
            | cls.t_rep_a
            | cls.t_rep_b
        ).action_negotiate()

    def _visible(self, user):
        return (
            self.env["sale.target"]
            .with_user(user)
            .search([("date_from", "=", self.year_from)])
        )

    def test_groups_follow_sales_groups(self):
        self.assertTrue(self.rep_a.has_group("sale_regional_target.group_target_user"))
        self.assertFalse(
            self.rep_a.has_group("sale_regional_target.group_target_manager")
        )
        self.assertTrue(
            self.east_manager.has_group("sale_regional_target.group_target_manager")
        )
        self.assertFalse(
            self.east_manager.has_group("sale_regional_target.group_target_admin")
        )
        self.assertTrue(self.hq.has_group("sale_regional_target.group_target_admin"))

    def test_salesperson_reads_own_team_and_ancestors(self):
        visible = self._visible(self.rep_a)
        self.assertEqual(
            visible, self.t_company | self.t_east | self.t_team_sh | self.t_rep_a
        )
        # The west branch and the other salesperson stay hidden.
        with self.assertRaises(AccessError):
            self.t_rep_b.with_user(self.rep_a).read(["amount"])
        with self.assertRaises(AccessError):
            self.t_west.with_user(self.rep_a).read(["amount"])
        # Phasing lines follow their targets.
        lines = (
            self.env["sale.target.line"]
            .with_user(self.rep_a)
            .search([("target_id.date_from", "=", self.year_from)])
        )
        self.assertEqual(lines.target_id, visible)

    def test_salesperson_writes_nothing(self):
        with self.assertRaises(AccessError):
            self.t_rep_a.with_user(self.rep_a).write({"amount": 1.0})
        with self.assertRaises(AccessError):
            self.env["sale.target"].with_user(self.rep_a).create(
                {
                    "metric": "revenue",
                    "date_from": self.year_from,
                    "date_to": self.year_to,
                    "user_id": self.rep_a.id,
                }
            )
        with self.assertRaises(AccessError):
            self.t_rep_a.line_ids[0].with_user(self.rep_a).write({"amount": 1.0})

    def test_other_salesperson(self):
        visible = self._visible(self.rep_b)
        self.assertEqual(
            visible, self.t_company | self.t_west | self.t_team_w | self.t_rep_b
        )

    def test_regional_manager_subtree(self):
        manager = self.east_manager
        visible = self._visible(manager)
        self.assertEqual(
            visible, self.t_company | self.t_east | self.t_team_sh | self.t_rep_a
        )
        self.t_rep_a.with_user(manager).write({"amount": 250.0})
        self.t_team_sh.with_user(manager).write({"floor_amount": 500.0})
        self.assertEqual(self.t_rep_a.amount, 250.0)
        # His own region target is set by the level above him.
        with self.assertRaisesRegex(AccessError, "your own target"):
            self.t_east.with_user(manager).write({"floor_amount": 500.0})
        # Not the company target above, nor the west branch.
        with self.assertRaises(AccessError):
            self.t_company.with_user(manager).write({"amount": 5.0})
        with self.assertRaises(AccessError):
            self.t_team_w.with_user(manager).read(["amount"])
        # Creates inside the subtree only.
        Target = self.env["sale.target"].with_user(manager)
        sub = Target.create(
            {
                "metric": "revenue",
                "date_from": self.year_from,
                "date_to": self.year_to,
                "parent_id": self.t_east.id,
                "region_id": self.shanghai.id,
                "amount": 10.0,
            }
        )
        self.assertEqual(sub.level, "region")
        with self.assertRaises(AccessError):
            Target.create(
                {
                    "metric": "revenue",
                    "date_from": self.year_from,
                    "date_to": self.year_to,
                    "region_id": self.west.id,
                }
            )

    def test_manager_follows_region_changes(self):
        # Managing a new region takes effect at once (no stale rule cache).
        self.west.manager_id = self.east_manager
        self.assertIn(self.t_rep_b, self._visible(self.east_manager))

    def test_team_leader(self):
        leader = self.leader
        visible = self._visible(leader)
        self.assertEqual(
            visible, self.t_company | self.t_east | self.t_team_sh | self.t_rep_a
        )
        self.t_rep_a.with_user(leader).write({"amount": 280.0})
        # His own team target is set by the level above him.
        with self.assertRaisesRegex(AccessError, "your own target"):
            self.t_team_sh.with_user(leader).write({"floor_amount": 400.0})
        with self.assertRaises(AccessError):
            self.t_east.with_user(leader).write({"amount": 1.0})

    def test_membership_change_takes_effect(self):
        self.team_w.member_ids = [(4, self.rep_a.id)]
        self.assertIn(self.t_team_w, self._visible(self.rep_a))
        self.assertIn(self.t_west, self._visible(self.rep_a))
        self.assertNotIn(self.t_rep_b, self._visible(self.rep_a))

    def test_hq_sees_and_writes_all(self):
        visible = self._visible(self.hq)
        self.assertEqual(
            visible,
            self.t_company
            | self.t_east
            | self.t_west
            | self.t_team_sh
            | self.t_team_w
            | self.t_rep_a
            | self.t_rep_b,
        )
        self.t_rep_b.with_user(self.hq).write({"amount": 350.0})
        self.assertEqual(self.t_rep_b.amount, 350.0)

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Other Sales Co"})
        foreign = self.env["sale.target"].create(
            {
                "metric": "revenue",
                "date_from": self.year_from,
                "date_to": self.year_to,
                "company_id": other.id,
                "currency_id": other.currency_id.id,
                "amount": 77.0,
            }
        )
        self.assertNotIn(foreign, self._visible(self.hq))
        with self.assertRaises(AccessError):
            foreign.with_user(self.hq).read(["amount"])
        self.hq.company_ids |= other
        visible = (
            self.env["sale.target"]
            .with_user(self.hq)
            .with_context(allowed_company_ids=[self.company.id, other.id])
            .search([("date_from", "=", self.year_from)])
        )
        self.assertIn(foreign, visible)

    def test_regions(self):
        Region = self.env["sale.region"]
        self.assertIn(self.west, Region.with_user(self.rep_a).search([]))
        with self.assertRaises(AccessError):
            self.east.with_user(self.rep_a).write({"name": "Mine"})
        self.shanghai.with_user(self.east_manager).write({"zip_prefixes": "200"})
        with self.assertRaises(AccessError):
            self.west.with_user(self.east_manager).write({"name": "Not mine"})
        with self.assertRaises(AccessError):
            Region.with_user(self.east_manager).create({"name": "New"})
        Region.with_user(self.hq).create({"name": "New", "code": "NEW"})
