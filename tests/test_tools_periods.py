from calendar import monthrange
from datetime import date, timedelta

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.sale_regional_target.tools import periods
from odoo.tests import BaseCase, tagged

DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
# periods of up to about four years, as targets are planned
PERIODS = st.builds(
    lambda d, n: (d, d + timedelta(days=n)), DATES, st.integers(0, 1500)
)
SETTINGS = settings(max_examples=200, deadline=None, database=None)


@tagged("at_install", "sale_regional_target_tools")
class TestPeriodsExamples(BaseCase):
    def test_month_start(self):
        self.assertEqual(periods.month_start(date(2024, 2, 29)), date(2024, 2, 1))
        self.assertEqual(periods.month_start(date(2024, 3, 1)), date(2024, 3, 1))

    def test_next_month_boundaries(self):
        self.assertEqual(periods.next_month(date(2024, 1, 31)), date(2024, 2, 1))
        self.assertEqual(periods.next_month(date(2024, 1, 1)), date(2024, 2, 1))
        self.assertEqual(periods.next_month(date(2023, 2, 28)), date(2023, 3, 1))
        self.assertEqual(periods.next_month(date(2024, 2, 29)), date(2024, 3, 1))
        self.assertEqual(periods.next_month(date(2024, 12, 15)), date(2025, 1, 1))

    def test_month_starts(self):
        self.assertEqual(
            periods.month_starts(date(2024, 1, 31), date(2024, 3, 1)),
            [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)],
        )
        self.assertEqual(
            periods.month_starts(date(2024, 11, 20), date(2025, 1, 5)),
            [date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1)],
        )
        self.assertEqual(
            periods.month_starts(date(2024, 5, 7), date(2024, 5, 7)), [date(2024, 5, 1)]
        )
        self.assertEqual(periods.month_starts(date(2024, 3, 2), date(2024, 3, 1)), [])

    def test_days_per_month_leap_february(self):
        self.assertEqual(
            periods.days_per_month(date(2024, 1, 15), date(2024, 3, 10)),
            [(date(2024, 1, 1), 17), (date(2024, 2, 1), 29), (date(2024, 3, 1), 10)],
        )
        self.assertEqual(
            periods.days_per_month(date(2023, 1, 15), date(2023, 3, 10)),
            [(date(2023, 1, 1), 17), (date(2023, 2, 1), 28), (date(2023, 3, 1), 10)],
        )

    def test_days_per_month_single_day_and_empty(self):
        self.assertEqual(
            periods.days_per_month(date(2024, 12, 31), date(2024, 12, 31)),
            [(date(2024, 12, 1), 1)],
        )
        self.assertEqual(
            periods.days_per_month(date(2024, 2, 1), date(2024, 1, 31)), []
        )

    def test_days_per_month_across_year_end(self):
        self.assertEqual(
            periods.days_per_month(date(2024, 12, 30), date(2025, 1, 2)),
            [(date(2024, 12, 1), 2), (date(2025, 1, 1), 2)],
        )

    def test_year_bounds_and_leap_years(self):
        self.assertEqual(
            periods.year_bounds(2030), (date(2030, 1, 1), date(2030, 12, 31))
        )
        for year, length in (
            (2023, 365),
            (2024, 366),
            (1900, 365),
            (2000, 366),
            (2100, 365),
        ):
            months = periods.days_per_month(*periods.year_bounds(year))
            self.assertEqual(len(months), 12, year)
            self.assertEqual(sum(days for _m, days in months), length, year)
            self.assertEqual(months[1], (date(year, 2, 1), length - 337), year)

    def test_overlaps_and_contains(self):
        jan = (date(2024, 1, 1), date(2024, 1, 31))
        feb = (date(2024, 2, 1), date(2024, 2, 29))
        self.assertFalse(periods.overlaps(*jan, *feb))
        self.assertTrue(periods.overlaps(*jan, date(2024, 1, 31), date(2024, 2, 5)))
        self.assertTrue(periods.overlaps(date(2024, 1, 31), date(2024, 2, 5), *jan))
        year = periods.year_bounds(2024)
        self.assertTrue(periods.contains(*year, *jan))
        self.assertTrue(periods.contains(*jan, *jan))
        self.assertFalse(periods.contains(*jan, date(2023, 12, 31), date(2024, 1, 5)))
        self.assertFalse(periods.contains(*jan, date(2024, 1, 5), date(2024, 2, 1)))
        self.assertFalse(periods.contains(*jan, *year))


@tagged("at_install", "sale_regional_target_tools")
class TestPeriodsProperties(BaseCase):
    @SETTINGS
    @given(DATES)
    def test_next_month_is_first_of_following_month(self, day):
        nxt = periods.next_month(day)
        self.assertEqual(nxt.day, 1)
        self.assertEqual(
            periods.month_start(nxt - timedelta(days=1)), periods.month_start(day)
        )
        self.assertEqual(
            (nxt - periods.month_start(day)).days, monthrange(day.year, day.month)[1]
        )

    @SETTINGS
    @given(PERIODS)
    def test_days_per_month_sums_to_period_length(self, period):
        date_from, date_to = period
        months = periods.days_per_month(date_from, date_to)
        self.assertEqual(
            sum(days for _m, days in months), (date_to - date_from).days + 1
        )

    @SETTINGS
    @given(PERIODS)
    def test_days_per_month_covers_every_month_once(self, period):
        date_from, date_to = period
        months = [m for m, _days in periods.days_per_month(date_from, date_to)]
        expected, current = [], periods.month_start(date_from)
        while current <= date_to:
            expected.append(current)
            current = date(
                current.year + current.month // 12, current.month % 12 + 1, 1
            )
        self.assertEqual(months, expected)
        self.assertEqual(len(set(months)), len(months))
        self.assertEqual(months, periods.month_starts(date_from, date_to))
        self.assertEqual(months[0], date_from.replace(day=1))
        self.assertEqual(months[-1], date_to.replace(day=1))

    @SETTINGS
    @given(PERIODS)
    def test_days_per_month_counts_days_inside_each_month(self, period):
        date_from, date_to = period
        for month, days in periods.days_per_month(date_from, date_to):
            month_len = monthrange(month.year, month.month)[1]
            inside = [
                month + timedelta(days=i)
                for i in range(month_len)
                if date_from <= month + timedelta(days=i) <= date_to
            ]
            self.assertEqual(days, len(inside))
            self.assertTrue(1 <= days <= month_len)

    @SETTINGS
    @given(DATES, DATES)
    def test_reversed_period_is_empty(self, a, b):
        if a == b:
            self.assertEqual(len(periods.month_starts(a, b)), 1)
        else:
            early, late = sorted((a, b))
            self.assertEqual(periods.month_starts(late, early), [])
            self.assertEqual(periods.days_per_month(late, early), [])

    @SETTINGS
    @given(PERIODS, PERIODS)
    def test_overlaps_means_a_common_day(self, a, b):
        result = periods.overlaps(*a, *b)
        self.assertEqual(result, periods.overlaps(*b, *a))
        self.assertEqual(result, max(a[0], b[0]) <= min(a[1], b[1]))
        if periods.contains(*a, *b):
            self.assertTrue(result)
            self.assertTrue(periods.contains(*a, *a))
            if periods.contains(*b, *a):
                self.assertEqual(tuple(a), tuple(b))


@tagged("at_install", "sale_regional_target_tools")
class TestAnyStoredDate(BaseCase):
    """Odoo stores years 1 to 9999: nothing here may overflow on them (pandas'
    nanosecond timestamps stop at 2262)."""

    def test_last_months_of_the_calendar(self):
        self.assertIsNone(periods.next_month(date(9999, 12, 15)))
        self.assertEqual(
            periods.month_starts(date(9999, 11, 3), date(9999, 12, 31)),
            [date(9999, 11, 1), date(9999, 12, 1)],
        )
        self.assertEqual(
            periods.days_per_month(date(9999, 12, 1), date(9999, 12, 31)),
            [(date(9999, 12, 1), 31)],
        )
        self.assertEqual(
            periods.month_count(date(2026, 1, 1), date(2926, 12, 31)), 10812
        )

    def test_day_array_takes_what_the_database_and_pandas_give(self):
        days = periods.day_array(
            [date(9999, 12, 31), None, date(1, 1, 1), float("nan"), "2926-05-06"]
        )
        self.assertEqual(days.dtype, np.dtype("datetime64[D]"))
        self.assertEqual(str(days[0]), "9999-12-31")
        self.assertTrue(np.isnat(days[1]) and np.isnat(days[3]))
        self.assertEqual(str(days[4]), "2926-05-06")
        series = pd.Series([date(2030, 1, 2), None])
        self.assertEqual(str(periods.day_array(series)[0]), "2030-01-02")
        numbers = periods.day_numbers([date(1970, 1, 2), date(9999, 12, 31)])
        self.assertEqual(numbers[0], 1)
        with self.assertRaises(ValueError):
            periods.day_numbers([None])

    def test_bounds(self):
        self.assertTrue(periods.within_bounds(date(2026, 6, 1)))
        self.assertFalse(periods.within_bounds(date(2926, 6, 1)))
        self.assertFalse(periods.within_bounds(date(1066, 6, 1)))

    @SETTINGS
    @given(st.dates(), st.dates())
    def test_month_starts_for_any_dates(self, a, b):
        early, late = sorted((a, b))
        if periods.month_count(early, late) > 2400:
            return  # centuries apart: covered by month_count itself
        months = periods.month_starts(early, late)
        self.assertEqual(len(months), periods.month_count(early, late))
        self.assertEqual(
            sum(days for _m, days in periods.days_per_month(early, late)),
            (late - early).days + 1,
        )
