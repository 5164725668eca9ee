from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.sale_regional_target.tools import completion
from odoo.tests import BaseCase, tagged

MONDAY = date(2030, 6, 10)
SUNDAY = MONDAY + timedelta(days=6)
DATES = st.dates(min_value=date(2030, 1, 1), max_value=date(2031, 12, 31))
SETTINGS = settings(max_examples=300, deadline=None, database=None)


def one(deadline, done, today, key="a"):
    return completion.weekly([(key, deadline, done, 1)], today)


@tagged("at_install", "sale_regional_target_tools")
class TestWeeklyRateExamples(BaseCase):
    def test_done_in_its_week_counts_there(self):
        weeks = one(MONDAY + timedelta(days=1), MONDAY + timedelta(days=3), SUNDAY)
        self.assertEqual(weeks, {("a", MONDAY): completion.Week(1, 1, 0, 0, 0)})

    def test_done_late_stays_missed_in_its_week(self):
        weeks = one(MONDAY, MONDAY + timedelta(days=8), SUNDAY + timedelta(days=9))
        self.assertEqual(weeks, {("a", MONDAY): completion.Week(1, 0, 1, 0, 1)})

    def test_done_early_counts_in_its_own_week_only(self):
        april = date(2031, 4, 7)
        # done today, due next April: nothing this week, nothing yet in April
        self.assertEqual(one(april, MONDAY + timedelta(days=2), SUNDAY), {})
        # April's week, once it has come: done (early)
        weeks = one(april, MONDAY + timedelta(days=2), april)
        self.assertEqual(weeks, {("a", april): completion.Week(1, 1, 0, 1, 0)})

    def test_week_in_progress(self):
        wednesday = MONDAY + timedelta(days=2)
        # due Friday, still open on Wednesday: not due yet
        self.assertEqual(one(MONDAY + timedelta(days=4), None, wednesday), {})
        # due Friday, done on Tuesday: counts at once, done
        weeks = one(MONDAY + timedelta(days=4), MONDAY + timedelta(days=1), wednesday)
        self.assertEqual(weeks, {("a", MONDAY): completion.Week(1, 1, 0, 0, 0)})
        # due today, open: counted, not done
        weeks = one(wednesday, None, wednesday)
        self.assertEqual(weeks, {("a", MONDAY): completion.Week(1, 0, 0, 0, 1)})

    def test_rate_and_status(self):
        self.assertIsNone(completion.rate(0, 0))
        self.assertEqual(completion.rate(1, 4), 25.0)
        self.assertEqual(completion.rate(2, 3), 66.7)
        self.assertEqual(completion.status(0, 0, 70.0), completion.NOTHING_DUE)
        self.assertEqual(completion.status(0, 1, 70.0), completion.BELOW)
        self.assertEqual(completion.status(7, 10, 70.0), completion.MET)

    def test_total(self):
        self.assertEqual(completion.total([]), completion.EMPTY)
        self.assertEqual(
            completion.total(
                [completion.Week(2, 1, 1, 0, 1), completion.Week(3, 3, 0, 1, 0)]
            ),
            completion.Week(5, 4, 1, 1, 1),
        )


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from("ab"),
        DATES,
        st.one_of(st.none(), st.integers(-40, 60)),
        st.integers(1, 3),
    ),
    max_size=25,
)


@tagged("at_install", "sale_regional_target_tools")
class TestWeeklyRateProperties(BaseCase):
    @SETTINGS
    @given(ACTIONS, DATES)
    def test_each_action_counts_once_in_its_own_week(self, raw, today):
        actions = [
            (key, deadline, None if shift is None else deadline + timedelta(shift), n)
            for key, deadline, shift, n in raw
        ]
        weeks = completion.weekly(actions, today)
        for (key, monday), week in weeks.items():
            mine = [
                a
                for a in actions
                if a[0] == key
                and completion.week_of(a[1]) == monday
                and (a[1] <= today or (a[2] and monday == completion.week_of(today)))
            ]
            # counted: exactly the actions due in the week (and reached)
            self.assertEqual(week.counted, sum(a[3] for a in mine))
            self.assertGreater(week.counted, 0)
            self.assertLessEqual(week.done, week.counted)
            self.assertEqual(week.done + week.missed, week.counted)
            self.assertLessEqual(week.done_late, week.missed)
            rate = completion.rate(week.done, week.counted)
            self.assertTrue(0.0 <= rate <= 100.0)
            # a week not started yet has nothing counted
            self.assertLessEqual(monday, completion.week_of(today))
        # the weeks add up to every action due by today, each once
        self.assertEqual(
            sum(w.counted for w in weeks.values()),
            sum(
                a[3]
                for a in actions
                if a[1] <= today
                or (a[2] and completion.week_of(a[1]) == completion.week_of(today))
            ),
        )

    @SETTINGS
    @given(ACTIONS, DATES, st.integers(1, 400))
    def test_a_closed_week_never_changes(self, raw, today, later):
        actions = [
            (key, deadline, None if shift is None else deadline + timedelta(shift), n)
            for key, deadline, shift, n in raw
        ]
        # what was done by ``today`` only, seen today and seen later
        known = [
            (k, d, done if done and done <= today else None, n)
            for k, d, done, n in actions
        ]
        now = completion.weekly(known, today)
        then = completion.weekly(actions, today + timedelta(days=later))
        for (key, monday), week in now.items():
            if monday + timedelta(days=6) < today:
                self.assertEqual((week.counted, week.done), then[(key, monday)][:2])
