from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .test_war_room import TODAY, WarRoomCase

MONDAY = date(2030, 6, 10)  # the week of TODAY (Saturday 15 June 2030)
NEXT_APRIL = date(2031, 4, 7)


@tagged("post_install", "-at_install")
class TestWeeklyRate(WarRoomCase):
    """One weekly key-action rate, read the same by the board, the war room,
    the lag warning and the review."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        atype = cls.env["mail.activity.type"].create(
            {"name": "Rate Visit", "keep_done": True}
        )
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
        cls.customer = cls.env["res.partner"].create(
            {"name": "Rate Customer", "is_company": True, "user_id": cls.rep_a.id}
        )
        # Lao Wang: in team W, no target, key actions only next April
        cls.wang = cls._user(
            "srt_lao_wang", "sales_team.group_sale_salesman", "Lao Wang"
        )
        cls.team_w.member_ids |= cls.wang
        cls.env["sale.target.warning"].flush_model()
        cls.company.write(
            {
                "sale_target_warning_pace": False,
                "sale_target_warning_floor": False,
                "sale_target_warning_silent": False,
                "sale_target_warning_actions": True,
            }
        )

    def _actions(self, user, *deadlines):
        Activity = self.env["mail.activity"].with_context(
            mail_activity_quick_update=True
        )
        return Activity.concat(
            *(
                Activity.create(
                    {
                        "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                        "res_id": self.customer.id,
                        "activity_type_id": self.pack.line_ids.activity_type_id.id,
                        "user_id": user.id,
                        "date_deadline": deadline,
                        "action_pack_line_id": self.pack.line_ids.id,
                        "action_key": True,
                    }
                )
                for deadline in deadlines
            )
        )

    def _done(self, user, activity, feedback=False):
        with freeze_time(TODAY):
            self.rpc(
                user,
                "mail.activity",
                "action_feedback",
                [activity.id],
                feedback=feedback or "Done",
            )

    def _summary(self, user):
        with freeze_time(TODAY):
            return self.rpc(user, "sale.action.completion", "get_my_summary")

    def _people(self, user, **kwargs):
        with freeze_time(TODAY):
            data = self.rpc(user, "sale.target.war.room", "get_data", **kwargs)
        return {p["id"]: p for p in data["completion"]["people"]}

    def _review(self, user, team):
        with freeze_time(TODAY):
            wizard = Form(self.env["sale.target.review.prepare"].with_user(user))
            wizard.level = "team"
            wizard.team_id = team
            wizard.period = "month"
            wizard.day = date(2030, 6, 15)
            action = wizard.save().action_prepare()
            review = (
                self.env["sale.target.review"].with_user(user).search(action["domain"])
            )
            return review._report_data()["completion"]

    def test_one_rate_everywhere_after_an_action_is_done(self):
        week = self._actions(
            self.rep_a,
            MONDAY,
            MONDAY + timedelta(days=1),
            MONDAY + timedelta(days=2),
            MONDAY + timedelta(days=3),
        )
        april = self._actions(self.rep_a, NEXT_APRIL)
        with freeze_time(TODAY):
            self.env["sale.action.completion"]._compute_recent_weeks()
        # Rep A completes Monday's action today (late in the day, in its week)
        self._done(self.rep_a, week[0])
        board = self._summary(self.rep_a)["this_week"]
        self.assertEqual((board["done"], board["counted"], board["rate"]), (1, 4, 25.0))
        self.assertEqual(self._people(self.rep_a)[self.rep_a.id]["this_week"], 25.0)
        self.assertEqual(self._people(self.hq)[self.rep_a.id]["this_week"], 25.0)
        self.assertEqual(self._people(self.leader)[self.rep_a.id]["this_week"], 25.0)
        # the action due next April, done today with a word on why: April's,
        # not this week's
        self._done(self.rep_a, april, "Met them early at the fair")
        board = self._summary(self.rep_a)["this_week"]
        self.assertEqual((board["done"], board["counted"], board["rate"]), (1, 4, 25.0))
        self.assertEqual(self._people(self.hq)[self.rep_a.id]["this_week"], 25.0)
        # the review of June prints the same week the same
        review = self._review(self.leader, self.team_sh)
        rates = {
            (p["name"], monday): rate
            for p in review["people"]
            for monday, rate in zip(review["weeks"], p["rates"], strict=True)
        }
        self.assertEqual(rates[("Rep A", MONDAY)], 25.0)
        # the weekly check of the next Monday warns on that week, with it
        self.company.sale_target_warning_completion_weeks = 1
        with freeze_time("2030-06-17 09:00:00"):
            self.env["sale.target.warning"]._run_weekly_check(
                self.company, date(2030, 6, 17)
            )
        warning = self.env["sale.target.warning"].search(
            [("rule", "=", "actions"), ("user_id", "=", self.rep_a.id)]
        )
        self.assertRecordValues(
            warning,
            [
                {
                    "completion_rate": 25.0,
                    "completion_done": 1,
                    "completion_counted": 4,
                }
            ],
        )

    def test_nothing_due_reads_nothing_due_and_never_lags(self):
        # Rep B: two due the week before last, none done; nothing due last
        # week although those two stay overdue
        self._actions(
            self.rep_b, MONDAY - timedelta(days=13), MONDAY - timedelta(days=12)
        )
        with freeze_time(TODAY):
            self.env["sale.action.completion"]._compute_weeks(
                MONDAY - timedelta(days=14), date(2030, 6, 15)
            )
        # this week: nothing due for Rep B, on the board and in the war room
        board = self._summary(self.rep_b)["this_week"]
        self.assertEqual((board["counted"], board["rate"]), (0, False))
        person = self._people(self.hq)[self.rep_b.id]
        self.assertIs(person["this_week"], False)
        self.assertFalse(person["below"])
        # nothing due last week is not a lagging week (two weeks required)
        with freeze_time("2030-06-17 09:00:00"):
            self.env["sale.target.warning"]._run_weekly_check(
                self.company, date(2030, 6, 17)
            )
        self.assertFalse(
            self.env["sale.target.warning"].search(
                [("rule", "=", "actions"), ("user_id", "=", self.rep_b.id)]
            )
        )

    def test_directors_table_lists_everyone_with_a_target_or_key_actions(self):
        self._actions(self.wang, NEXT_APRIL)
        people = self._people(self.hq)
        self.assertIn(self.wang.id, people)
        self.assertIs(people[self.wang.id]["this_week"], False)
        self.assertIn(self.rep_b.id, people)  # a target, no key action
        # his team's leader sees him; another salesperson does not
        self.assertNotIn(self.wang.id, self._people(self.rep_a))
