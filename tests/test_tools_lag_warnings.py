from datetime import date, datetime, timedelta

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.sale_regional_target.tools import actuals
from odoo.addons.sale_regional_target.tools import lag_warnings as lw
from odoo.tests import BaseCase, tagged

SETTINGS = settings(max_examples=200, deadline=None, database=None)
MONDAY = date(2030, 6, 3)


@tagged("at_install", "sale_regional_target_tools")
class TestWhenTheCheckIsDue(BaseCase):
    def test_monday_seven_o_clock_once_a_week(self):
        at = datetime(2030, 6, 3, 6, 59)
        self.assertIsNone(lw.check_due(at, 0, 7, None))
        self.assertEqual(lw.check_due(at.replace(hour=7, minute=0), 0, 7, None), MONDAY)
        # later in the week, still due until it has run
        self.assertEqual(lw.check_due(datetime(2030, 6, 6, 1), 0, 7, None), MONDAY)
        # once it has run this week, not again
        self.assertIsNone(lw.check_due(datetime(2030, 6, 6, 1), 0, 7, MONDAY))
        # the next week is due again
        self.assertEqual(
            lw.check_due(datetime(2030, 6, 10, 8), 0, 7, MONDAY), date(2030, 6, 10)
        )

    def test_another_weekday(self):
        # Wednesday 09:00: not due on Tuesday, due from Wednesday 09:00
        self.assertIsNone(lw.check_due(datetime(2030, 6, 4, 12), 2, 9, None))
        self.assertIsNone(lw.check_due(datetime(2030, 6, 5, 8), 2, 9, None))
        self.assertEqual(lw.check_due(datetime(2030, 6, 5, 9), 2, 9, None), MONDAY)
        self.assertEqual(lw.check_due(datetime(2030, 6, 9, 23), 2, 9, None), MONDAY)

    def test_bad_schedule_is_refused(self):
        with self.assertRaises(lw.WarningError):
            lw.check_due(datetime(2030, 6, 3), 7, 7, None)
        with self.assertRaises(lw.WarningError):
            lw.check_due(datetime(2030, 6, 3), 0, 24, None)

    @SETTINGS
    @given(
        st.datetimes(min_value=datetime(1900, 1, 8), max_value=datetime(2199, 12, 1)),
        st.integers(0, 6),
        st.integers(0, 23),
    )
    def test_due_exactly_from_the_weekday_and_hour(self, now, weekday, hour):
        monday = now.date() - timedelta(days=now.weekday())
        due_at = datetime.combine(monday + timedelta(days=weekday), datetime.min.time())
        due_at = due_at.replace(hour=hour)
        result = lw.check_due(now, weekday, hour, None)
        self.assertEqual(result, monday if now >= due_at else None)
        # never twice in a week, and always for a week not yet checked
        self.assertIsNone(lw.check_due(now, weekday, hour, monday))
        self.assertEqual(
            lw.check_due(now, weekday, hour, monday - timedelta(days=7)), result
        )


@tagged("at_install", "sale_regional_target_tools")
class TestRunRate(BaseCase):
    def test_landing_by_hand(self):
        # 100 achieved in the 154 days from 1 January to 3 June 2030 (the check
        # day included), over a 365-day year: 100 / 154 x 365 = 237.01...
        landing = lw.run_rate_landing(
            100.0, date(2030, 1, 1), date(2030, 12, 31), MONDAY
        )
        self.assertAlmostEqual(landing, 100.0 * 365 / 154)
        self.assertTrue(lw.floor_in_danger(landing, 240.0))
        self.assertFalse(lw.floor_in_danger(landing, 237.0))
        self.assertFalse(lw.floor_in_danger(landing, 0.0))  # no floor, no danger

    def test_working_days(self):
        # Monday 3 to Friday 7 June 2030: 5 working days; the month has 20
        landing = lw.run_rate_landing(
            50.0, date(2030, 6, 3), date(2030, 6, 28), date(2030, 6, 9), True
        )
        self.assertAlmostEqual(landing, 50.0 / 5 * 20)

    def test_no_run_rate_before_the_period(self):
        self.assertIsNone(
            lw.run_rate_landing(0.0, date(2030, 7, 1), date(2030, 9, 30), MONDAY)
        )
        self.assertFalse(lw.floor_in_danger(None, 100.0))

    @SETTINGS
    @given(
        st.floats(0, 1e12, allow_nan=False),
        st.dates(date(1900, 1, 1), date(2199, 1, 1)),
        st.integers(0, 800),
        st.integers(0, 800),
    )
    def test_landing_is_the_run_rate_times_the_period(
        self, achieved, start, length, day
    ):
        end = start + timedelta(days=length)
        today = start + timedelta(days=day)
        landing = lw.run_rate_landing(achieved, start, end, today)
        done, total = lw.elapsed_days(start, end, today)
        self.assertEqual(done, min(day, length) + 1)
        self.assertAlmostEqual(
            landing * done / total, achieved, delta=1e-6 * (achieved + 1)
        )
        # once the period is over, the landing is what was achieved
        if day >= length:
            self.assertAlmostEqual(landing, achieved, delta=1e-6 * (achieved + 1))


@tagged("at_install", "sale_regional_target_tools")
class TestKeyActions(BaseCase):
    def test_thresholds_as_the_issue_gives_them(self):
        # 65 % then 68 %: two weeks below 70 %
        self.assertTrue(lw.completion_lagging([(17, 25), (13, 20)], 70.0, 2))
        # 65 % then 75 %: the last week is fine
        self.assertFalse(lw.completion_lagging([(3, 4), (13, 20)], 70.0, 2))
        # exactly 70 % is not below 70 %
        self.assertFalse(lw.completion_lagging([(7, 10), (7, 10)], 70.0, 2))
        # nothing due is no lag
        self.assertFalse(lw.completion_lagging([(0, 0), (1, 5)], 70.0, 2))
        # not enough weeks known
        self.assertFalse(lw.completion_lagging([(1, 5)], 70.0, 2))
        with self.assertRaises(lw.WarningError):
            lw.completion_lagging([], 70.0, 0)

    def test_a_week_with_only_overdue_actions_does_not_lag(self):
        # nothing fell due in the last week, two stayed overdue from the week
        # before: they lag in their own week, the empty week breaks the run
        self.assertFalse(lw.completion_lagging([(0, 0), (0, 2)], 70.0, 2))
        self.assertTrue(lw.completion_lagging([(0, 0), (0, 2)][1:], 70.0, 1))

    @SETTINGS
    @given(
        st.lists(
            st.integers(0, 60).flatmap(
                lambda b: st.tuples(st.integers(0, b), st.just(b))
            ),
            min_size=1,
            max_size=6,
        ),
        st.floats(1, 100),
        st.integers(1, 6),
    )
    def test_lagging_means_every_week_below(self, weeks, threshold, required):
        expected = len(weeks) >= required and all(
            base and done / base * 100 < threshold - 1e-9
            for done, base in weeks[:required]
        )
        result = lw.completion_lagging(weeks, threshold, required)
        if expected:
            self.assertTrue(result)
        # a week at or above the threshold, or with nothing due, stops it
        for done, base in weeks[:required]:
            if not base or done * 100.0 >= threshold * base:
                self.assertFalse(result)


@tagged("at_install", "sale_regional_target_tools")
class TestSilent(BaseCase):
    def test_days_since_the_last_order(self):
        start = date(2030, 1, 1)
        self.assertEqual(lw.days_without_order(date(2030, 5, 13), start, MONDAY), 21)
        self.assertTrue(lw.silent(date(2030, 5, 13), start, MONDAY, 10.0, 21))
        self.assertFalse(lw.silent(date(2030, 5, 14), start, MONDAY, 10.0, 21))
        # no gap left: not silent whatever the days
        self.assertFalse(lw.silent(date(2030, 1, 2), start, MONDAY, 0.0, 21))
        self.assertFalse(lw.silent(date(2030, 1, 2), start, MONDAY, -5.0, 21))
        # never ordered: counted from the day before the period
        self.assertEqual(lw.days_without_order(None, start, date(2030, 1, 21)), 21)
        with self.assertRaises(lw.WarningError):
            lw.silent(None, start, MONDAY, 1.0, 0)


@tagged("at_install", "sale_regional_target_tools")
class TestLadder(BaseCase):
    LEVELS = [
        (lw.SALESPERSON, [11]),
        (lw.TEAM_LEADER, [12]),
        (lw.REGION_MANAGER, []),  # a region without a manager
        (lw.PARENT_REGION_MANAGER, [12]),  # the leader manages the parent too
        (lw.PARENT_REGION_MANAGER, [13]),
        (lw.HQ, [14, 15]),
    ]

    def test_empty_and_repeated_levels_are_skipped(self):
        self.assertEqual(
            lw.escalation_chain(self.LEVELS),
            [
                (lw.SALESPERSON, 11),
                (lw.TEAM_LEADER, 12),
                (lw.PARENT_REGION_MANAGER, 13),
                (lw.HQ, 14),
            ],
        )

    def test_the_top_is_configurable(self):
        self.assertEqual(
            lw.escalation_chain(self.LEVELS, lw.TEAM_LEADER),
            [(lw.SALESPERSON, 11), (lw.TEAM_LEADER, 12)],
        )
        self.assertEqual(
            lw.escalation_chain(self.LEVELS, lw.REGION_MANAGER),
            [(lw.SALESPERSON, 11), (lw.TEAM_LEADER, 12)],
        )
        with self.assertRaises(lw.WarningError):
            lw.escalation_chain(self.LEVELS, lw.SALESPERSON)

    def test_climb_one_level_at_most_to_the_top(self):
        self.assertEqual(lw.climb(1, 4), 2)
        self.assertEqual(lw.climb(4, 4), 4)
        self.assertEqual(lw.climb(6, 3), 3)  # a shorter ladder than before
        self.assertEqual(lw.climb(1, 0), 1)

    @SETTINGS
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(lw.ROLES),
                st.lists(st.integers(1, 8), max_size=3),
            ),
            max_size=8,
        ),
        st.sampled_from(lw.TOPS),
    )
    def test_a_ladder_has_each_user_once_in_order(self, levels, top):
        levels = sorted(levels, key=lambda lv: lw.ROLES.index(lv[0]))
        chain = lw.escalation_chain(levels, top)
        users = [user for _role, user in chain]
        self.assertEqual(len(users), len(set(users)))
        ranks = [lw.ROLES.index(role) for role, _user in chain]
        self.assertEqual(ranks, sorted(ranks))
        self.assertTrue(all(rank <= lw.ROLES.index(top) for rank in ranks))
        for role, user in chain:
            self.assertTrue(any(r == role and user in us for r, us in levels))


@tagged("at_install", "sale_regional_target_tools")
class TestNextStep(BaseCase):
    def test_what_the_check_does(self):
        last = MONDAY - timedelta(days=7)
        opened = {"last_week": last, "state": "open", "plan_date": None}
        self.assertEqual(lw.next_step(None, False, MONDAY, MONDAY), lw.NOTHING)
        self.assertEqual(lw.next_step(None, True, MONDAY, MONDAY), lw.RAISE)
        self.assertEqual(lw.next_step(opened, True, MONDAY, MONDAY), lw.ESCALATE)
        self.assertEqual(lw.next_step(opened, False, MONDAY, MONDAY), lw.RESOLVE)
        # a second run in the same week changes nothing
        done = dict(opened, last_week=MONDAY)
        self.assertEqual(lw.next_step(done, True, MONDAY, MONDAY), lw.NOTHING)
        self.assertEqual(lw.next_step(done, False, MONDAY, MONDAY), lw.NOTHING)

    def test_an_acknowledged_plan_holds_the_escalation_until_its_date(self):
        last = MONDAY - timedelta(days=7)
        planned = {"last_week": last, "state": "acknowledged", "plan_date": MONDAY}
        self.assertEqual(lw.next_step(planned, True, MONDAY, MONDAY), lw.CARRY)
        late = dict(planned, plan_date=MONDAY - timedelta(days=1))
        self.assertEqual(lw.next_step(late, True, MONDAY, MONDAY), lw.ESCALATE)
        self.assertEqual(lw.next_step(planned, False, MONDAY, MONDAY), lw.RESOLVE)


@tagged("at_install", "sale_regional_target_tools")
class TestLastDays(BaseCase):
    def test_latest_day_per_target_over_its_keys(self):
        rows = actuals.document_key_rows(
            pd.DataFrame(
                [
                    (1, 10, 100, date(2030, 5, 1), 0),
                    (1, 10, 100, date(2030, 5, 20), 0),
                    (1, 11, 101, date(2030, 5, 25), 0),
                ],
                columns=["company", "user", "team", "day", "amount"],
            )
        )
        keys = pd.DataFrame(
            {
                "target": [1, 2, 3, 3, 4],
                "key": [
                    actuals.make_key(actuals.USER, 1, 10),
                    actuals.make_key(actuals.TEAM, 1, 101),
                    actuals.make_key(actuals.TEAM, 1, 100),
                    actuals.make_key(actuals.TEAM, 1, 101),
                    actuals.make_key(actuals.USER, 1, 99),
                ],
            }
        )
        self.assertEqual(
            actuals.owner_last_days(rows, keys),
            {1: date(2030, 5, 20), 2: date(2030, 5, 25), 3: date(2030, 5, 25)},
        )
        self.assertEqual(actuals.owner_last_days(rows.iloc[0:0], keys), {})
