from datetime import date, timedelta

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.sale_regional_target.tools import action_plan
from odoo.tests import BaseCase, tagged

SETTINGS = settings(max_examples=150, deadline=None, database=None)
MONDAY = date(2026, 11, 2)


def frame(rows):
    return pd.DataFrame(rows, columns=["user", "company", "deadline", "done"])


@tagged("at_install", "sale_regional_target_tools")
class TestNextDue(BaseCase):
    def test_after_a_done_action_one_period_later(self):
        self.assertEqual(
            action_plan.next_due(
                2, "weeks", date(2026, 11, 4), None, date(2026, 11, 20)
            ),
            date(2026, 11, 18),  # already late again: that is what it is
        )
        self.assertEqual(
            action_plan.next_due(
                1, "months", date(2026, 1, 31), None, date(2026, 2, 1)
            ),
            date(2026, 2, 28),
        )
        self.assertEqual(
            action_plan.next_due(
                10, "days", date(2026, 11, 4), None, date(2026, 11, 4)
            ),
            date(2026, 11, 14),
        )

    def test_first_action_one_period_after_the_start_never_in_the_past(self):
        today = date(2026, 11, 22)
        self.assertEqual(
            action_plan.next_due(1, "months", None, date(2026, 11, 20), today),
            date(2026, 12, 20),
        )
        # confirmed long ago, never planned: due today, not months overdue
        self.assertEqual(
            action_plan.next_due(1, "months", None, date(2025, 1, 1), today), today
        )
        # no start known: the plan starts today
        self.assertEqual(
            action_plan.next_due(1, "weeks", None, None, today), date(2026, 11, 29)
        )

    def test_bad_frequency(self):
        with self.assertRaises(action_plan.ActionError) as caught:
            action_plan.frequency_delta(0, "weeks")
        self.assertEqual(caught.exception.code, "bad_frequency")
        with self.assertRaises(action_plan.ActionError) as caught:
            action_plan.frequency_delta(1, "years")
        self.assertEqual(caught.exception.code, "bad_unit")


@tagged("at_install", "sale_regional_target_tools")
class TestBuckets(BaseCase):
    def test_early_means_due_in_a_later_week(self):
        today = date(2026, 11, 4)  # Wednesday
        cases = {
            date(2026, 11, 2): False,  # this week's Monday, already passed
            date(2026, 11, 8): False,  # this Sunday: within its week
            date(2026, 11, 9): True,  # next Monday
            None: False,
        }
        for deadline, expected in cases.items():
            self.assertIs(action_plan.is_early(deadline, today), expected, deadline)

    def test_columns_around_a_wednesday(self):
        today = date(2026, 11, 4)  # Wednesday
        cases = {
            date(2026, 11, 3): "overdue",
            date(2026, 11, 4): "this_week",
            date(2026, 11, 8): "this_week",  # Sunday
            date(2026, 11, 9): "next_week",
            date(2026, 11, 15): "next_week",
            date(2026, 11, 16): "later",
        }
        for deadline, expected in cases.items():
            self.assertEqual(action_plan.bucket(deadline, today), expected, deadline)

    def test_weeks_between(self):
        self.assertEqual(
            action_plan.weeks_between(date(2026, 11, 4), date(2026, 11, 16)),
            [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)],
        )


@tagged("at_install", "sale_regional_target_tools")
class TestCompletion(BaseCase):
    def test_hand_counted_weeks(self):
        w1, w2 = MONDAY, MONDAY + timedelta(days=7)
        rows = [
            # due week 1, done on time
            (7, 1, w1 + timedelta(days=1), w1 + timedelta(days=2)),
            # due week 1, done late in week 2
            (7, 1, w1 + timedelta(days=3), w2 + timedelta(days=1)),
            # due week 1, never done (skipped)
            (7, 1, w1 + timedelta(days=4), None),
            # due week 2, done early in week 1
            (7, 1, w2 + timedelta(days=2), w1 + timedelta(days=4)),
            # due week 2, done on time
            (7, 1, w2, w2),
            # another salesperson, due week 2, open
            (8, 1, w2 + timedelta(days=4), None),
        ]
        result = action_plan.completion_by_week(frame(rows), [w1, w2]).set_index(
            ["user", "week"]
        )
        week1 = result.loc[(7, w1)]
        # due 3, done 2 (one on time, one early), missed 2 (late one and skipped)
        self.assertEqual(
            (week1.due, week1.done, week1.done_on_time, week1.done_early),
            (3, 2, 1, 1),
        )
        self.assertEqual((week1.done_late, week1.missed, week1.base), (0, 2, 4))
        self.assertAlmostEqual(week1.rate, 2 / 4)
        week2 = result.loc[(7, w2)]
        # due 1 (the one done early in week 1 counted there), done 2 (one on
        # time, one late from week 1)
        self.assertEqual(
            (week2.due, week2.done, week2.done_on_time, week2.done_late),
            (1, 2, 1, 1),
        )
        self.assertEqual((week2.missed, week2.base), (0, 2))
        self.assertAlmostEqual(week2.rate, 1.0)
        other = result.loc[(8, w2)]
        self.assertEqual((other.due, other.done, other.missed), (1, 0, 1))
        self.assertEqual(other.rate, 0.0)
        self.assertNotIn((8, w1), result.index)

    def test_week_in_progress(self):
        wednesday = MONDAY + timedelta(days=2)
        rows = [
            (7, 1, MONDAY, MONDAY),  # due Monday, done: on time
            (7, 1, MONDAY + timedelta(days=1), None),  # due Tuesday, open: missed
            (7, 1, MONDAY + timedelta(days=4), None),  # due Friday: not yet due
            (7, 1, MONDAY + timedelta(days=4), wednesday),  # due Friday, done
        ]
        week = action_plan.completion_by_week(frame(rows), [MONDAY], wednesday).iloc[0]
        self.assertEqual((week.due, week.done, week.missed, week.base), (3, 2, 1, 3))
        self.assertAlmostEqual(week.rate, 2 / 3)
        # at the end of the week the Friday action is due and missed
        week = action_plan.completion_by_week(frame(rows), [MONDAY]).iloc[0]
        self.assertEqual((week.due, week.done, week.missed, week.base), (4, 2, 2, 4))

    def test_empty(self):
        self.assertTrue(action_plan.completion_by_week(frame([]), [MONDAY]).empty)

    @SETTINGS
    @given(
        st.lists(
            st.tuples(
                st.integers(1, 3),
                st.integers(0, 34),
                st.one_of(st.none(), st.integers(0, 34)),
            ),
            max_size=40,
        )
    )
    def test_each_action_counted_once_and_rates_bounded(self, items):
        weeks = [MONDAY + timedelta(days=7 * k) for k in range(5)]
        rows = [
            (
                user,
                1,
                MONDAY + timedelta(days=due),
                None if done is None else MONDAY + timedelta(days=done),
            )
            for user, due, done in items
        ]
        result = action_plan.completion_by_week(frame(rows), weeks)
        # every action is due in exactly one week unless done before it, and,
        # once done, done in exactly one week
        early = sum(
            1 for _u, due, done in items if done is not None and done // 7 < due // 7
        )
        self.assertEqual(
            int(result["due"].sum()) if len(result) else 0, len(rows) - early
        )
        self.assertEqual(
            int(result["done"].sum()) if len(result) else 0,
            sum(1 for _u, _d, done in items if done is not None),
        )
        if len(result):
            self.assertTrue((result["rate"] <= 1.0).all())
            self.assertTrue((result["rate"] >= 0.0).all())
            self.assertTrue((result["done"] <= result["base"]).all())
            self.assertTrue(
                (
                    result["done"]
                    == result["done_on_time"]
                    + result["done_late"]
                    + result["done_early"]
                ).all()
            )
