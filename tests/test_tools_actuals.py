from datetime import date, timedelta

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.sale_regional_target.tools import actuals
from odoo.tests import BaseCase, tagged

SETTINGS = settings(max_examples=150, deadline=None, database=None)
ORIGIN = date(2030, 1, 1)
KEYS = ["alice", "bob", "carol", "dave"]
# rows fall within about three months from ORIGIN
DAYS = st.integers(0, 95).map(lambda n: ORIGIN + timedelta(days=n))
# queries may also start or end a little outside that range
QUERY_DAYS = st.integers(-10, 105).map(lambda n: ORIGIN + timedelta(days=n))
# amounts as integers or as floats with cents, refunds included
AMOUNTS = st.one_of(
    st.integers(-(10**6), 10**6),
    st.integers(-(10**8), 10**8).map(lambda cents: cents / 100),
)
ROWS = st.lists(st.tuples(st.sampled_from(KEYS), DAYS, AMOUNTS), max_size=40)
# "zed" is never a row key
QUERY_KEYS = st.sampled_from([*KEYS, "zed"])
ORDERED_QUERIES = st.lists(
    st.tuples(QUERY_KEYS, QUERY_DAYS, QUERY_DAYS).map(
        lambda q: (q[0], min(q[1], q[2]), max(q[1], q[2]))
    ),
    max_size=25,
)
ANY_QUERIES = st.lists(st.tuples(QUERY_KEYS, QUERY_DAYS, QUERY_DAYS), max_size=25)


def d(day, month=1):
    return date(2030, month, day)


def frame_rows(rows):
    return pd.DataFrame(rows, columns=["key", "day", "amount"])


def frame_queries(queries):
    return pd.DataFrame(queries, columns=["key", "start", "end"])


def brute_force(rows, queries):
    return [
        sum(
            amount
            for row_key, day, amount in rows
            if row_key == key and start <= day <= end
        )
        for key, start, end in queries
    ]


ROWS_AB = [
    ("a", d(1), 10.0),
    ("b", d(2), 7.0),
    ("a", d(1), 5.0),  # same key and day as the first row: summed
    ("a", d(3), 2.5),
    ("b", d(1, 2), 1.0),
    ("a", d(31), 100.0),
]


@tagged("at_install", "sale_regional_target_tools")
class TestActualsExamples(BaseCase):
    def assertSums(self, rows, queries, expected):
        result = actuals.interval_sums(rows, queries)
        self.assertIsInstance(result, np.ndarray)
        self.assertEqual(result.dtype, np.float64)
        self.assertEqual(result.shape, (len(queries),))
        self.assertEqual(result.tolist(), expected)

    def test_sums_per_key_and_interval(self):
        queries = [
            ("a", d(1), d(31)),  # 10 + 5 + 2.5 + 100
            ("b", d(1), d(31)),  # the February row is out
            ("a", d(2), d(30)),  # only the 3rd
            ("b", date(2029, 12, 1), date(2030, 12, 31)),
            ("a", d(4), d(30)),  # no row in between
            ("a", date(2029, 1, 1), date(2029, 12, 31)),  # before every row
            ("a", d(1, 2), d(1, 3)),  # after every row
        ]
        self.assertSums(
            frame_rows(ROWS_AB),
            frame_queries(queries),
            [117.5, 7.0, 2.5, 8.0, 0.0, 0.0, 0.0],
        )

    def test_rows_of_the_same_day_are_summed(self):
        rows = frame_rows(
            [("a", d(5), 1.25), ("a", d(5), 2.5), ("a", d(5), -0.75), ("b", d(5), 9)]
        )
        self.assertSums(
            rows,
            frame_queries([("a", d(5), d(5)), ("b", d(5), d(5)), ("a", d(4), d(6))]),
            [3.0, 9.0, 3.0],
        )

    def test_both_bounds_are_inclusive(self):
        rows = frame_rows([("a", d(1), 1.0), ("a", d(2), 2.0), ("a", d(3), 4.0)])
        queries = [
            ("a", d(1), d(3)),
            ("a", d(1), d(1)),
            ("a", d(3), d(3)),
            ("a", d(1), d(2)),
            ("a", d(2), d(3)),
            ("a", d(2), d(2)),
        ]
        self.assertSums(rows, frame_queries(queries), [7.0, 1.0, 4.0, 3.0, 6.0, 2.0])

    def test_unknown_key_gives_zero(self):
        queries = [("zed", d(1), d(31)), ("a", d(1), d(1)), ("A", d(1), d(31))]
        self.assertSums(frame_rows(ROWS_AB), frame_queries(queries), [0.0, 15.0, 0.0])

    def test_empty_rows_or_queries(self):
        queries = frame_queries([("a", d(1), d(31)), ("b", d(1), d(31))])
        self.assertSums(frame_rows([]), queries, [0.0, 0.0])
        self.assertSums(frame_rows(ROWS_AB), frame_queries([]), [])
        self.assertSums(frame_rows([]), frame_queries([]), [])

    def test_query_order_is_preserved(self):
        queries = [
            ("b", d(1), d(31)),
            ("a", d(3), d(3)),
            ("zed", d(1), d(31)),
            ("a", d(1), d(1)),
            ("b", d(1, 2), d(1, 2)),
            ("a", d(31), d(31)),
        ]
        expected = [7.0, 2.5, 0.0, 15.0, 1.0, 100.0]
        rows = frame_rows(ROWS_AB)
        self.assertSums(rows, frame_queries(queries), expected)
        self.assertSums(rows, frame_queries(queries[::-1]), expected[::-1])
        # the same query several times gives the same total each time
        self.assertSums(rows, frame_queries([queries[3]] * 3), [15.0] * 3)

    def test_rows_order_does_not_matter(self):
        queries = frame_queries([("a", d(1), d(31)), ("a", d(2), d(3))])
        self.assertSums(frame_rows(ROWS_AB), queries, [117.5, 2.5])
        self.assertSums(frame_rows(ROWS_AB[::-1]), queries, [117.5, 2.5])

    def test_result_is_positional_whatever_the_index(self):
        rows = frame_rows(ROWS_AB)
        rows.index = [50, 3, 7, 1, 0, 9]
        queries = frame_queries(
            [("a", d(3), d(31)), ("b", d(1), d(2)), ("a", d(1), d(1))]
        )
        queries.index = [12, 4, 8]
        self.assertSums(rows, queries, [102.5, 7.0, 15.0])

    def test_integer_amounts_give_floats(self):
        rows = frame_rows([("a", d(1), 3), ("a", d(2), 4), ("b", d(2), 5)])
        self.assertEqual(rows["amount"].dtype.kind, "i")
        self.assertSums(
            rows, frame_queries([("a", d(1), d(2)), ("b", d(1), d(1))]), [7.0, 0.0]
        )

    def test_dates_and_datetime64_are_accepted(self):
        queries = [("a", d(1), d(1)), ("a", d(2), d(31)), ("b", d(1), d(31))]
        expected = [15.0, 102.5, 7.0]
        as_dates = frame_rows(ROWS_AB)
        as_datetime64 = as_dates.assign(
            day=np.array([np.datetime64(day, "D") for day in as_dates["day"]])
        )
        self.assertEqual(as_datetime64["day"].dtype.kind, "M")
        queries_dates = frame_queries(queries)
        queries_datetime64 = pd.DataFrame(
            {
                "key": [q[0] for q in queries],
                "start": np.array([q[1] for q in queries], dtype="datetime64[D]"),
                "end": np.array([q[2] for q in queries], dtype="datetime64[D]"),
            }
        )
        self.assertEqual(queries_datetime64["start"].dtype.kind, "M")
        for rows in (as_dates, as_datetime64):
            for q in (queries_dates, queries_datetime64):
                self.assertSums(rows, q, expected)
        # single numpy datetime64 values in object columns
        rows = frame_rows([("a", np.datetime64("2030-01-02"), 2.0)])
        q = frame_queries(
            [("a", np.datetime64("2030-01-01"), np.datetime64("2030-01-02"))]
        )
        self.assertSums(rows, q, [2.0])

    def test_reversed_interval_gives_zero(self):
        # start after end is an empty interval: nothing to sum, even though rows
        # lie between the two days
        rows = frame_rows([("a", d(1), 1.0), ("a", d(5), 2.0), ("a", d(9), 4.0)])
        queries = [
            ("a", d(6), d(5)),  # no row strictly between end and start
            ("a", d(8), d(2)),  # the row of the 5th lies between them
            ("a", d(31), d(1)),
            ("a", d(1), d(9)),
        ]
        self.assertSums(rows, frame_queries(queries), [0.0, 0.0, 0.0, 7.0])


@tagged("at_install", "sale_regional_target_tools")
class TestActualsProperties(BaseCase):
    def assertMatchesBruteForce(self, rows, queries, as_datetime64):
        rows_frame = frame_rows(rows)
        if as_datetime64 and rows:
            rows_frame["day"] = rows_frame["day"].astype("datetime64[ns]")
        result = actuals.interval_sums(rows_frame, frame_queries(queries))
        self.assertEqual(result.shape, (len(queries),))
        for got, want, query in zip(
            result, brute_force(rows, queries), queries, strict=True
        ):
            self.assertAlmostEqual(got, want, places=6, msg=(query, rows))

    @SETTINGS
    @given(ROWS, ORDERED_QUERIES, st.booleans())
    def test_ordered_queries_match_brute_force(self, rows, queries, as_datetime64):
        self.assertMatchesBruteForce(rows, queries, as_datetime64)

    @SETTINGS
    @given(ROWS, ANY_QUERIES, st.booleans())
    def test_any_queries_match_brute_force(self, rows, queries, as_datetime64):
        # queries with start > end are empty intervals and must give 0
        self.assertMatchesBruteForce(rows, queries, as_datetime64)


@tagged("at_install", "sale_regional_target_tools")
class TestMakeKey(BaseCase):
    @given(
        st.lists(
            st.tuples(
                st.sampled_from([actuals.USER, actuals.TEAM, actuals.COMPANY]),
                st.integers(1, 2**24 - 1),
                st.integers(0, 2**31 - 1),
            ),
            min_size=1,
            max_size=30,
            unique=True,
        )
    )
    @SETTINGS
    def test_distinct_owners_get_distinct_keys(self, owners):
        keys = [int(actuals.make_key(*owner)) for owner in owners]
        self.assertEqual(len(set(keys)), len(owners))

    @given(
        st.lists(
            st.tuples(
                st.sampled_from([actuals.USER, actuals.TEAM, actuals.COMPANY]),
                st.integers(1, 2**20),
                st.integers(0, 2**31 - 1),
            ),
            min_size=1,
            max_size=30,
        )
    )
    @SETTINGS
    def test_key_parts_give_back_what_made_the_key(self, owners):
        kinds, companies, records = zip(*owners, strict=True)
        keys = actuals.make_key(np.array(kinds), np.array(companies), np.array(records))
        parts = actuals.key_parts(keys)
        self.assertEqual(
            [p.tolist() for p in parts], [list(kinds), list(companies), list(records)]
        )

    def test_arrays_give_the_same_keys_as_scalars(self):
        companies = np.array([1, 1, 2, 7])
        users = np.array([0, 5, 5, 2**31 - 1])
        keys = actuals.make_key(actuals.USER, companies, users)
        self.assertEqual(
            keys.tolist(),
            [
                int(actuals.make_key(actuals.USER, c, u))
                for c, u in zip(companies, users, strict=True)
            ],
        )

    def test_kind_company_and_record_are_all_part_of_the_key(self):
        base = int(actuals.make_key(actuals.TEAM, 3, 9))
        self.assertNotEqual(base, int(actuals.make_key(actuals.USER, 3, 9)))
        self.assertNotEqual(base, int(actuals.make_key(actuals.TEAM, 4, 9)))
        self.assertNotEqual(base, int(actuals.make_key(actuals.TEAM, 3, 10)))
        # a company key never collides with a member's key of that company
        self.assertNotEqual(
            int(actuals.make_key(actuals.COMPANY, 3)),
            int(actuals.make_key(actuals.TEAM, 3, 0)),
        )


@tagged("at_install", "sale_regional_target_tools")
class TestActualsAnyDate(BaseCase):
    def test_far_dates_sum_without_overflow(self):
        """Rows and periods in years 1 and 9999 (beyond pandas' nanoseconds)."""
        rows = frame_rows(
            [
                ("alice", date(1, 1, 1), 5.0),
                ("alice", date(2926, 3, 1), 7.0),
                ("alice", date(9999, 12, 31), 11.0),
            ]
        )
        queries = pd.DataFrame(
            [
                ("alice", date(1, 1, 1), date(9999, 12, 31)),
                ("alice", date(2926, 1, 1), date(2926, 12, 31)),
                ("alice", date(9999, 12, 31), date(9999, 12, 31)),
            ],
            columns=["key", "start", "end"],
        )
        self.assertEqual(
            actuals.interval_sums(rows, queries).tolist(), [23.0, 7.0, 11.0]
        )
        keyed = actuals.document_key_rows(
            pd.DataFrame(
                {
                    "company": [1],
                    "user": [2],
                    "team": [None],
                    "day": [date(9999, 12, 31)],
                    "amount": [3.0],
                }
            )
        )
        self.assertEqual(len(keyed), 3)
