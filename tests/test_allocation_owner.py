from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import TargetCase
from .test_first_day import FirstDayCase


@tagged("post_install", "-at_install")
class TestAllocationOwnLine(TargetCase):
    """A manager who owns one of the children (a team leader with a personal
    quota, a regional manager running a sub-region) splits their target: their
    own line is the level above's to decide, and says so."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the leader sells in his own team (a member of it, as common.py makes him)
        cls.assertIn(cls, cls.leader, cls.team_sh.member_ids)

    def _allocate(self, user, target, **settings):
        action = self.rpc(user, "sale.target", "action_allocate", [target.id])
        wizard_id = action["res_id"]
        settings = {"method": "equal", "rounding_unit": "1", **settings}
        self.rpc(user, "sale.target.allocation.wizard", "write", [wizard_id], settings)
        self.rpc(user, "sale.target.allocation.wizard", "action_preview", [wizard_id])
        return self.env["sale.target.allocation.wizard"].browse(wizard_id)

    def _line(self, wizard, name):
        return wizard.line_ids.filtered(lambda line: line.name == name)

    def test_leader_splits_team_target_with_his_own_target_kept(self):
        # the level above (the region's manager) set the leader's own target
        own = self._target(
            self.t_team_sh,
            team_id=self.team_sh.id,
            user_id=self.leader.id,
            amount=100.0,
        )
        wizard = self._allocate(self.leader, self.t_team_sh)
        line = self._line(wizard, "SH Leader")
        self.assertTrue(line.own_target)
        self.assertEqual(line.amount, 100.0)
        self.assertEqual(line.change_kind, "same")
        self.assertIn("set by the level above", line.explanation)
        self.assertEqual(self._line(wizard, "Rep A").amount, 500.0)
        self.rpc(
            self.leader, "sale.target.allocation.wizard", "action_confirm", [wizard.id]
        )
        self.assertEqual(own.amount, 100.0)
        self.assertEqual(own.state, "draft")
        self.assertEqual(self.t_rep_a.amount, 500.0)
        self.assertEqual(self.t_team_sh.allocation_version, 1)

    def test_leader_cannot_change_his_own_line(self):
        self._target(
            self.t_team_sh,
            team_id=self.team_sh.id,
            user_id=self.leader.id,
            amount=100.0,
        )
        wizard = self._allocate(self.leader, self.t_team_sh)
        # through the screen: the own line's amount and lock are read-only
        position = wizard.line_ids.ids.index(self._line(wizard, "SH Leader").id)
        with Form(wizard.with_user(self.leader)) as form:
            with form.line_ids.edit(position) as row:
                with self.assertRaises(AssertionError):
                    row.amount = 300.0
        # over RPC: the amounts moved between the lines are refused on confirm
        own_line = self._line(wizard, "SH Leader")
        rep_line = self._line(wizard, "Rep A")
        self.rpc(
            self.leader,
            "sale.target.allocation.line",
            "write",
            [own_line.id],
            {"amount": 300.0},
        )
        self.rpc(
            self.leader,
            "sale.target.allocation.line",
            "write",
            [rep_line.id],
            {"amount": 300.0},
        )
        with self.assertRaisesRegex(UserError, "set by the level above"):
            self.rpc(
                self.leader,
                "sale.target.allocation.wizard",
                "action_confirm",
                [wizard.id],
            )

    def test_leader_without_own_target_proposes_a_draft(self):
        wizard = self._allocate(self.leader, self.t_team_sh)
        line = self._line(wizard, "SH Leader")
        self.assertTrue(line.own_target)
        self.assertIn("proposed", line.explanation)
        self.rpc(
            self.leader, "sale.target.allocation.wizard", "action_confirm", [wizard.id]
        )
        own = self.t_team_sh.child_ids.filtered(lambda t: t.user_id == self.leader)
        self.assertEqual((own.amount, own.state), (300.0, "draft"))
        # a second split keeps it: the level above decides it from now on
        again = self._allocate(self.leader, self.t_team_sh)
        again_line = self._line(again, "SH Leader")
        self.assertEqual(again_line.amount, 300.0)
        self.rpc(
            self.leader, "sale.target.allocation.wizard", "action_confirm", [again.id]
        )
        self.assertEqual(own.amount, 300.0)
        # and the leader still cannot confirm it himself
        with self.assertRaises(AccessError):
            self.rpc(self.leader, "sale.target", "action_confirm", [own.id])

    def test_regional_manager_splits_to_his_own_sub_region(self):
        self.shanghai.manager_id = self.east_manager
        hangzhou = self.env["sale.region"].create(
            {"name": "Hangzhou", "code": "T-E-HZ", "parent_id": self.east.id}
        )
        plan = self._target(
            region_id=self.east.id,
            amount=600.0,
            date_from=date(2031, 1, 1),
            date_to=date(2031, 12, 31),
        )
        own = self._target(
            plan,
            region_id=self.shanghai.id,
            amount=200.0,
            date_from=date(2031, 1, 1),
            date_to=date(2031, 12, 31),
        )
        own.action_confirm()
        wizard = self._allocate(self.east_manager, plan, region_split="structure")
        self.assertEqual(
            {line.name: (line.amount, line.own_target) for line in wizard.line_ids},
            {
                "Testland / East / Shanghai": (200.0, True),
                "Testland / East / Hangzhou": (400.0, False),
            },
        )
        self.rpc(
            self.east_manager,
            "sale.target.allocation.wizard",
            "action_confirm",
            [wizard.id],
        )
        self.assertEqual((own.amount, own.state), (200.0, "confirmed"))
        other = plan.child_ids.filtered(lambda t: t.region_id == hangzhou)
        self.assertEqual(other.amount, 400.0)

    def test_confirm_replaces_the_target_form(self):
        """After the confirmation the dialog closes on the target it came from
        (reloaded), instead of opening that target a second time."""
        wizard = self._allocate(self.hq, self.t_company)
        action = self.rpc(
            self.hq, "sale.target.allocation.wizard", "action_confirm", [wizard.id]
        )
        self.assertEqual(action["type"], "ir.actions.act_window_close")


@tagged("post_install", "-at_install")
class TestAllocationOwnLineDemo(TargetCase):
    """Chen Jie, the Shanghai team's leader and one of its salespeople, splits
    his team's target on the demo."""

    def setUp(self):
        super().setUp()
        self.team_target = self.env.ref(
            "sale_regional_target.target_team_shanghai", raise_if_not_found=False
        )
        if not self.team_target:
            self.skipTest("installed without demo data")
        self.chen = self.env.ref("sale_regional_target.user_chen_jie")

    def test_chen_jie_splits_his_team_target(self):
        own = self.team_target.child_ids.filtered(lambda t: t.user_id == self.chen)
        kept = own.amount
        self.assertTrue(kept)
        action = self.rpc(
            self.chen, "sale.target", "action_allocate", [self.team_target.id]
        )
        wizard = self.env["sale.target.allocation.wizard"].browse(action["res_id"])
        self.rpc(
            self.chen, "sale.target.allocation.wizard", "action_preview", [wizard.id]
        )
        line = wizard.line_ids.filtered(lambda ln: ln.user_id == self.chen)
        self.assertTrue(line.own_target)
        self.assertEqual(line.amount, kept)
        # his salespeople's targets of the year are confirmed: he says why they move
        self.rpc(
            self.chen,
            "sale.target.allocation.wizard",
            "write",
            [wizard.id],
            {"reason": "Rebalanced after the November review"},
        )
        self.rpc(
            self.chen, "sale.target.allocation.wizard", "action_confirm", [wizard.id]
        )
        self.assertEqual(own.amount, kept)
        self.assertEqual(
            sum(self.team_target.child_ids.mapped("amount")), self.team_target.amount
        )


@tagged("post_install", "-at_install")
class TestAllocationOwnLineTour(FirstDayCase):
    def test_leader_split_confirmed_in_chinese(self):
        """The team leader's split, confirmed in Chinese in the browser; his
        own target keeps the amount the level above set."""
        self._in("zh_CN", self.leader)
        # rep A has no target yet: the split makes the team's second sub-target
        self.t_rep_a.unlink()
        own = self._target(
            self.t_team_sh,
            team_id=self.team_sh.id,
            user_id=self.leader.id,
            amount=100.0,
        )
        self.start_tour(
            f"/odoo/action-sale_regional_target.sale_target_action/{self.t_team_sh.id}",
            "sale_target_allocation_own_line_tour",
            login="srt_leader",
        )
        self.assertEqual(own.amount, 100.0)
        rep = self.t_team_sh.child_ids.filtered(lambda t: t.user_id == self.rep_a)
        self.assertEqual(rep.amount, 500.0)
        self.assertEqual(self.t_team_sh.allocation_version, 1)
