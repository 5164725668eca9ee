import time
from datetime import date, timedelta

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.sale_regional_target.tools import lifecycle
from odoo.tests import BaseCase, tagged

SETTINGS = settings(max_examples=150, deadline=None, database=None)
AS_OF = date(2026, 11, 22)


def customer(first=None, last=None, orders=0, q1=0.0, q2=0.0, q3=0.0):
    return {
        "first_order": first,
        "last_order": last or first,
        "orders": orders,
        "q1": q1,
        "q2": q2,
        "q3": q3,
    }


def classify(rows, rules=None, as_of=AS_OF):
    return lifecycle.classify(pd.DataFrame(rows), as_of, rules)


def stages(rows, rules=None):
    return list(classify(rows, rules)["stage"])


OLD = date(2024, 1, 10)  # a customer of long standing
RECENT = date(2026, 11, 2)  # ordered this month


@tagged("at_install", "sale_regional_target_tools")
class TestLifecycleRules(BaseCase):
    def test_never_ordered_has_no_stage(self):
        result = classify([customer()])
        self.assertIsNone(result["stage"][0])
        self.assertEqual(result["reason"][0], "never_ordered")

    def test_incubating_until_the_month_count_or_a_repurchase(self):
        # first order 5 months and 30 days ago: still under 6 months
        young = AS_OF - relativedelta(months=6) + timedelta(days=1)
        six = AS_OF - relativedelta(months=6)
        rows = [
            customer(young, orders=1, q1=0, q2=50),
            customer(six, orders=1, q1=0, q2=50),
            customer(young, orders=2, q1=0, q2=50),
        ]
        result = classify(rows)
        self.assertEqual(result["stage"][0], "incubating")
        self.assertEqual(result["reason"][0], "new_no_repurchase")
        self.assertEqual(result["months_since_first"][0], 5)
        # six whole months: no longer new; one order six months ago is dormant
        self.assertEqual(result["months_since_first"][1], 6)
        self.assertEqual(result["stage"][1], "declining")
        # a repurchase: no longer incubating (q1 0 after q3 0: regular)
        self.assertEqual(result["stage"][2], "stable")

    def test_dormant_from_the_month_count(self):
        five = AS_OF - relativedelta(months=5)
        six = AS_OF - relativedelta(months=6)
        rows = [
            customer(OLD, five, orders=9, q1=100, q2=100, q3=100),
            customer(OLD, six, orders=9, q1=0, q2=100, q3=100),
        ]
        result = classify(rows)
        self.assertEqual(list(result["months_since_last"]), [5.0, 6.0])
        self.assertEqual(list(result["reason"]), ["regular", "dormant"])
        self.assertEqual(result["stage"][1], "declining")

    def test_growing_needs_more_than_the_rate_twice(self):
        rows = [
            customer(OLD, RECENT, 9, q1=132.25, q2=115, q3=100),  # exactly 15%: no
            customer(OLD, RECENT, 9, q1=140, q2=115.5, q3=100),  # 21.2%, 15.5%: yes
            customer(OLD, RECENT, 9, q1=200, q2=110, q3=100),  # only once: no
            customer(OLD, RECENT, 9, q1=200, q2=100, q3=0),  # no base: no
        ]
        result = classify(rows)
        self.assertEqual(
            list(result["stage"]), ["stable", "growing", "stable", "stable"]
        )
        self.assertAlmostEqual(result["growth2"][1], 15.5)
        self.assertTrue(np.isnan(result["growth2"][3]))

    def test_falling_needs_more_than_the_rate(self):
        rows = [
            customer(OLD, RECENT, 9, q1=80, q2=90, q3=100),  # exactly -20%: no
            customer(OLD, RECENT, 9, q1=79.99, q2=90, q3=100),  # yes
            customer(OLD, AS_OF - relativedelta(months=4), 9, q1=0, q3=100),  # -100%
        ]
        result = classify(rows)
        self.assertEqual(list(result["reason"]), ["regular", "falling", "falling"])
        self.assertEqual(result["change2q"][2], -100.0)

    def test_precedence(self):
        young = AS_OF - relativedelta(months=1)
        rows = [
            # new, one order, quarters that would look falling: incubating first
            customer(young, orders=1, q1=0, q2=0, q3=0),
            # dormant beats a growing history
            customer(OLD, AS_OF - relativedelta(months=7), 9, q1=0, q2=0, q3=0),
            # growing beats falling when both quarters rise
            customer(OLD, RECENT, 9, q1=300, q2=200, q3=100),
        ]
        self.assertEqual(stages(rows), ["incubating", "declining", "growing"])

    def test_custom_rules(self):
        row = customer(OLD, RECENT, 9, q1=112, q2=105, q3=100)  # +6.7%, +5%
        self.assertEqual(stages([row]), ["stable"])
        rules = lifecycle.Rules(growth_rate=4.0)
        self.assertEqual(stages([row], rules), ["growing"])

    def test_bad_rules(self):
        for rules, field in (
            (lifecycle.Rules(incubating_months=0), "incubating_months"),
            (lifecycle.Rules(dormant_months=0), "dormant_months"),
            (lifecycle.Rules(growth_rate=0), "growth_rate"),
            (lifecycle.Rules(decline_rate=100), "decline_rate"),
        ):
            with self.assertRaises(lifecycle.LifecycleError) as caught:
                rules.check()
            self.assertEqual(caught.exception.code, "bad_rules")
            self.assertEqual(caught.exception.values["field"], field)

    def test_months_between_agrees_with_relativedelta(self):
        rng = np.random.default_rng(7)
        starts = [
            date(2020, 1, 1) + timedelta(days=int(d))
            for d in rng.integers(0, 2000, 3000)
        ]
        ends = [
            s + timedelta(days=int(d))
            for s, d in zip(starts, rng.integers(0, 900, 3000), strict=True)
        ]
        got = lifecycle.months_between(
            np.array(starts, dtype="datetime64[D]"),
            np.array(ends, dtype="datetime64[D]"),
        )
        expected = [
            relativedelta(e, s).years * 12 + relativedelta(e, s).months
            for s, e in zip(starts, ends, strict=True)
        ]
        self.assertEqual(got.tolist(), expected)
        self.assertEqual(
            lifecycle.months_between(
                np.array([date(2026, 1, 31)], "datetime64[D]"),
                np.datetime64("2026-02-28"),
            ).tolist(),
            [1.0],
        )

    def test_lifecycle_basis_and_mix(self):
        revenue = pd.DataFrame(
            {"growing": [100.0, 0.0], "declining": [0.0, 1000.0], "stable": [None, -5]},
            index=["A", "B"],
        )
        basis = lifecycle.lifecycle_basis(revenue)
        self.assertEqual(basis.tolist(), [40.0, 50.0])
        with self.assertRaises(lifecycle.LifecycleError):
            lifecycle.lifecycle_basis(revenue, {"growing": 0.0})
        with self.assertRaises(lifecycle.LifecycleError):
            lifecycle.lifecycle_basis(revenue, {"growing": 1.0, "stable": -0.1})
        mix = lifecycle.stage_mix(["growing", None, "growing", "stable"])
        self.assertEqual(
            mix, {"incubating": 0, "growing": 2, "stable": 1, "declining": 0}
        )

    def test_sixty_thousand_customers_in_well_under_a_second(self):
        rng = np.random.default_rng(11)
        n = 60_000
        first = np.datetime64("2023-01-01") + rng.integers(0, 1400, n)
        last = first + rng.integers(0, 300, n)
        frame = pd.DataFrame(
            {
                "first_order": first,
                "last_order": np.minimum(last, np.datetime64(AS_OF)),
                "orders": rng.integers(1, 30, n),
                "q1": rng.gamma(2, 1000, n),
                "q2": rng.gamma(2, 1000, n),
                "q3": rng.gamma(2, 1000, n),
            }
        )
        start = time.perf_counter()
        result = lifecycle.classify(frame, AS_OF)
        elapsed = time.perf_counter() - start
        self.assertEqual(len(result), n)
        self.assertLess(elapsed, 1.0)


quarter = st.one_of(st.just(0.0), st.floats(0.01, 1e9))
day = st.integers(0, 2000).map(lambda d: date(2021, 1, 1) + timedelta(days=d))


@st.composite
def customers(draw):
    first = draw(st.one_of(st.none(), day))
    last = None
    if first:
        last = min(first + timedelta(days=draw(st.integers(0, 1500))), AS_OF)
        first = min(first, last)
    return customer(
        first,
        last,
        orders=draw(st.integers(1, 50)) if first else 0,
        q1=draw(quarter),
        q2=draw(quarter),
        q3=draw(quarter),
    )


@tagged("at_install", "sale_regional_target_tools")
class TestLifecycleProperties(BaseCase):
    @SETTINGS
    @given(st.lists(customers(), min_size=1, max_size=30))
    def test_one_stage_each_none_only_without_orders(self, rows):
        result = classify(rows)
        for row, stage in zip(rows, result["stage"], strict=True):
            if row["first_order"] is None:
                self.assertIsNone(stage)
            else:
                self.assertIn(stage, lifecycle.STAGES)

    @SETTINGS
    @given(st.lists(customers(), min_size=2, max_size=30), st.randoms())
    def test_order_of_rows_does_not_matter(self, rows, rnd):
        shuffled = list(enumerate(rows))
        rnd.shuffle(shuffled)
        before = stages(rows)
        after = stages([row for _i, row in shuffled])
        self.assertEqual([before[i] for i, _row in shuffled], after)

    @SETTINGS
    @given(customers(), st.floats(0.01, 1000))
    def test_scaling_the_quarters_changes_nothing(self, row, factor):
        scaled = dict(
            row, q1=row["q1"] * factor, q2=row["q2"] * factor, q3=row["q3"] * factor
        )
        # percentages are the same up to rounding: stay clear of exact thresholds
        base = classify([row]).iloc[0]
        for column in ("growth1", "growth2", "change2q"):
            value = base[column]
            if not np.isnan(value) and min(abs(value - 15), abs(value + 20)) < 1e-6:
                return
        self.assertEqual(stages([row]), stages([scaled]))

    @SETTINGS
    @given(customers(), st.floats(0.0, 1e9))
    def test_more_in_the_last_quarter_never_hurts(self, row, extra):
        before = stages([row])[0]
        after = stages([dict(row, q1=row["q1"] + extra)])[0]
        if before == "growing":
            self.assertEqual(after, "growing")
        if before == "stable":
            self.assertIn(after, ("stable", "growing"))

    @SETTINGS
    @given(
        st.lists(st.tuples(*[st.floats(0, 1e9)] * 4), min_size=1, max_size=20),
        st.floats(0.01, 10),
        st.sampled_from(lifecycle.STAGES),
        st.floats(0.0, 1.0),
    )
    def test_basis_linear_in_revenue_and_monotone_in_weights(
        self, values, factor, stage, more
    ):
        revenue = pd.DataFrame(values, columns=list(lifecycle.STAGES))
        basis = lifecycle.lifecycle_basis(revenue)
        np.testing.assert_allclose(
            lifecycle.lifecycle_basis(revenue * factor), basis * factor, rtol=1e-9
        )
        heavier = dict(lifecycle.DEFAULT_WEIGHTS)
        heavier[stage] += more
        self.assertTrue(
            (lifecycle.lifecycle_basis(revenue, heavier) >= basis - 1e-6 * basis).all()
        )

    @SETTINGS
    @given(st.lists(st.sampled_from([*lifecycle.STAGES, None])))
    def test_mix_counts_every_stage(self, values):
        mix = lifecycle.stage_mix(values)
        self.assertEqual(sum(mix.values()), sum(v is not None for v in values))
