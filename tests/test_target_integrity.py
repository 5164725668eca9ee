"""Targets and warnings hold together whoever makes them and whenever two users
act at once (issue "Integrity of the execution half", items 9, 10 and 13): each
test written to fail before its fix."""

import re
from datetime import date, timedelta
from functools import partial

from odoo import SUPERUSER_ID, api, fields
from odoo.api import call_kw
from odoo.exceptions import AccessError, UserError
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged

from .test_lag_warnings import W1, W2, W3, W4, LagCase


@tagged("post_install", "-at_install")
class TestSalespersonTargetTeam(LagCase):
    """9. A salesperson target lies in its team and region, however it is made,
    so that its warning climbs salesperson → team leader → regional manager →
    HQ."""

    def setUp(self):
        super().setUp()
        self._only("pace")
        # Rep A's target is made again below, the way each test says
        self.t_rep_a.unlink()

    def _values(self, **vals):
        return {
            "metric": "revenue",
            "date_from": self.year_from,
            "date_to": self.year_to,
            "amount": 300.0,
            **vals,
        }

    def _multi_team(self, user, team):
        """``user`` sells for ``team`` too (Odoo's setting allows a salesperson
        in several teams)."""
        self.env["ir.config_parameter"].sudo().set_param(
            "sales_team.membership_multi", True
        )
        self.env["crm.team.member"].create({"crm_team_id": team.id, "user_id": user.id})
        self.assertEqual(user.crm_team_ids, self.team_sh | team)

    def _steps(self):
        """Who had the warning of Rep A's target, week by week."""
        steps = []
        for week in (W1, W2, W3, W4):
            self._check(week)
            warning = self._warnings(("rule", "=", "pace"))
            steps.append((warning.responsible_role, warning.responsible_id))
        return steps

    def _assert_ladder(self, target):
        self.assertRecordValues(
            target, [{"team_id": self.team_sh.id, "region_id": self.shanghai.id}]
        )
        self.rpc(self.hq, "sale.target", "action_confirm", target.ids)
        self.assertEqual(
            self._steps(),
            [
                ("salesperson", self.rep_a),
                ("team_leader", self.leader),
                ("parent_region_manager", self.east_manager),
                ("hq", self.hq),
            ],
        )
        self.assertRecordValues(
            self._warnings(("rule", "=", "pace")),
            [{"team_id": self.team_sh.id, "region_id": self.shanghai.id}],
        )

    def test_09_made_by_the_team_leader_under_the_team_target(self):
        # only the salesperson and the parent, as an RPC client or an import sends
        target_id = self.rpc(
            self.leader,
            "sale.target",
            "create",
            self._values(user_id=self.rep_a.id, parent_id=self.t_team_sh.id),
        )
        self._assert_ladder(self.env["sale.target"].browse(target_id))

    def test_09_imported_by_hq_under_the_team_target(self):
        result = self.rpc(
            self.hq,
            "sale.target",
            "load",
            ["user_id/.id", "parent_id/.id", "metric", "date_from", "date_to"],
            [
                [
                    str(self.rep_a.id),
                    str(self.t_team_sh.id),
                    "revenue",
                    str(self.year_from),
                    str(self.year_to),
                ]
            ],
        )
        self.assertFalse(result["messages"], result["messages"])
        target = self.env["sale.target"].browse(result["ids"])
        target.write({"amount": 300.0})
        self._assert_ladder(target)

    def test_09_standalone_takes_the_salespersons_team(self):
        target_id = self.rpc(
            self.hq, "sale.target", "create", self._values(user_id=self.rep_a.id)
        )
        self._assert_ladder(self.env["sale.target"].browse(target_id))

    def test_09_moved_under_another_team_target_takes_its_team(self):
        # Rep A sells for team W too; her target starts under team W's
        self._multi_team(self.rep_a, self.team_w)
        target = self.env["sale.target"].browse(
            self.rpc(
                self.hq,
                "sale.target",
                "create",
                self._values(user_id=self.rep_a.id, parent_id=self.t_team_w.id),
            )
        )
        self.assertRecordValues(
            target, [{"team_id": self.team_w.id, "region_id": self.west.id}]
        )
        self.rpc(
            self.hq,
            "sale.target",
            "write",
            target.ids,
            {"parent_id": self.t_team_sh.id},
        )
        self._assert_ladder(target)

    def test_09_a_team_is_not_cleared_under_a_team_target(self):
        target = self.env["sale.target"].browse(
            self.rpc(
                self.leader,
                "sale.target",
                "create",
                # a form sends the empty fields too
                self._values(
                    user_id=self.rep_a.id,
                    parent_id=self.t_team_sh.id,
                    team_id=False,
                    region_id=False,
                ),
            )
        )
        self.rpc(self.leader, "sale.target", "write", target.ids, {"team_id": False})
        self.assertRecordValues(
            target, [{"team_id": self.team_sh.id, "region_id": self.shanghai.id}]
        )

    def test_09_no_leader_reaches_another_team_through_the_parent(self):
        # the team comes from the parent: the leader may not place his own
        # salesperson under another team's target
        self._multi_team(self.rep_a, self.team_w)
        with self.assertRaises(AccessError):
            self.rpc(
                self.leader,
                "sale.target",
                "create",
                self._values(user_id=self.rep_a.id, parent_id=self.t_team_w.id),
            )


@tagged("post_install", "-at_install")
class TestPlanOwnerCompany(LagCase):
    """An improvement plan is carried by an active colleague of the warning's
    company."""

    def setUp(self):
        super().setUp()
        self._only("pace")
        self.t_rep_a.action_confirm()
        self._check(W1)
        self.warning = self._warnings(("rule", "=", "pace"))

    def _acknowledge(self, who):
        wizard = self.rpc(
            self.rep_a,
            "sale.target.warning.acknowledge",
            "create",
            {
                "warning_id": self.warning.id,
                "plan_action": "Two visits a week",
                "plan_user_id": who.id,
                "plan_date": fields.Date.today() + timedelta(days=7),
            },
        )
        return self.rpc(
            self.rep_a, "sale.target.warning.acknowledge", "action_confirm", [wizard]
        )

    def test_plan_owner_of_another_company_is_refused(self):
        _other, other_hq = self._other_company_hq()
        with self.assertRaisesRegex(UserError, "Other HQ cannot carry"):
            self._acknowledge(other_hq)
        self.assertEqual(self.warning.state, "open")

    def test_archived_plan_owner_is_refused(self):
        self.rep_b.active = False
        with self.assertRaisesRegex(UserError, "Rep B cannot carry"):
            self._acknowledge(self.rep_b)
        self.assertEqual(self.warning.state, "open")

    def test_a_colleague_carries_it(self):
        self._acknowledge(self.leader)
        self.assertRecordValues(
            self.warning, [{"state": "acknowledged", "plan_user_id": self.leader.id}]
        )


@tagged("post_install", "-at_install")
class TestTwoAtOnce(TransactionCase):
    """10. Two users acting on one record at the same moment, each in their own
    transaction as two requests are: the second is told, in words.

    The records are committed (by a cursor of their own, deleted again after
    each test) so that both transactions see them; the test's own transaction
    is not used."""

    def setUp(self):
        super().setUp()
        self.admin = self.env.ref("base.user_admin")
        self.company = self.env.ref("base.main_company")
        with self.registry.cursor() as cr:
            env = api.Environment(
                cr,
                SUPERUSER_ID,
                {"tracking_disable": True, "mail_create_nolog": True},
            )
            target = env["sale.target"].create(
                {
                    "name": "Two at once",
                    "metric": "revenue",
                    "company_id": self.company.id,
                    "currency_id": self.company.currency_id.id,
                    "date_from": date(2091, 1, 1),
                    "date_to": date(2091, 12, 31),
                    "amount": 100.0,
                }
            )
            warning = env["sale.target.warning"].create(
                {
                    "rule": "pace",
                    "target_id": target.id,
                    "company_id": self.company.id,
                    "week_start": fields.Date.today() - timedelta(days=7),
                    "responsible_id": self.admin.id,
                }
            )
            self.target_id, self.warning_id = target.id, warning.id
        self.addCleanup(self._delete_committed)
        self.cursors = []
        self.addCleanup(self._close_cursors)

    def _delete_committed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["sale.target.warning"].browse(self.warning_id).exists().unlink()
            cr.execute(
                "UPDATE sale_target SET state = 'draft' WHERE id = %s",
                [self.target_id],
            )
            env["sale.target"].browse(self.target_id).exists().unlink()

    def _close_cursors(self):
        for cr in self.cursors:
            cr.rollback()
            cr.close()

    def _session(self):
        """The admin's environment on a new transaction, as a request has; it
        waits a few seconds at most for a row another holds (before the fix a
        second acknowledgement would otherwise wait for ever on the first,
        which this same thread holds)."""
        cr = self.registry.cursor()
        self.cursors.append(cr)
        self._wait_little(cr)
        return api.Environment(
            cr,
            self.admin.id,
            {"lang": "en_US", "allowed_company_ids": self.company.ids},
        )

    @staticmethod
    def _wait_little(cr):
        cr.execute("SET LOCAL lock_timeout = '3s'")

    def _open_dialog(self, env, plan):
        """The acknowledgement dialog filled in, not yet confirmed."""
        return call_kw(
            env["sale.target.warning.acknowledge"],
            "create",
            [
                {
                    "warning_id": self.warning_id,
                    "plan_action": plan,
                    "plan_user_id": self.admin.id,
                    "plan_date": fields.Date.today() + timedelta(days=7),
                }
            ],
            {},
        )

    def _acknowledge(self, env, plan, wizard=None):
        wizard = wizard or self._open_dialog(env, plan)
        Wizard = env["sale.target.warning.acknowledge"]
        result = call_kw(Wizard, "action_confirm", [[wizard]], {})
        env.flush_all()
        return result

    def _confirm(self, env):
        result = call_kw(env["sale.target"], "action_confirm", [[self.target_id]], {})
        env.flush_all()
        return result

    def test_10_two_acknowledgements_at_once(self):
        first, second = self._session(), self._session()
        # both open the dialog; the first confirms it, the second confirms his
        # before the first's is committed
        dialog = self._open_dialog(second, "Discount the spring range")
        second.cr.commit()
        self._wait_little(second.cr)
        self._acknowledge(first, "Call the five largest customers")
        with self.assertRaisesRegex(
            UserError, "Someone else is acknowledging .* right now"
        ):
            self._acknowledge(second, "Discount the spring range", dialog)
        first.cr.commit()
        # asked again (the client's second try): already acknowledged, by whom
        with self.assertRaisesRegex(
            UserError, f"already been acknowledged by {re.escape(self.admin.name)}"
        ):
            self._acknowledge(self._session(), "Discount the spring range")
        check = self._session()
        self.assertRecordValues(
            check["sale.target.warning"].browse(self.warning_id),
            [
                {
                    "state": "acknowledged",
                    "plan_action": "Call the five largest customers",
                }
            ],
        )

    def test_10_acknowledged_while_the_second_read_it(self):
        """The second read the warning open, then the first committed: its
        request is retried as Odoo retries any, and told in words."""
        first, second = self._session(), self._session()
        warning = second["sale.target.warning"].browse(self.warning_id)
        self.assertEqual(warning.state, "open")
        self._acknowledge(first, "Call the five largest customers")
        first.cr.commit()
        with self.assertRaisesRegex(UserError, "already been acknowledged"):
            retrying(partial(self._acknowledge, second, "Discount"), second)

    def test_10_two_managers_confirm_at_once(self):
        first, second = self._session(), self._session()
        self._confirm(first)
        with self.assertRaisesRegex(UserError, "Someone else is changing .* right now"):
            self._confirm(second)
        first.cr.commit()
        with self.assertRaisesRegex(UserError, "while it is Confirmed"):
            self._confirm(self._session())

    def test_10_confirmed_while_the_second_read_it(self):
        """The second read the target in draft, then the first confirmed and
        committed: no "current transaction is aborted", but the reason."""
        first, second = self._session(), self._session()
        target = second["sale.target"].browse(self.target_id)
        self.assertEqual(target.state, "draft")
        self._confirm(first)
        first.cr.commit()
        with self.assertRaisesRegex(UserError, "while it is Confirmed"):
            retrying(partial(self._confirm, second), second)


@tagged("post_install", "-at_install")
class TestDemoLeavesTheAdministrator(TransactionCase):
    """13. The demo adds its company to the administrator's, whose default
    company stays the database's own."""

    def test_13_admin_keeps_the_main_company(self):
        demo = self.env.ref(
            "sale_regional_target.demo_company", raise_if_not_found=False
        )
        if not demo:
            self.skipTest("installed without demo data")
        admin = self.env.ref("base.user_admin")
        self.assertEqual(admin.company_id, self.env.ref("base.main_company"))
        self.assertIn(demo, admin.company_ids)
