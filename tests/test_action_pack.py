from datetime import date, datetime, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TargetCase

W0 = date(2030, 3, 4)  # a Monday


def day(week, weekday=0):
    return W0 + timedelta(days=7 * week + weekday)


@tagged("post_install", "-at_install")
class TestActionPack(TargetCase):
    """Four simulated weeks of one customer's action plan.

    Growing pack: weekly visit (key), report every two weeks (key), monthly
    care call (not key). Stable pack: survey every two weeks (key).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Type = cls.env["mail.activity.type"]
        cls.type_visit = Type.create({"name": "Test Visit", "keep_done": False})
        cls.type_report = Type.create({"name": "Test Report", "keep_done": True})
        Pack = cls.env["sale.action.pack"]
        cls.growing = Pack.create(
            {
                "name": "Growing",
                "stage": "growing",
                "company_id": cls.company.id,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "activity_type_id": cls.type_visit.id,
                            "name": "Visit",
                            "frequency_number": 1,
                            "frequency_unit": "weeks",
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "activity_type_id": cls.type_report.id,
                            "name": "Report",
                            "frequency_number": 2,
                            "frequency_unit": "weeks",
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "activity_type_id": cls.type_report.id,
                            "name": "Care call",
                            "frequency_number": 1,
                            "frequency_unit": "months",
                            "is_key": False,
                        },
                    ),
                ],
            }
        )
        cls.visit, cls.report, cls.care = cls.growing.line_ids
        cls.stable = Pack.create(
            {
                "name": "Stable",
                "stage": "stable",
                "company_id": cls.company.id,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "activity_type_id": cls.type_report.id,
                            "name": "Survey",
                            "frequency_number": 2,
                            "frequency_unit": "weeks",
                        },
                    ),
                ],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Steel Works", "is_company": True, "user_id": cls.rep_a.id}
        )
        cls.lc = cls.env["sale.customer.lifecycle"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "suggested_stage": "growing",
            }
        )
        cls.Activity = cls.env["mail.activity"].with_context(active_test=False)

    def _open(self):
        return self.Activity.search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                ("action_pack_line_id", "!=", False),
                ("active", "=", True),
            ],
            order="date_deadline, id",
        )

    def _plan(self):
        return {(a.summary, a.date_deadline, a.user_id.login) for a in self._open()}

    def _done(self, line, when, user=None):
        activity = self._open().filtered(lambda a: a.action_pack_line_id == line)
        self.assertEqual(len(activity), 1)
        with freeze_time(
            datetime.combine(when, datetime.min.time()) + timedelta(hours=10)
        ):
            activity.with_user(user or self.rep_a).action_done()
            self.env.flush_all()  # the done date is computed at flush
        self.assertFalse(activity.active)
        self.assertEqual(activity.date_done, when)
        return activity

    def _completion(self):
        rows = self.env["sale.action.completion"].search(
            [("user_id", "in", (self.rep_a | self.rep_b).ids)]
        )
        return {
            (r.user_id.login, r.week_start): (
                r.due_count,
                r.done_count,
                r.done_late_count,
                r.missed_count,
                r.rate,
            )
            for r in rows
        }

    def test_pack_lines_keep_done_actions(self):
        self.assertTrue(self.type_visit.keep_done)
        with self.assertRaises(ValidationError):
            self.env["sale.action.pack"].create(
                {"name": "Twice", "stage": "growing", "company_id": self.company.id}
            )
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.visit.frequency_number = 0
            self.visit.flush_recordset()

    def test_four_weeks(self):
        Completion = self.env["sale.action.completion"]
        # week 0, Monday: the manager confirms "growing"; the pack is planned at once
        with freeze_time("2030-03-04 09:00:00"):
            self.lc.with_user(self.hq).action_confirm_stage()
            self.assertEqual(
                self._plan(),
                {
                    ("Visit", day(1), "srt_rep_a"),
                    ("Report", day(2), "srt_rep_a"),
                    ("Care call", date(2030, 4, 4), "srt_rep_a"),
                },
            )
            self.assertEqual(self._open().mapped("action_key"), [True, True, False])
            # the salesperson follows the customer, once
            followers = self.customer.message_follower_ids.filtered(
                lambda f: f.partner_id == self.rep_a.partner_id
            )
            self.assertEqual(len(followers), 1)
            self.assertTrue(followers.subtype_ids)
            # a re-run changes nothing
            before = self._open()
            self.assertEqual(self.lc._schedule_action_packs(), (0, 0, 0))
            self.assertEqual(self._open(), before)

        # week 1: the visit is done on Tuesday; the next one a week after that
        self._done(self.visit, day(1, 1))
        with freeze_time("2030-03-13 06:00:00"):
            self.assertEqual(self.lc._schedule_action_packs(), (1, 0, 0))
            self.assertIn(("Visit", day(2, 1), "srt_rep_a"), self._plan())
            self.assertEqual(self.lc._schedule_action_packs(), (0, 0, 0))
        with freeze_time("2030-03-17 20:00:00"):  # Sunday evening
            Completion._compute_weeks(day(1), day(1, 6))

        # week 2: neither the report (Monday) nor the visit (Tuesday) is done
        with freeze_time("2030-03-24 20:00:00"):
            self.assertEqual(self.lc._schedule_action_packs(), (0, 0, 0))
            Completion._compute_recent_weeks()

        # week 3: the visit is done late, on Monday; the report stays skipped
        self._done(self.visit, day(3))
        with freeze_time("2030-03-27 06:00:00"):
            self.assertEqual(self.lc._schedule_action_packs(), (1, 0, 0))
            self.assertEqual(
                self._plan(),
                {
                    ("Visit", day(4), "srt_rep_a"),
                    ("Report", day(2), "srt_rep_a"),
                    ("Care call", date(2030, 4, 4), "srt_rep_a"),
                },
            )
            Completion._compute_recent_weeks()

        # hand counts: week 1 one due and done; week 2 two due, none done by
        # its end (the visit done late counts there as late, not as done);
        # week 3 nothing due, no figure
        self.assertEqual(
            self._completion(),
            {
                ("srt_rep_a", day(1)): (1, 1, 0, 0, 100.0),
                ("srt_rep_a", day(2)): (2, 0, 1, 2, 0.0),
            },
        )

        # week 4, Monday: the customer moves to rep B; the scheduler reassigns
        self.customer.user_id = self.rep_b
        with freeze_time("2030-04-01 06:00:00"):
            self.assertFalse(self.lc.actions_planned_on)
            self.env["sale.customer.lifecycle"].search(
                [("id", "!=", self.lc.id)]
            ).write({"actions_planned_on": day(4)})
            self.env["sale.customer.lifecycle"]._cron_schedule_action_packs()
            self.assertEqual(set(self._open().mapped("user_id.login")), {"srt_rep_b"})
            self.assertIn(self.rep_b.partner_id, self.customer.message_partner_ids)
            self.assertEqual(len(self._open()), 3)
            self.assertEqual(self.lc.actions_planned_on, day(4))

        # Tuesday: the manager moves the customer to "stable"
        with freeze_time("2030-04-02 10:00:00"):
            wizard = (
                self.env["sale.customer.lifecycle.review"]
                .with_user(self.hq)
                .create(
                    {
                        "lifecycle_ids": [(6, 0, self.lc.ids)],
                        "stage": "stable",
                        "reason": "Volumes settled after the expansion",
                    }
                )
            )
            wizard.action_apply()
            self.assertEqual(self._plan(), {("Survey", day(6, 1), "srt_rep_b")})
            note = self.customer.message_ids.filtered(
                lambda m: "Planned actions cancelled" in (m.body or "")
            )
            self.assertEqual(len(note), 1)
            self.assertIn("Stable", note.body)
            self.assertIn("Report (2030-03-18)", note.body)
            self.assertIn("Visit (2030-04-01)", note.body)
            # done actions of the old pack stay, to be counted
            done = self.Activity.search(
                [("res_id", "=", self.customer.id), ("active", "=", False)]
            )
            self.assertEqual(done.mapped("summary"), ["Visit", "Visit"])
            self.assertEqual(self.lc._schedule_action_packs(), (0, 0, 0))

    def test_completion_visible_to_managers_only_for_their_people(self):
        Completion = self.env["sale.action.completion"]
        Completion.create(
            [
                {
                    "user_id": self.rep_a.id,
                    "company_id": self.company.id,
                    "week_start": day(1),
                    "due_count": 4,
                    "done_count": 3,
                    "base_count": 4,
                    "rate": 75.0,
                },
                {
                    "user_id": self.rep_b.id,
                    "company_id": self.company.id,
                    "week_start": day(1),
                    "due_count": 2,
                    "done_count": 1,
                    "base_count": 2,
                    "rate": 50.0,
                },
            ]
        )
        seen = {
            user.login: Completion.with_user(user).search([]).user_id.mapped("login")
            for user in (
                self.rep_a,
                self.rep_b,
                self.leader,
                self.east_manager,
                self.hq,
            )
        }
        self.assertEqual(seen["srt_rep_a"], ["srt_rep_a"])
        self.assertEqual(seen["srt_rep_b"], ["srt_rep_b"])
        self.assertEqual(seen["srt_leader"], ["srt_rep_a"])
        self.assertEqual(seen["srt_east_manager"], ["srt_rep_a"])
        self.assertEqual(sorted(seen["srt_hq"]), ["srt_rep_a", "srt_rep_b"])

    def test_boards_open_as_their_users(self):
        with freeze_time("2030-03-04 09:00:00"):
            self.lc.action_confirm_stage()
        board = self.env.ref(
            "sale_regional_target.sale_customer_lifecycle_action_board"
        )
        plan = self.env.ref("sale_regional_target.mail_activity_action_plan")
        # "My customers" as rep A: the heat map by stage, red with two key
        # actions overdue
        Lifecycle = self.env["sale.customer.lifecycle"].with_user(self.rep_a)
        views = Lifecycle.get_views(
            [(False, "kanban"), (False, "list"), (False, "search")]
        )
        self.assertIn("action_status", views["views"]["kanban"]["arch"])
        mine = [("user_id", "=", self.rep_a.id), ("company_id", "=", self.company.id)]
        groups = Lifecycle.web_read_group(mine, ["stage"], ["stage"])["groups"]
        self.assertEqual(
            {g["stage"]: g["stage_count"] for g in groups},
            {"incubating": 0, "growing": 1, "stable": 0, "declining": 0},
        )
        spec = {
            name: {}
            for name in (
                "partner_id",
                "action_status",
                "color",
                "overdue_key_count",
                "last_order_date",
                "revenue_12m",
                "next_action_summary",
                "next_action_date",
            )
        }
        with freeze_time("2030-03-20 09:00:00"):
            cards = Lifecycle.web_search_read(mine, spec)["records"]
        self.assertEqual(len(cards), 1)
        self.assertEqual(
            (
                cards[0]["action_status"],
                cards[0]["overdue_key_count"],
                cards[0]["color"],
            ),
            ("red", 2, 1),
        )
        self.assertEqual(cards[0]["next_action_summary"], "Visit")
        self.env.invalidate_all()  # a new request on another day
        with freeze_time("2030-03-12 09:00:00"):
            cards = Lifecycle.web_search_read(mine, spec)["records"]
        self.assertEqual((cards[0]["action_status"], cards[0]["color"]), ("yellow", 3))
        # rep B sees nothing of it; the team leader does, with the salesperson filter
        self.assertFalse(
            self.env["sale.customer.lifecycle"].with_user(self.rep_b).search_count(mine)
        )
        self.assertEqual(
            self.env["sale.customer.lifecycle"]
            .with_user(self.leader)
            .search_count(mine),
            1,
        )
        self.assertIn("My Customers", board.name)

        # "My action plan" as rep A: columns by week, done from the card
        Activity = self.env["mail.activity"].with_user(self.rep_a)
        views = Activity.get_views([(plan.view_ids.view_id.id, "kanban")])
        self.assertIn("action_done", views["views"]["kanban"]["arch"])
        with freeze_time("2030-03-13 09:00:00"):
            self.env["mail.activity"]._refresh_action_buckets()
            domain = [
                ("action_pack_line_id", "!=", False),
                ("user_id", "=", self.rep_a.id),
            ]
            groups = Activity.web_read_group(
                domain, ["action_bucket"], ["action_bucket"]
            )
            self.assertEqual(
                {
                    g["action_bucket"]: g["action_bucket_count"]
                    for g in groups["groups"]
                },
                {"overdue": 1, "this_week": 0, "next_week": 1, "later": 1},
            )
            overdue = Activity.search([*domain, ("action_bucket", "=", "overdue")])
            overdue.action_done()
            self.env.flush_all()
            self.assertFalse(overdue.active)
            self.env["sale.action.completion"]._compute_recent_weeks()

        # "Action completion" for the team leader, in the pivot and graph
        Completion = self.env["sale.action.completion"].with_user(self.leader)
        Completion.get_views([(False, "list"), (False, "pivot"), (False, "graph")])
        rows = Completion.read_group(
            [], ["done_count:sum", "base_count:sum"], ["user_id"]
        )
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["user_id"][0], self.rep_a.id)
        self.assertEqual((rows[0]["done_count"], rows[0]["base_count"]), (1, 1))

    def test_scheduler_in_batches_with_progress(self):
        Lifecycle = self.env["sale.customer.lifecycle"]
        other = self.env["res.partner"].create(
            {"name": "Second Works", "is_company": True, "user_id": self.rep_b.id}
        )
        second = Lifecycle.create(
            {"partner_id": other.id, "company_id": self.company.id, "stage": "stable"}
        )
        self.lc.stage = "growing"
        with freeze_time("2030-03-04 09:00:00"):
            Lifecycle.search([("id", "not in", (self.lc | second).ids)]).write(
                {"actions_planned_on": W0}
            )
            cron = self.env.ref("sale_regional_target.ir_cron_action_pack_schedule")
            progress = self.env["ir.cron.progress"].create(
                {"cron_id": cron.id, "remaining": 0, "done": 0}
            )
            batched = Lifecycle.with_context(ir_cron_progress_id=progress.id)
            self.assertEqual(batched._cron_schedule_action_packs(batch_size=1), 1)
            self.assertEqual((progress.done, progress.remaining), (1, 1))
            self.assertEqual(batched._cron_schedule_action_packs(batch_size=1), 1)
            self.assertEqual((progress.done, progress.remaining), (1, 0))
            self.assertEqual(batched._cron_schedule_action_packs(batch_size=1), 0)
        # 3 growing actions for rep A, 1 stable one for rep B
        self.assertEqual(len(self._open()), 3)
        self.assertEqual(
            self.Activity.search(
                [("res_id", "=", other.id), ("action_pack_line_id", "!=", False)]
            ).mapped("summary"),
            ["Survey"],
        )

    def test_archived_customer_gets_no_actions(self):
        self.lc.stage = "growing"
        with freeze_time("2030-03-04 09:00:00"):
            self.assertEqual(self.lc._schedule_action_packs(), (3, 0, 0))
            self.customer.action_archive()
            # Odoo drops an archived record's open activities; none come back
            self.assertFalse(self._open())
            self.assertEqual(self.lc._schedule_action_packs(), (0, 0, 0))
            self.assertFalse(self._open())
