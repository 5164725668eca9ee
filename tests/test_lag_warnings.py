from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import TargetCase

W1, W2, W3, W4 = (date(2030, 6, 3) + timedelta(days=7 * n) for n in range(4))
# each rule's switch, a setting of the company
RULE_FIELDS = {
    "pace": "sale_target_warning_pace",
    "floor": "sale_target_warning_floor",
    "actions": "sale_target_warning_actions",
    "silent": "sale_target_warning_silent",
}


class LagCase(TargetCase):
    """The test company of ``TargetCase`` (UTC, year 2030) with a product, a
    customer and helpers to check weeks, order, and plan key actions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Warning = cls.env["sale.target.warning"]
        cls.product = cls.env["product.product"].create(
            {"name": "Pump", "type": "service", "taxes_id": [Command.clear()]}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Lag Customer", "is_company": True, "user_id": cls.rep_a.id}
        )
        for user in (cls.hq, cls.east_manager, cls.leader, cls.rep_a, cls.rep_b):
            user.email = f"{user.login}@example.com"

    def _only(self, *rules):
        self.company.write(
            {field: rule in rules for rule, field in RULE_FIELDS.items()}
        )

    def _check(self, day, **kw):
        return self.Warning._run_weekly_check(self.company, day, **kw)

    def _warnings(self, *domain):
        return self.Warning.search(
            [("company_id", "=", self.company.id), *domain], order="id"
        )

    def _order(self, user, amount, when, partner=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "user_id": user.id,
                "company_id": self.company.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "price_unit": amount,
                            "tax_id": False,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = when
        return order

    def _activities(self, warnings, active=True):
        return (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search([("lag_warning_id", "in", warnings.ids), ("active", "=", active)])
        )

    def _confirm(self, *targets):
        for target in targets:
            target.action_confirm()


@tagged("post_install", "-at_install")
class TestFourWeeks(LagCase):
    """Week by week on Rep A's confirmed target of 300 for 2030, pace rule only."""

    def setUp(self):
        super().setUp()
        self._only("pace")
        self._confirm(self.t_rep_a)

    def test_raise_escalate_resolve_and_idempotent(self):
        # week 1: nothing sold by 3 June, 42 % of the year gone: behind
        check = self._check(W1)
        warning = self._warnings()
        self.assertEqual(len(warning), 1)
        self.assertEqual(check.counts["raised"], 1)
        self.assertRecordValues(
            warning,
            [
                {
                    "rule": "pace",
                    "target_id": self.t_rep_a.id,
                    "user_id": self.rep_a.id,
                    "team_id": self.team_sh.id,
                    "region_id": self.shanghai.id,
                    "state": "open",
                    "week_start": W1,
                    "consecutive_weeks": 1,
                    "level": 1,
                    "responsible_role": "salesperson",
                    "responsible_id": self.rep_a.id,
                    "achieved_amount": 0.0,
                    "target_amount": 300.0,
                    "achievement_rate": 0.0,
                    # 154 days of 365
                    "expected_rate": 42.2,
                    "expected_amount": 126.58,
                    "gap_amount": 300.0,
                }
            ],
        )
        activity = self._activities(warning)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.rep_a)
        self.assertEqual(
            (activity.res_model, activity.res_id), ("sale.target", self.t_rep_a.id)
        )
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("sale_regional_target.mail_activity_type_lag_warning"),
        )
        self.assertEqual(activity.date_deadline, W1 + timedelta(days=4))

        # week 2: still nothing: one level up, to the team leader
        check = self._check(W2)
        self.assertEqual(check.counts["escalated"], 1)
        self.assertRecordValues(
            warning,
            [
                {
                    "state": "open",
                    "consecutive_weeks": 2,
                    "level": 2,
                    "is_escalated": True,
                    "responsible_role": "team_leader",
                    "responsible_id": self.leader.id,
                    "last_week": W2,
                }
            ],
        )
        activity = self._activities(warning)
        self.assertEqual(len(activity), 1, "one open activity, moved")
        self.assertEqual(activity.user_id, self.leader)
        self.assertEqual(warning.responsible_user_ids, self.rep_a | self.leader)
        # the salesperson who had it still reads it, and sees it moved
        mine = warning.with_user(self.rep_a)
        self.assertEqual(mine.responsible_id, self.leader)
        tracked = warning.message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "responsible_id"
        )
        self.assertEqual(tracked.new_value_char, "SH Leader")

        # week 3: an order of 290 on 5 June brings it ahead of pace: resolved
        self._order(self.rep_a, 290.0, datetime(2030, 6, 5, 10))
        check = self._check(W3)
        self.assertEqual(check.counts["resolved"], 1)
        self.assertRecordValues(
            warning,
            [
                {
                    "state": "resolved",
                    "resolution": "recovered",
                    "resolved_week": W3,
                    "consecutive_weeks": 2,
                }
            ],
        )
        self.assertFalse(self._activities(warning))
        done = self._activities(warning, active=False)
        self.assertEqual(len(done), 1)
        self.assertEqual(done.user_id, self.leader)
        resolved_week = warning.week_ids.filtered(lambda w: w.event == "resolved")
        self.assertEqual(resolved_week.achieved_amount, 290.0)
        self.assertEqual(resolved_week.achievement_rate, 96.7)
        self.assertEqual(
            warning.week_ids.sorted("week_start").mapped("event"),
            ["raised", "escalated", "resolved"],
        )

        # a second run in week 3 changes nothing and sends no second digest
        mails = self.env["mail.mail"].search_count([])
        digests = self.env["sale.target.warning.digest"].search_count([])
        messages = self.env["mail.message"].search_count([])
        check = self._check(W3 + timedelta(days=2))
        self.assertFalse(+check.counts)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails)
        self.assertEqual(
            self.env["sale.target.warning.digest"].search_count([]), digests
        )
        self.assertEqual(self.env["mail.message"].search_count([]), messages)

        # week 4: the order is cancelled; lagging again raises a new warning
        self.env["sale.order"].search(
            [("user_id", "=", self.rep_a.id)]
        )._action_cancel()
        self._check(W4)
        warnings = self._warnings()
        self.assertEqual(len(warnings), 2)
        self.assertEqual(warnings[1].state, "open")
        self.assertEqual(warnings[1].week_start, W4)
        self.assertEqual(warnings[1].responsible_id, self.rep_a)

    def test_escalation_climbs_to_hq_skipping_empty_levels(self):
        # Rep A → SH Leader → (Shanghai has no manager) → East's manager → HQ
        steps = []
        for week in (W1, W2, W3, W4, W4 + timedelta(days=7)):
            self._check(week)
            warning = self._warnings()
            steps.append((warning.responsible_role, warning.responsible_id))
        self.assertEqual(
            steps,
            [
                ("salesperson", self.rep_a),
                ("team_leader", self.leader),
                ("parent_region_manager", self.east_manager),
                ("hq", self.hq),
                ("hq", self.hq),
            ],
        )
        self.assertEqual(self._warnings().consecutive_weeks, 5)
        self.assertEqual(len(self._activities(self._warnings())), 1)

    def test_the_top_of_the_ladder_is_a_setting(self):
        self.company.sale_target_warning_top = "team_leader"
        for week in (W1, W2, W3):
            self._check(week)
        warning = self._warnings()
        self.assertEqual(warning.responsible_id, self.leader)
        self.assertEqual(warning.level, 2)
        self.assertEqual(warning.consecutive_weeks, 3)

    def test_an_acknowledged_plan_holds_escalation_until_its_date(self):
        self._check(W1)
        warning = self._warnings()
        mine = warning.with_user(self.rep_a)
        with freeze_time("2030-06-04 09:00:00"):
            with self.assertRaisesRegex(UserError, "improvement plan is required"):
                mine._acknowledge("   ", self.rep_a, W1 + timedelta(days=10))
            with self.assertRaisesRegex(UserError, "already past"):
                mine._acknowledge("Visit", self.rep_a, W1)
            with self.assertRaisesRegex(UserError, "who carries"):
                mine._acknowledge("Visit", self.env["res.users"], W2)
            # a plan cannot hold the escalation for ever
            with self.assertRaisesRegex(UserError, "a quarter at most"):
                mine._acknowledge("Visit", self.rep_a, date(2099, 1, 1))
            # another salesperson cannot acknowledge it (nor read it)
            with self.assertRaises(AccessError):
                warning.with_user(self.rep_b)._acknowledge("x", self.rep_b, W2)
            # through the dialog, as the salesperson; the plan is required there too
            action = mine.action_acknowledge()
            wizard = Form(
                self.env[action["res_model"]]
                .with_user(self.rep_a)
                .with_context(**action["context"])
            )
            wizard.plan_date = W2 + timedelta(days=3)
            with self.assertRaises(AssertionError):
                wizard.save()  # What Will Be Done is required
            wizard.plan_action = "Visit the three largest customers with a joint offer"
            wizard.save().action_confirm()
        self.assertRecordValues(
            warning,
            [
                {
                    "state": "acknowledged",
                    "plan_user_id": self.rep_a.id,
                    "plan_date": W2 + timedelta(days=3),
                    "acknowledged_by_id": self.rep_a.id,
                }
            ],
        )
        self.assertFalse(self._activities(warning))
        done = self._activities(warning, active=False)
        self.assertEqual(len(done), 1)
        self.assertIn(
            "joint offer", self.t_rep_a.message_ids[0].body, "done with the plan"
        )
        # week 2: still lagging, the plan runs: carried, not escalated
        self._check(W2)
        self.assertRecordValues(
            warning,
            [{"state": "acknowledged", "level": 1, "consecutive_weeks": 2}],
        )
        # week 3: the plan's date has passed and it still lags: open, one level up
        self._check(W3)
        self.assertRecordValues(
            warning,
            [
                {
                    "state": "open",
                    "level": 2,
                    "responsible_id": self.leader.id,
                    "consecutive_weeks": 3,
                }
            ],
        )
        activity = self._activities(warning)
        self.assertEqual(activity.user_id, self.leader)
        # acknowledged only once open: a resolved one is not
        self._order(self.rep_a, 300.0, datetime(2030, 6, 18, 10))
        self._check(W4)
        with self.assertRaisesRegex(UserError, "not open"):
            warning._acknowledge(
                "x", self.hq, fields.Date.context_today(warning) + timedelta(days=1)
            )

    def test_closing_the_target_resolves_its_warning(self):
        self._check(W1)
        warning = self._warnings()
        self.t_rep_a.action_close()
        self._check(W2)
        self.assertEqual(warning.state, "resolved")
        self.assertEqual(warning.resolution, "target_closed")
        self.assertFalse(self._activities(warning))

    def test_switching_a_rule_off_resolves_its_warnings(self):
        self._check(W1)
        warning = self._warnings()
        self._only()
        self._check(W2)
        self.assertEqual(warning.resolution, "rule_disabled")

    def test_marking_the_activity_done_by_hand_is_refused(self):
        self._check(W1)
        activity = self._activities(self._warnings()).with_user(self.rep_a)
        with self.assertRaisesRegex(
            AccessError, "acknowledged with an improvement plan"
        ):
            activity.action_feedback(feedback="done")
        with self.assertRaisesRegex(AccessError, "lag warning"):
            activity.write({"user_id": self.rep_b.id})
        with self.assertRaisesRegex(AccessError, "lag warning"):
            activity.unlink()


@tagged("post_install", "-at_install")
class TestRules(LagCase):
    def test_floor_in_danger_by_hand(self):
        self._only("floor")
        self.t_rep_a.write({"floor_amount": 240.0})
        self._confirm(self.t_rep_a)
        self._order(self.rep_a, 100.0, datetime(2030, 3, 1, 10))
        self._check(W1)
        warning = self._warnings()
        # 100 in the 154 days to 3 June, over 365 days: 237.01 < 240
        self.assertRecordValues(
            warning,
            [
                {
                    "rule": "floor",
                    "projected_amount": round(100.0 * 365 / 154, 2),
                    "floor_amount": 240.0,
                    "achieved_amount": 100.0,
                }
            ],
        )
        self.assertEqual(warning.projected_amount, 237.01)
        self.assertIn("below the floor", warning.summary)
        # lowered to 220, below next week's run-rate (100 / 161 x 365 = 226.71):
        # resolved
        self.t_rep_a.write({"floor_amount": 220.0, "change_reason": "Revised floor"})
        self._check(W2)
        self.assertEqual(warning.state, "resolved")

    def test_silent_owner(self):
        self._only("silent")
        self._confirm(self.t_rep_a, self.t_rep_b)
        # Rep A's last order on 13 May: 21 days before 3 June; Rep B on 14 May
        self._order(self.rep_a, 10.0, datetime(2030, 5, 13, 10))
        self._order(self.rep_b, 10.0, datetime(2030, 5, 14, 10))
        self._check(W1)
        warning = self._warnings()
        self.assertEqual(warning.target_id, self.t_rep_a)
        self.assertRecordValues(
            warning,
            [{"days_without_order": 21, "last_order_date": date(2030, 5, 13)}],
        )
        # a target with no gap left is never silent
        self._order(self.rep_b, 1000.0, datetime(2030, 1, 10, 10))
        self._check(W2)
        self.assertEqual(self._warnings().target_id, self.t_rep_a)

    def test_silent_team_target_counts_its_members_orders(self):
        self._only("silent")
        self._confirm(self.t_team_sh)
        self._order(self.leader, 10.0, datetime(2030, 5, 30, 10))
        self._check(W1)
        self.assertFalse(self._warnings())


@tagged("post_install", "-at_install")
class TestKeyActionRule(LagCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        atype = cls.env["mail.activity.type"].create({"name": "Lag Visit"})
        cls.pack = cls.env["sale.action.pack"].create(
            {
                "name": "Growing",
                "stage": "growing",
                "company_id": cls.company.id,
                "line_ids": [
                    Command.create(
                        {"activity_type_id": atype.id, "name": "Visit", "is_key": True}
                    )
                ],
            }
        )

    def setUp(self):
        super().setUp()
        self._only("actions")

    def _week(self, user, monday, done, due):
        """``due`` key actions of ``user`` due on the Tuesday of ``monday``'s
        week, ``done`` of them done on the Wednesday."""
        Activity = self.env["mail.activity"].with_context(
            mail_activity_quick_update=True
        )
        activities = Activity.create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": self.customer.id,
                    "activity_type_id": self.pack.line_ids.activity_type_id.id,
                    "user_id": user.id,
                    "date_deadline": monday + timedelta(days=1),
                    "action_pack_line_id": self.pack.line_ids.id,
                    "action_key": True,
                }
                for _n in range(due)
            ]
        )
        finished = activities[:done]
        finished.write({"active": False})
        finished.date_done = monday + timedelta(days=2)

    def _rates(self, user, before, last, check_day=W3):
        self._week(user, check_day - timedelta(days=14), *before)
        self._week(user, check_day - timedelta(days=7), *last)
        self.env["sale.action.completion"]._compute_weeks(
            check_day - timedelta(days=14), check_day - timedelta(days=1), check_day
        )
        return self._check(check_day)

    def test_65_then_68_warns(self):
        self._rates(self.rep_a, (13, 20), (17, 25))
        warning = self._warnings()
        self.assertRecordValues(
            warning,
            [
                {
                    "rule": "actions",
                    "user_id": self.rep_a.id,
                    "team_id": self.team_sh.id,
                    "target_id": False,
                    "completion_rate": 68.0,
                    "previous_completion_rate": 65.0,
                    "completion_done": 17,
                    "completion_counted": 25,
                    "responsible_id": self.rep_a.id,
                }
            ],
        )
        # no confirmed target of theirs: the activity sits on the warning
        activity = self._activities(warning)
        self.assertEqual(activity.res_model, "sale.target.warning")

    def test_activity_on_the_salespersons_target(self):
        self._confirm(self.t_rep_a)
        self._rates(self.rep_a, (13, 20), (17, 25))
        activity = self._activities(self._warnings())
        self.assertEqual(
            (activity.res_model, activity.res_id), ("sale.target", self.t_rep_a.id)
        )

    def test_overdue_actions_lag_in_their_own_week_only(self):
        # two due the week before last, none done; nothing new due last week,
        # the two still open: they lag in their own week, and a week with
        # nothing due is never a lagging week
        self.company.sale_target_warning_completion_weeks = 1
        self._rates(self.rep_a, (0, 2), (0, 0))
        self.assertFalse(self._warnings())

    def test_late_catching_up_resolves(self):
        self._rates(self.rep_a, (0, 2), (0, 2))
        warning = self._warnings()
        self.assertTrue(warning)
        # the four overdue ones done late on W3's Wednesday: late, they stay
        # missed in their weeks; the next weeks have nothing due, no lag
        overdue = self.env["mail.activity"].search(
            [("user_id", "=", self.rep_a.id), ("action_key", "=", True)]
        )
        self.assertEqual(len(overdue), 4)
        overdue.write({"active": False})
        overdue.date_done = W3 + timedelta(days=2)
        self._check(W4)
        self.assertEqual(warning.state, "resolved")
        self.assertEqual(
            warning.week_ids.sorted("week_start")[-1].completion_counted, 0
        )

    def test_65_then_75_does_not(self):
        self._rates(self.rep_a, (13, 20), (3, 4))
        self.assertFalse(self._warnings())

    def test_exactly_70_does_not(self):
        self._rates(self.rep_a, (7, 10), (7, 10))
        self.assertFalse(self._warnings())

    def test_threshold_and_weeks_are_settings(self):
        self.company.write(
            {
                "sale_target_warning_completion_threshold": 80,
                "sale_target_warning_completion_weeks": 1,
            }
        )
        self._rates(self.rep_a, (10, 10), (3, 4))
        self.assertEqual(self._warnings().completion_rate, 75.0)


@tagged("post_install", "-at_install")
class TestDigest(LagCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search(
            [("name", "=", "sale_regional_target")]
        )._update_translations(["zh_CN"], overwrite=True)
        cls.west.manager_id = cls.leader.copy(
            {
                "login": "srt_west_manager",
                "name": "West Manager",
                "email": "w@example.com",
            }
        )

    def setUp(self):
        super().setUp()
        self._only("pace")
        self._confirm(self.t_rep_a, self.t_rep_b)

    def _digests(self):
        return self.env["sale.target.warning.digest"].search(
            [("company_id", "=", self.company.id)]
        )

    def test_one_per_manager_with_their_scope_only(self):
        self.east_manager.lang = "zh_CN"
        self._check(W1)
        digests = self._digests()
        by_user = {d.user_id: d for d in digests}
        # HQ, the East manager, SH's leader and the West manager; no salesperson
        self.assertEqual(
            set(by_user),
            {self.hq, self.east_manager, self.leader, self.west.manager_id},
        )
        self.assertEqual(len(digests), len(by_user), "one each")
        body = {user: d.mail_id.body_html for user, d in by_user.items()}
        self.assertIn("Rep A", body[self.leader])
        self.assertNotIn("Rep B", body[self.leader])
        self.assertIn("Rep B", body[self.west.manager_id])
        self.assertNotIn("Rep A", body[self.west.manager_id])
        self.assertIn("Rep A", body[self.hq])
        self.assertIn("Rep B", body[self.hq])
        self.assertEqual(by_user[self.hq].warning_count, 2)
        self.assertEqual(by_user[self.leader].warning_count, 1)
        # queued in Odoo's mail queue, to the manager
        mail = by_user[self.leader].mail_id
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.recipient_ids, self.leader.partner_id)
        # in the reader's language
        zh = body[self.east_manager]
        self.assertIn("您好", zh)
        self.assertIn("打开预警列表", zh)
        self.assertIn("预警", by_user[self.east_manager].mail_id.subject)
        self.assertNotIn("Hello", zh)
        self.assertIn("Hello", body[self.leader])
        # a second run of the week sends nothing more
        self._check(W1 + timedelta(days=1))
        self.assertEqual(self._digests(), digests)

    def test_opting_out(self):
        self.leader.with_user(self.leader).write({"sale_target_lag_digest": False})
        self._check(W1)
        self.assertNotIn(self.leader, self._digests().user_id)
        self.assertIn(self.east_manager, self._digests().user_id)

    def test_week_on_week_change(self):
        self._check(W1)
        self._check(W2)
        body = (
            self._digests()
            .filtered(lambda d: d.user_id == self.leader and d.week_start == W2)
            .mail_id.body_html
        )
        # 0 % achieved against 42.2 % then 44.1 %: 1.9 points further behind
        self.assertIn("-1.9 pts against pace", body)


@tagged("post_install", "-at_install")
class TestWarningAccess(LagCase):
    def setUp(self):
        super().setUp()
        self._only("pace")
        self._confirm(
            self.t_rep_a, self.t_rep_b, self.t_team_sh, self.t_east, self.t_company
        )
        self._check(W1)
        self.by_target = {w.target_id: w for w in self._warnings()}

    def _visible(self, user):
        return {
            w.target_id
            for w in self.Warning.with_user(user).search(
                [("company_id", "=", self.company.id)]
            )
        }

    def test_each_role_reads_its_scope(self):
        self.assertEqual(len(self.by_target), 5)
        self.assertEqual(self._visible(self.rep_a), {self.t_rep_a})
        self.assertEqual(self._visible(self.rep_b), {self.t_rep_b})
        self.assertEqual(self._visible(self.leader), {self.t_rep_a, self.t_team_sh})
        self.assertEqual(
            self._visible(self.east_manager),
            {self.t_rep_a, self.t_team_sh, self.t_east},
        )
        self.assertEqual(set(self._visible(self.hq)), set(self.by_target))
        # the company target's warning goes to HQ
        self.assertEqual(self.by_target[self.t_company].responsible_id, self.hq)
        self.assertEqual(self.by_target[self.t_east].responsible_id, self.east_manager)
        self.assertEqual(self.by_target[self.t_team_sh].responsible_id, self.leader)

    def test_nobody_writes_a_warning_but_the_system(self):
        warning = self.by_target[self.t_rep_a]
        for user in (self.rep_a, self.leader, self.hq):
            with self.assertRaises(AccessError):
                warning.with_user(user).write({"state": "resolved"})
            with self.assertRaises(AccessError):
                warning.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.Warning.with_user(user).create(
                    {
                        "rule": "pace",
                        "target_id": self.t_rep_b.id,
                        "company_id": self.company.id,
                        "week_start": W1,
                    }
                )

    def test_a_salesperson_cannot_acknowledge_anothers(self):
        other = self.by_target[self.t_rep_b]
        with self.assertRaises(AccessError):
            other.with_user(self.rep_a)._acknowledge("x", self.rep_a, W2)
        # the team leader may acknowledge a member's (above on the ladder)
        mine = self.by_target[self.t_rep_a].with_user(self.leader)
        self.assertTrue(mine.user_can_acknowledge)
        mine._acknowledge(
            "Coaching twice a week", self.leader, fields.Date.context_today(mine)
        )
        self.assertEqual(mine.state, "acknowledged")
        # the leader cannot acknowledge the East region's warning (above them)
        with self.assertRaises(AccessError):
            self.by_target[self.t_east].with_user(self.leader)._acknowledge(
                "x", self.leader, W2
            )

    def test_search_filters(self):
        mine = self.Warning.with_user(self.leader).search(
            [("responsible_id", "=", self.leader.id)]
        )
        self.assertEqual(mine.target_id, self.t_team_sh)
        scope = self.Warning.with_user(self.east_manager).search(
            [("in_my_scope", "=", True)]
        )
        self.assertEqual(
            set(scope.target_id), {self.t_rep_a, self.t_team_sh, self.t_east}
        )
        with self.assertRaises(UserError):
            self.Warning.search([("in_my_scope", "in", [True])])

    def test_target_form_shows_the_warning(self):
        target = self.t_rep_a.with_user(self.rep_a)
        self.assertEqual(target.open_warning_count, 1)
        action = target.action_view_warnings()
        self.assertEqual(
            self.Warning.with_user(self.rep_a).search(action["domain"]),
            self.by_target[self.t_rep_a],
        )

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Other Lag Co"})
        stranger = self._user(
            "srt_lag_stranger", "sales_team.group_sale_manager", "Other HQ"
        )
        stranger.write(
            {"company_ids": [Command.set(other.ids)], "company_id": other.id}
        )
        self.assertFalse(
            self.Warning.with_user(stranger)
            .with_context(allowed_company_ids=other.ids)
            .search([])
        )


@tagged("post_install", "-at_install")
class TestSettingsAndCron(LagCase):
    def test_settings_switches_can_be_turned_off_and_on(self):
        Settings = self.env["sale.target.settings"].with_user(self.hq)
        form = Form(Settings)
        self.assertTrue(form.sale_target_warning_pace)
        form.sale_target_warning_pace = False
        form.sale_target_warning_silent_days = 30
        form.save().action_save()
        settings = self.Warning._lag_settings()
        self.assertFalse(settings["pace"])
        self.assertEqual(settings["silent_days"], 30)
        form = Form(Settings)
        self.assertFalse(form.sale_target_warning_pace)
        form.sale_target_warning_pace = True
        form.save().action_save()
        self.assertTrue(self.Warning._lag_settings()["pace"])

    def test_bad_settings_are_refused(self):
        Settings = self.env["sale.target.settings"].with_user(self.hq)
        for field, value in (
            ("sale_target_warning_completion_threshold", 0.0),
            ("sale_target_warning_completion_threshold", 101.0),
            ("sale_target_warning_completion_weeks", 0),
            ("sale_target_warning_silent_days", -3),
        ):
            with self.assertRaises(ValidationError):
                Settings.create({field: value})
        with self.assertRaises(ValidationError):
            Settings.create({"sale_target_warning_completion_threshold": float("nan")})

    def test_cron_runs_once_a_week_at_its_hour_in_the_company_time_zone(self):
        self._only("pace")
        self._confirm(self.t_rep_a)
        self.company.partner_id.tz = "Asia/Shanghai"
        cron = self.env.ref("sale_regional_target.ir_cron_weekly_lag_warnings")
        self.assertEqual(cron.interval_type, "hours")
        # Sunday 22:00 UTC is Monday 06:00 in Shanghai: not yet
        with freeze_time("2030-06-02 22:00:00"):
            self.Warning._cron_weekly_lag_warnings()
        self.assertFalse(self._warnings())
        # Sunday 23:30 UTC is Monday 07:30 in Shanghai: due
        with freeze_time("2030-06-02 23:30:00"):
            self.Warning._cron_weekly_lag_warnings()
        self.assertEqual(len(self._warnings()), 1)
        self.assertEqual(self.company.sale_target_lag_week, W1)
        # an hour later, again: nothing new
        with freeze_time("2030-06-03 00:30:00"):
            self.Warning._cron_weekly_lag_warnings()
        self.assertEqual(self._warnings().consecutive_weeks, 1)
        # next Monday morning: escalated
        with freeze_time("2030-06-09 23:30:00"):
            self.Warning._cron_weekly_lag_warnings()
        self.assertEqual(self._warnings().consecutive_weeks, 2)

    def test_hq_runs_the_check_by_hand(self):
        self._only("pace")
        self._confirm(self.t_rep_a)
        with self.assertRaises(AccessError):
            self.Warning.with_user(self.east_manager).action_run_weekly_check()
        with freeze_time("2030-06-04 10:00:00"):
            result = (
                self.Warning.with_user(self.hq)
                .with_company(self.company)
                .action_run_weekly_check()
            )
        self.assertIn("1 raised", result["params"]["message"])


@tagged("post_install", "-at_install")
class TestQueryCount(TargetCase):
    """The weekly check costs the same queries whatever the number of targets."""

    def _company(self, name, regions):
        company = self.env["res.company"].create(
            {"name": name, "currency_id": self.env.ref("base.CNY").id}
        )
        self.env.user.company_ids |= company
        env = self.env(context=dict(self.env.context, allowed_company_ids=company.ids))
        east_manager = self.east_manager
        east_manager.company_ids |= company
        self.hq.company_ids |= company
        Region = env["sale.region"]
        top = Region.create(
            {
                "name": f"{name} East",
                "code": f"{name}-E",
                "manager_id": east_manager.id,
                "company_id": company.id,
            }
        )
        company_target = env["sale.target"].create(
            {
                "metric": "revenue",
                "date_from": self.year_from,
                "date_to": self.year_to,
                "company_id": company.id,
                "amount": 1000.0 * regions,
            }
        )
        targets = env["sale.target"]
        for n in range(regions):
            region = Region.create(
                {
                    "name": f"{name} R{n}",
                    "code": f"{name}-R{n}",
                    "parent_id": top.id,
                    "company_id": company.id,
                }
            )
            targets |= env["sale.target"].create(
                {
                    "metric": "revenue",
                    "date_from": self.year_from,
                    "date_to": self.year_to,
                    "company_id": company.id,
                    "parent_id": company_target.id,
                    "region_id": region.id,
                    "amount": 1000.0,
                }
            )
        targets.action_confirm()
        return company, targets

    def _queries(self, company, day):
        Warning = self.env["sale.target.warning"]
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        Warning._run_weekly_check(company, day, refresh=False)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_constant_queries(self):
        warm, _targets = self._company("QW", 1)
        small, _targets = self._company("QA", 3)
        large, _targets = self._company("QB", 12)
        # every rule on, in each company
        (warm | small | large).write(dict.fromkeys(RULE_FIELDS.values(), True))
        for week in (W1, W2, W3):
            # the first run fills Odoo's caches (xml ids, models, translations)
            self._queries(warm, week)
            counts = (self._queries(small, week), self._queries(large, week))
            self.assertEqual(counts[0], counts[1], f"week of {week}: {counts}")
        warnings = self.env["sale.target.warning"].search(
            [("company_id", "=", large.id)]
        )
        # pace, floor? (no floor) and silent for each of the 12 targets
        self.assertEqual(len(warnings), 24)
        self.assertEqual(set(warnings.mapped("consecutive_weeks")), {3})
