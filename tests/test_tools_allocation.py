import math
import time

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.sale_regional_target.tools import allocation, rounding
from odoo.tests import BaseCase, tagged

SETTINGS = settings(max_examples=150, deadline=None, database=None)
# the product's "done" criteria: more examples
MANY = settings(max_examples=400, deadline=None, database=None)
NAN = math.nan
UNITS = st.sampled_from([0.01, 1.0, 100.0, 10000.0])
# totals in cents: up to a billion, sometimes far beyond
TOTAL_CENTS = st.one_of(st.integers(1, 10**11), st.integers(1, 10**15))
# bases as history sums (cents), small integers, or zero
BASES = st.one_of(
    st.just(0.0),
    st.integers(0, 50).map(float),
    st.integers(0, 10**12).map(lambda cents: cents / 100),
)
RAMPS = st.one_of(
    st.just(NAN), st.just(1.0), st.sampled_from([0.0, 0.25, 0.5]), st.floats(0.01, 1)
)


def cents(values):
    return [round(v * 100) for v in values]


def unit_cents(unit):
    return round(unit * 100)


def expected_error(total_cents, unit, minimum, maximum, locked):
    """The code allocate must raise, from the inputs in integer cents (None: none).

    Free amounts are whole units, bounds rounded inwards to the unit (minimums up,
    maximums down), plus a leftover below one unit: an allocation exists exactly
    when none of these holds.
    """
    u = unit_cents(unit)
    locked_sum = sum(c for c in locked if c is not None)
    if locked_sum > total_cents:
        return "locked_exceed"
    remaining = total_cents - locked_sum
    free = [i for i, c in enumerate(locked) if c is None]
    if not free:
        return "maximums_short" if remaining else None
    low = {i: -(-(minimum[i] or 0) // u) for i in free}
    high = {i: maximum[i] // u for i in free if maximum[i] is not None}
    for i, top in high.items():
        if minimum[i] is not None and (minimum[i] > maximum[i] or low[i] > top):
            return "bounds_crossed"
    if sum(low.values()) > remaining // u:
        return "minimums_exceed"
    if len(high) == len(free) and (
        remaining // u > sum(high.values()) or remaining > sum(maximum[i] for i in free)
    ):
        return "maximums_short"
    return None


@tagged("at_install", "sale_regional_target_tools")
class TestAllocationBases(BaseCase):
    def test_error_carries_code_positions_and_values(self):
        error = allocation.AllocationError(
            "minimums_exceed", children=np.array([2, 0]), needed=5, available=3.5
        )
        self.assertIsInstance(error, ValueError)
        self.assertEqual(error.code, "minimums_exceed")
        self.assertEqual(error.children, (2, 0))
        self.assertEqual(error.factors, ())
        self.assertEqual(error.values, {"needed": 5.0, "available": 3.5})
        self.assertIn("minimums_exceed", str(error))

    def test_history_basis_weights_years_and_ignores_negative_actuals(self):
        # weights 3:1 -> 75% last year, 25% the year before
        basis = allocation.history_basis(
            [[100, 50], [0, 200], [-10, 0], [40, -80]], [3, 1]
        )
        np.testing.assert_allclose(basis, [87.5, 50.0, 0.0, 30.0])
        np.testing.assert_allclose(
            allocation.history_basis([[10, 20, 30]], [0.5, 0.3, 0.2]), [17.0]
        )

    def test_history_basis_errors(self):
        with self.assertRaises(allocation.AllocationError) as caught:
            allocation.history_basis([[1, 2]], [0, 0])
        self.assertEqual(caught.exception.code, "weights_zero")
        with self.assertRaises(allocation.AllocationError) as caught:
            allocation.history_basis([[1, 2]], [2, -1])
        self.assertEqual(caught.exception.code, "weights_zero")
        with self.assertRaises(allocation.AllocationError) as caught:
            allocation.history_basis([[0, -5], [0, 0], [-3, 0]], [1, 1])
        self.assertEqual(caught.exception.code, "no_history")
        self.assertEqual(caught.exception.children, (0, 1, 2))

    def test_normalise(self):
        np.testing.assert_allclose(
            allocation.normalise([2, 4, 6, 3], "minmax"), [0, 0.5, 1, 0.25]
        )
        np.testing.assert_array_equal(allocation.normalise([7, 7], "minmax"), [1, 1])
        # z = -1 and 1: the normal CDF gives 0.158655... and 0.841344...
        np.testing.assert_allclose(
            allocation.normalise([1, 3], "zscore"), [0.15865525, 0.84134475]
        )
        np.testing.assert_allclose(
            allocation.normalise([1, 2, 3], "zscore"),
            [0.1103357, 0.5, 0.8896643],
            atol=1e-7,
        )
        np.testing.assert_array_equal(
            allocation.normalise([4, 4], "zscore"), [0.5, 0.5]
        )
        with self.assertRaises(ValueError):
            allocation.normalise([1, 2], "rank")

    def test_potential_scores_and_contributions(self):
        values = [[10, 1], [20, 3], [30, 2]]
        # minmax: factor 0 -> 0, .5, 1; factor 1 -> 0, 1, .5; weights 3 and 1
        parts = allocation.factor_contributions(values, [3, 1], ["minmax", "minmax"])
        np.testing.assert_allclose(parts, [[0, 0], [37.5, 25], [75, 12.5]])
        scores = allocation.potential_scores(values, [3, 1], ["minmax", "minmax"])
        np.testing.assert_allclose(scores, [0, 62.5, 87.5])
        scores = allocation.potential_scores(values, [1, 1], ["zscore", "minmax"])
        np.testing.assert_allclose(scores, [5.5168, 75, 69.4832], atol=1e-4)

    def test_potential_errors(self):
        values = [[1, 2, 3], [NAN, 2, 3], [1, 2, NAN], [1, 2, 3]]
        with self.assertRaises(allocation.AllocationError) as caught:
            allocation.potential_scores(values, [1, 1, 1], ["minmax"] * 3)
        self.assertEqual(caught.exception.code, "factor_values_missing")
        self.assertEqual(caught.exception.children, (1, 2))
        self.assertEqual(caught.exception.factors, (0, 2))
        # a factor of zero weight counts for nothing: its gaps do not matter
        scores = allocation.potential_scores(values, [0, 1, 0], ["minmax"] * 3)
        np.testing.assert_array_equal(scores, [100, 100, 100, 100])
        with self.assertRaises(allocation.AllocationError) as caught:
            allocation.potential_scores([[1, 2]], [0, 0], ["minmax"] * 2)
        self.assertEqual(caught.exception.code, "weights_zero")

    def test_blend_basis(self):
        # history shares .25/.75, potential .5/.5
        np.testing.assert_allclose(
            allocation.blend_basis([1, 3], [5, 5], 0.5), [0.375, 0.625]
        )
        np.testing.assert_allclose(
            allocation.blend_basis([1, 3], [5, 5], 1), [0.25, 0.75]
        )
        # a basis adding up to zero contributes nothing
        np.testing.assert_allclose(
            allocation.blend_basis([0, 0], [1, 3], 0.4), [0.15, 0.45]
        )
        with self.assertRaises(ValueError):
            allocation.blend_basis([1], [1], 1.5)

    def test_ramp_factor(self):
        schedule = [0.25, 0.5, 0.75]
        # tenure 0: 25 + 50 + 75 + 9 x 100 over 12 months
        self.assertAlmostEqual(allocation.ramp_factor(0, 12, schedule), 10.5 / 12)
        self.assertIsInstance(allocation.ramp_factor(0, 12, schedule), float)
        self.assertEqual(allocation.ramp_factor(3, 12, schedule), 1.0)
        self.assertAlmostEqual(allocation.ramp_factor(1, 3, schedule), 0.75)
        # starts in the third month: two months at 0, then the schedule
        self.assertAlmostEqual(allocation.ramp_factor(-2, 12, schedule), 8.5 / 12)
        self.assertEqual(allocation.ramp_factor(-12, 12, schedule), 0.0)
        self.assertEqual(allocation.ramp_factor(0, 12, []), 1.0)
        np.testing.assert_allclose(
            allocation.ramp_factor(np.array([0, -2, 3, -12]), 12, schedule),
            [10.5 / 12, 8.5 / 12, 1, 0],
        )

    def test_growth_cap_maximum(self):
        maximum = allocation.growth_cap_maximum([100, 0, -5, NAN, 2000], 10)
        np.testing.assert_allclose(maximum, [110, NAN, NAN, NAN, 2200])

    def test_fairness(self):
        # amount / potential: 10 and 10 -> no variation
        self.assertEqual(allocation.fairness([10, 20], [1, 2]), 0.0)
        # 10 and 30: mean 20, population std 10
        self.assertAlmostEqual(allocation.fairness([10, 30, 99], [1, 1, 0]), 0.5)
        self.assertTrue(math.isnan(allocation.fairness([10, 30], [1, 0])))
        self.assertTrue(math.isnan(allocation.fairness([0, 0], [1, 2])))
        self.assertTrue(math.isnan(allocation.fairness([5, 5, 5], [NAN, 0, 3])))


@tagged("at_install", "sale_regional_target_tools")
class TestAllocateExamples(BaseCase):
    def check(self, result, amounts, flags=None):
        np.testing.assert_array_equal(result.amounts, amounts)
        if flags is not None:
            self.assertEqual([set(f) for f in result.flags], flags)

    def assertCode(self, code, *args, **kwargs):
        with self.assertRaises(allocation.AllocationError) as caught:
            allocation.allocate(*args, **kwargs)
        self.assertEqual(caught.exception.code, code)
        return caught.exception

    def test_a_child_held_at_equal_bounds_counts_once(self):
        # minimum = maximum: the water-filling counted the child both at its
        # minimum and at its maximum, and gave the rest to a child without basis
        result = allocation.allocate(
            0.02,
            [0.0, 1.0, 1.0],
            unit=0.01,
            minimum=[NAN, 0.01, NAN],
            maximum=[NAN, 0.01, NAN],
        )
        self.check(result, [0.0, 0.01, 0.01])
        np.testing.assert_allclose(result.exact, [0.0, 0.01, 0.01])
        result = allocation.allocate(
            1000,
            [0.0, 1.0, 1.0],
            unit=1,
            minimum=[NAN, 300, NAN],
            maximum=[NAN, 300, NAN],
        )
        self.check(result, [0.0, 300.0, 700.0])

    def test_proportional(self):
        result = allocation.allocate(1000, [1, 2, 3, 4])
        self.check(result, [100, 200, 300, 400], [set()] * 4)
        np.testing.assert_allclose(result.shares, [0.1, 0.2, 0.3, 0.4])
        np.testing.assert_allclose(result.exact, [100, 200, 300, 400])

    def test_largest_remainder_ties_to_the_earlier_child(self):
        self.check(
            allocation.allocate(100, [1, 1, 1], unit=0.01), [33.34, 33.33, 33.33]
        )
        # 1000 by calendar days of Q1 2024: 340.659 / 318.681 / 340.659
        self.check(
            allocation.allocate(1000, [31, 29, 31], unit=0.01), [340.66, 318.68, 340.66]
        )
        self.check(allocation.allocate(100, [1, 1, 1], unit=1), [34, 33, 33])

    def test_leftover_below_the_unit_goes_to_the_largest_amount(self):
        # 1,350,000,000.07 in units of 10,000: 45,000 units each, 7 cents left over
        result = allocation.allocate(1_350_000_000.07, [5, 5, 5], unit=10000)
        self.check(
            result,
            [450_000_000.07, 450_000_000, 450_000_000],
            [{"residual"}, set(), set()],
        )
        # 350 in hundreds: 1.17 and 2.33 units -> 100 and 200, 50 to the larger
        self.check(
            allocation.allocate(350, [1, 2], unit=100),
            [100, 250],
            [set(), {"residual"}],
        )

    def test_minimum_raises_and_the_rest_is_respread(self):
        self.check(
            allocation.allocate(100, [1, 9], minimum=[30, NAN]),
            [30, 70],
            [{"minimum"}, set()],
        )
        # the minimum is rounded up to the unit: 250 -> 300
        self.check(
            allocation.allocate(1000, [1, 9], unit=100, minimum=[250, NAN]),
            [300, 700],
            [{"minimum"}, set()],
        )

    def test_maximum_holds_and_the_rest_is_respread(self):
        self.check(
            allocation.allocate(100, [9, 1, 0], maximum=[50, NAN, NAN]),
            [50, 50, 0],
            [{"maximum"}, set(), set()],
        )
        # maximum 249 rounded down to 200; the others share 800 as 1:3
        self.check(
            allocation.allocate(1000, [8, 1, 3], unit=100, maximum=[249, NAN, NAN]),
            [200, 200, 600],
            [{"maximum"}, set(), set()],
        )

    def test_minimum_maximum_and_residual_together(self):
        # 10 units of 100 and 50 cents: child 0 raised to 3 units, child 3 held at
        # 2, children 1 and 2 share 5 units as 2:3 (2.002 and 3.003 -> 2 and 3)
        result = allocation.allocate(
            1000.5,
            [1, 2, 3, 4],
            unit=100,
            minimum=[300, NAN, NAN, NAN],
            maximum=[NAN, NAN, NAN, 250],
        )
        # children 0 and 2 both have 300: the larger basis takes the 50 cents
        self.check(
            result,
            [300, 200, 300.5, 200],
            [{"minimum"}, set(), {"residual"}, {"maximum"}],
        )
        np.testing.assert_allclose(result.exact, [300, 200.2, 300.3, 200])

    def test_leftover_spreads_only_when_every_child_is_at_its_maximum(self):
        # units of 1: both held at 1 (maximum 1.50); 60 cents left, at most 50 each
        result = allocation.allocate(2.60, [1, 1], unit=1, maximum=[1.5, 1.5])
        self.check(result, [1.5, 1.1], [{"maximum", "residual"}] * 2)
        np.testing.assert_allclose(result.exact, [1.5, 1.1])
        error = self.assertCode(
            "maximums_short", 2.60, [1, 1], unit=1, maximum=[1.5, 1.05]
        )
        self.assertEqual(error.values, {"needed": 2.6, "available": 2.55})
        # in whole units the maximums (1.99 -> 1) hold 2, plus less than one unit
        error = self.assertCode(
            "maximums_short", 3, [1, 1], unit=1, maximum=[1.99, 1.99]
        )
        self.assertEqual(error.values, {"needed": 3.0, "available": 2.99})

    def test_locked_children_keep_their_amount(self):
        # 876.55 left: 438 each, the 55 cents to the earlier of the two
        result = allocation.allocate(1000, [1, 5, 1], locked=[NAN, 123.45, NAN])
        self.check(result, [438.55, 123.45, 438], [{"residual"}, {"locked"}, set()])
        # a locked child's own bounds and basis do not matter
        self.check(
            allocation.allocate(
                100, [1, 1], locked=[0, NAN], minimum=[10, NAN], maximum=[NAN, 200]
            ),
            [0, 100],
            [{"locked"}, set()],
        )
        self.check(
            allocation.allocate(100, [1, 1], locked=[40, 60]),
            [40, 60],
            [{"locked"}, {"locked"}],
        )

    def test_ramp_scales_the_basis(self):
        self.check(
            allocation.allocate(300, [1, 1], ramp=[0.5, 1.0]),
            [100, 200],
            [{"ramp"}, set()],
        )
        self.check(
            allocation.allocate(300, [1, 1, 1], ramp=[0.0, NAN, 1.0]),
            [0, 150, 150],
            [{"ramp"}, set(), set()],
        )

    def test_no_basis_splits_evenly(self):
        self.check(
            allocation.allocate(100, [0, 0, 0]),
            [34, 33, 33],
            [{"even"}] * 3,
        )
        # an even split still follows the ramp-up
        self.check(
            allocation.allocate(300, [0, 0, 0], ramp=[0.5, 1, NAN]),
            [60, 120, 120],
            [{"even", "ramp"}, {"even"}, {"even"}],
        )
        # the basis of the only child with one is capped: the rest goes evenly
        self.check(
            allocation.allocate(100, [5, 0, 0], maximum=[10, NAN, NAN]),
            [10, 45, 45],
            [{"maximum"}, {"even"}, {"even"}],
        )
        # ... and plainly evenly when those children have no ramp factor either
        self.check(
            allocation.allocate(100, [5, 0, 0], maximum=[10, NAN, NAN], ramp=[1, 0, 0]),
            [10, 45, 45],
            [{"maximum"}, {"even", "ramp"}, {"even", "ramp"}],
        )

    def test_large_totals_stay_exact(self):
        total = 123_456_789_012.34
        result = allocation.allocate(total, [1, 1, 1, 7], unit=0.01)
        self.assertEqual(sum(cents(result.amounts)), 12_345_678_901_234)
        # floats hold cents exactly up to 2**53 cents (about 9 * 10**13)
        result = allocation.allocate(10**13 + 0.01, [3, 1, 1], unit=10000)
        self.assertEqual(
            cents(result.amounts), [6 * 10**14 + 1, 2 * 10**14, 2 * 10**14]
        )

    def test_a_huge_basis_held_at_its_maximum_does_not_blur_the_others(self):
        # bases 10**10 times apart: the capped one must not cost the others
        # precision (found by the property test: units went missing in float)
        basis = [19_534_665_000.0, 7.80358383, 15, 0.25]
        result = allocation.allocate(
            50_960_457_752.60,
            basis,
            unit=0.01,
            maximum=[29_274_852_323.32, NAN, NAN, NAN],
        )
        rest = rounding.split_exact(21_685_605_429.28, basis[1:])
        self.assertEqual(result.amounts.tolist(), [29_274_852_323.32, *rest])
        self.assertEqual([set(f) for f in result.flags], [{"maximum"}, *[set()] * 3])

    def test_input_errors(self):
        self.assertCode("total_not_positive", 0, [1])
        self.assertCode("total_not_positive", -5, [1])
        self.assertCode("total_not_positive", 0.004, [1])
        self.assertCode("no_children", 100, [])
        error = self.assertCode("negative_basis", 100, [1, -1, 2, -0.5])
        self.assertEqual(error.children, (1, 3))
        error = self.assertCode("negative_basis", 100, [1, 1], minimum=[NAN, -1])
        self.assertEqual(error.children, (1,))
        with self.assertRaises(ValueError):
            allocation.allocate(100, [1, 1], unit=0.001)
        with self.assertRaises(ValueError):
            allocation.allocate(100, [1, 1], ramp=[1.5, 1])
        with self.assertRaises(ValueError):
            allocation.allocate(100, [1, 1], minimum=[1])

    def test_infeasible_bounds(self):
        error = self.assertCode(
            "locked_exceed", 1000, [1, 1, 1], locked=[600, 500, NAN]
        )
        self.assertEqual(error.children, (0, 1))
        self.assertEqual(error.values, {"needed": 1100.0, "available": 1000.0})
        error = self.assertCode(
            "bounds_crossed",
            1000,
            [1, 1, 1],
            minimum=[200, 1, NAN],
            maximum=[100, 2, 5],
        )
        self.assertEqual(error.children, (0,))
        # no multiple of 100 between 150 and 180
        error = self.assertCode(
            "bounds_crossed",
            1000,
            [1, 1],
            unit=100,
            minimum=[150, NAN],
            maximum=[180, NAN],
        )
        self.assertEqual(error.children, (0,))
        error = self.assertCode(
            "minimums_exceed",
            1000,
            [1, 1, 1],
            minimum=[600, 500, NAN],
            locked=[NAN, NAN, 10],
        )
        self.assertEqual(error.children, (0, 1))
        self.assertEqual(error.values, {"needed": 1100.0, "available": 990.0})
        error = self.assertCode("maximums_short", 1000, [1, 2], maximum=[100, 200])
        self.assertEqual(error.children, (0, 1))
        self.assertEqual(error.values, {"needed": 1000.0, "available": 300.0})
        error = self.assertCode("maximums_short", 100, [1, 2], locked=[10, 20])
        self.assertEqual(error.children, (0, 1))
        self.assertEqual(error.values, {"needed": 100.0, "available": 30.0})

    def test_many_children_with_bounds(self):
        rng = np.random.default_rng(7)
        n = 10_000
        basis = rng.gamma(2.0, 50_000.0, n).round(2)
        basis[rng.random(n) < 0.05] = 0.0
        minimum = np.where(rng.random(n) < 0.2, rng.uniform(0, 60_000, n), NAN)
        maximum = np.where(rng.random(n) < 0.2, rng.uniform(80_000, 300_000, n), NAN)
        locked = np.where(
            rng.random(n) < 0.02, rng.uniform(0, 100_000, n).round(2), NAN
        )
        total = 1_350_000_000.0
        start = time.perf_counter()
        result = allocation.allocate(
            total, basis, unit=100, minimum=minimum, maximum=maximum, locked=locked
        )
        elapsed = time.perf_counter() - start
        self.assertLess(elapsed, 2.0)  # the benchmark holds the 100 ms budget
        amount_cents = np.round(result.amounts * 100).astype(np.int64)
        self.assertEqual(int(amount_cents.sum()), 135_000_000_000)
        free = np.isnan(locked)
        np.testing.assert_array_equal(
            amount_cents[~free], np.round(locked[~free] * 100).astype(np.int64)
        )
        with_min, with_max = free & ~np.isnan(minimum), free & ~np.isnan(maximum)
        self.assertTrue((amount_cents[with_min] >= minimum[with_min] * 100).all())
        self.assertTrue((amount_cents[with_max] <= maximum[with_max] * 100).all())
        flagged = sum("minimum" in f for f in result.flags)
        self.assertGreater(flagged, 0)
        self.assertGreater(sum("maximum" in f for f in result.flags), 0)


@tagged("at_install", "sale_regional_target_tools")
class TestAllocateProperties(BaseCase):
    def assertInfeasible(self, error, unit, minimum, maximum, locked):
        """The children named by ``error`` do make the allocation impossible."""
        u = unit_cents(unit)
        free = [i for i, c in enumerate(locked) if c is None]
        if error.code == "locked_exceed":
            self.assertEqual(
                list(error.children),
                [i for i in range(len(locked)) if locked[i] is not None],
            )
        elif error.code == "bounds_crossed":
            for i in error.children:
                # no multiple of the unit between the minimum and the maximum
                self.assertGreater(-(-minimum[i] // u), maximum[i] // u)
        elif error.code == "minimums_exceed":
            self.assertTrue(all(minimum[i] for i in error.children))
            self.assertTrue(set(error.children) <= set(free))
        elif error.code == "maximums_short":
            # every free child has a maximum (or none is free)
            self.assertEqual(list(error.children), free or list(range(len(locked))))
            self.assertTrue(all(maximum[i] is not None for i in free))

    @MANY
    @given(st.data())
    def test_allocate_is_exact_bounded_monotone_or_raises(self, data):
        total_cents = data.draw(TOTAL_CENTS, "total_cents")
        unit = data.draw(UNITS, "unit")
        n = data.draw(st.integers(1, 8), "n")
        fair = total_cents / n
        basis = data.draw(st.lists(BASES, min_size=n, max_size=n), "basis")

        def optional_cents(low, high):
            return st.lists(
                st.one_of(
                    st.none(),
                    st.none(),
                    st.floats(low, high).map(lambda f: round(fair * f)),
                ),
                min_size=n,
                max_size=n,
            )

        minimum = data.draw(optional_cents(0, 1.5), "minimum")
        maximum = data.draw(optional_cents(0, 3), "maximum")
        locked = data.draw(optional_cents(0, 1.2), "locked")
        ramp = data.draw(st.lists(RAMPS, min_size=n, max_size=n), "ramp")

        def amounts(values):
            return [NAN if c is None else c / 100 for c in values]

        expected = expected_error(total_cents, unit, minimum, maximum, locked)
        call = lambda: allocation.allocate(  # noqa: E731
            total_cents / 100,
            basis,
            unit=unit,
            minimum=amounts(minimum),
            maximum=amounts(maximum),
            locked=amounts(locked),
            ramp=ramp,
        )
        if expected:
            with self.assertRaises(allocation.AllocationError) as caught:
                call()
            error = caught.exception
            self.assertEqual(error.code, expected)
            self.assertTrue(error.children)
            if error.values:
                self.assertGreater(error.values["needed"], error.values["available"])
            self.assertInfeasible(error, unit, minimum, maximum, locked)
            return
        result = call()
        got = cents(result.amounts)
        u = unit_cents(unit)
        # (1) exact sum, (2) never negative
        self.assertEqual(sum(got), total_cents)
        self.assertTrue(all(c >= 0 for c in got), got)
        self.assertAlmostEqual(float(result.shares.sum()), 1.0, places=9)
        self.assertAlmostEqual(
            float(result.exact.sum()) / (total_cents / 100), 1.0, places=6
        )
        free = [i for i in range(n) if locked[i] is None]
        for i in range(n):
            self.assertLessEqual(result.flags[i], allocation.FLAGS)
            self.assertEqual("locked" in result.flags[i], i not in free)
        # (3) locked children untouched
        for i in range(n):
            if locked[i] is not None:
                self.assertEqual(got[i], locked[i])
        # (4) within the bounds
        for i in free:
            if minimum[i] is not None:
                self.assertGreaterEqual(got[i], minimum[i])
            if maximum[i] is not None:
                self.assertLessEqual(got[i], maximum[i])
        # a child raised to its minimum (held at its maximum) gets that minimum
        # rounded up (maximum rounded down) to the unit, give or take the leftover
        for i in free:
            if "minimum" in result.flags[i]:
                self.assertEqual(got[i] // u, -(-minimum[i] // u), (i, got))
            if "maximum" in result.flags[i]:
                self.assertEqual(got[i] // u, maximum[i] // u, (i, got))
        # (5) monotone in basis among free children without bounds nor ramp
        plain = [
            i
            for i in free
            if minimum[i] is None
            and maximum[i] is None
            and (math.isnan(ramp[i]) or ramp[i] == 1)
        ]
        for i in plain:
            for j in plain:
                if basis[i] > basis[j]:
                    self.assertGreaterEqual(got[i], got[j], (basis, got))
        # (6) whole units, except the child taking the leftover below one unit
        # (several only when every free child is held at its maximum)
        residual = [i for i in free if "residual" in result.flags[i]]
        for i in free:
            if i not in residual:
                self.assertEqual(got[i] % u, 0, (i, got, unit))
        leftover = (total_cents - sum(c for c in locked if c is not None)) % u
        self.assertEqual(bool(residual), bool(leftover))
        if len(residual) > 1:
            # every free child has a maximum and is held at it in whole units
            self.assertTrue(all(maximum[i] is not None for i in free))
            self.assertTrue(all(got[i] // u == maximum[i] // u for i in free))

    @SETTINGS
    @given(
        st.integers(1, 10**13),
        st.lists(st.integers(0, 10**6), min_size=1, max_size=10),
        UNITS,
    )
    def test_unbounded_amounts_are_within_a_unit_of_their_share(
        self, total_cents, basis, unit
    ):
        result = allocation.allocate(total_cents / 100, basis, unit=unit)
        got = cents(result.amounts)
        self.assertEqual(sum(got), total_cents)
        u = unit_cents(unit)
        weights = basis if sum(basis) else [1] * len(basis)
        leftover = total_cents % u
        for i, weight in enumerate(weights):
            share = total_cents * weight / sum(weights)
            self.assertLess(abs(got[i] - share), u + leftover + 1e-3)
            if weight == 0 and sum(basis):
                self.assertEqual(got[i], 0)
        self.assertEqual(
            all(f == {"even"} for f in result.flags), not sum(basis) and not leftover
        )

    @SETTINGS
    @given(
        st.integers(0, 10**12), st.lists(st.integers(0, 1000), min_size=1, max_size=12)
    )
    def test_vectorised_largest_remainder_matches_the_exact_one(self, total, weights):
        parts = allocation.largest_remainder(total, weights)
        self.assertEqual(parts.tolist(), rounding.largest_remainder(total, weights))
        # float weights: the parts still add up exactly, each within one of its quota
        floats = [w + 0.5 for w in weights]
        parts = allocation.largest_remainder(total, floats)
        self.assertEqual(int(parts.sum()), total)
        for part, weight in zip(parts.tolist(), floats, strict=True):
            self.assertLess(abs(part - total * weight / sum(floats)), 1 + 1e-9 * total)


@tagged("at_install", "sale_regional_target_tools")
class TestManualFollowAndPhasing(BaseCase):
    def test_manual_amounts(self):
        np.testing.assert_array_equal(
            allocation.manual_amounts(1000, [500, 300.25, 199.75], "amount"),
            [500, 300.25, 199.75],
        )
        with self.assertRaises(allocation.AllocationError) as caught:
            allocation.manual_amounts(1000, [500, 300.25, 199.74], "amount")
        self.assertEqual(caught.exception.code, "manual_total_mismatch")
        self.assertEqual(caught.exception.values, {"entered": 999.99, "total": 1000.0})
        # 100,001 cents at 50/25/25: 50,000.5 / 25,000.25 / 25,000.25
        np.testing.assert_array_equal(
            allocation.manual_amounts(1000.01, [50, 25, 25], "percent"),
            [500.01, 250, 250],
        )
        np.testing.assert_array_equal(
            allocation.manual_amounts(1000.5, [50, 50], "percent", unit=100),
            [500.5, 500],
        )
        with self.assertRaises(allocation.AllocationError) as caught:
            allocation.manual_amounts(1000, [50, 40], "percent")
        self.assertEqual(caught.exception.code, "manual_total_mismatch")
        self.assertEqual(caught.exception.values, {"entered": 90.0, "total": 100.0})
        with self.assertRaises(allocation.AllocationError) as caught:
            allocation.manual_amounts(100, [150, -50], "amount")
        self.assertEqual(caught.exception.code, "negative_basis")
        self.assertEqual(caught.exception.children, (1,))
        with self.assertRaises(ValueError):
            allocation.manual_amounts(100, [100], "ratio")

    def test_follow_ratios(self):
        np.testing.assert_array_equal(
            allocation.follow_ratios(1000, 900, [500, 300, 200]), [450, 270, 180]
        )
        np.testing.assert_array_equal(
            allocation.follow_ratios(3, 100, [1, 1, 1]), [33.34, 33.33, 33.33]
        )
        np.testing.assert_array_equal(allocation.follow_ratios(0, 900, [0, 0]), [0, 0])
        np.testing.assert_array_equal(allocation.follow_ratios(10, 0, [4, 6]), [0, 0])

    def test_follow_ratios_in_the_rounding_unit(self):
        # floor and stretch in whole tens of thousands, like the amounts
        np.testing.assert_array_equal(
            allocation.follow_ratios(1_000_000, 900_000, [700_000, 300_000], 10_000),
            [630_000, 270_000],
        )
        # what is left below one unit goes where a floor has room under its amount
        floors = allocation.follow_ratios(200, 190, [100, 100], 100)
        np.testing.assert_array_equal(floors, [100, 90])
        # and to the largest stretch
        stretches = allocation.follow_ratios(
            1_000_000, 1_234_567.89, [700_000, 300_000], 10_000
        )
        np.testing.assert_array_equal(stretches, [864_567.89, 370_000])

    @settings(max_examples=200, deadline=None, database=None)
    @given(
        st.lists(st.integers(0, 50), min_size=1, max_size=8),
        st.integers(0, 100),
        st.sampled_from([1, 100, 10_000]),
    )
    def test_follow_ratios_floors_stay_under_their_amounts(self, units, percent, unit):
        amounts = [u * unit for u in units]
        total = sum(amounts)
        floor = round(total * percent / 100 + 0.37, 2) if total else 0
        floor = min(floor, total)
        parts = allocation.follow_ratios(total, floor, amounts, unit)
        self.assertAlmostEqual(float(parts.sum()), floor if total else 0, places=2)
        self.assertTrue(
            (parts <= np.array(amounts) + 1e-9).all(), (amounts, floor, parts)
        )

    def test_seasonality_and_phase(self):
        monthly = [
            [1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 4],
            [-5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [3, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        ]
        fallback = [2] + [1] * 11
        profiles = allocation.seasonality(monthly, fallback)
        np.testing.assert_allclose(profiles[0], np.array(monthly[0]) / 8)
        np.testing.assert_allclose(profiles[1], np.array(fallback) / 13)
        np.testing.assert_allclose(profiles[2], [0.75] + [0] * 10 + [0.25])
        even = allocation.seasonality([[0] * 12], [0] * 12)
        np.testing.assert_allclose(even, [[1 / 12] * 12])
        self.assertEqual(allocation.phase(100, [1, 1, 1]), [33.34, 33.33, 33.33])
        self.assertEqual(allocation.phase(1000, [31, 29, 31]), [340.66, 318.68, 340.66])


@tagged("at_install", "sale_regional_target_tools")
class TestOtherProperties(BaseCase):
    @SETTINGS
    @given(
        st.lists(st.integers(0, 10**9), min_size=1, max_size=12),
        st.data(),
    )
    def test_manual_amounts_are_exact(self, typed, data):
        total_cents = sum(typed)
        if total_cents:
            amounts = allocation.manual_amounts(
                total_cents / 100, [c / 100 for c in typed], "amount"
            )
            self.assertEqual(cents(amounts), typed)
        # percents: whole hundredths of a percent adding up to 100
        cuts = sorted(
            data.draw(
                st.lists(
                    st.integers(0, 10000),
                    min_size=len(typed) - 1,
                    max_size=len(typed) - 1,
                )
            )
        )
        percents = [
            (b - a) / 100 for a, b in zip([0, *cuts], [*cuts, 10000], strict=True)
        ]
        total = data.draw(st.integers(1, 10**13)) / 100
        unit = data.draw(UNITS)
        amounts = allocation.manual_amounts(total, percents, "percent", unit=unit)
        got = cents(amounts)
        self.assertEqual(sum(got), round(total * 100))
        self.assertTrue(all(c >= 0 for c in got))
        u = unit_cents(unit)
        self.assertLessEqual(sum(1 for c in got if c % u), 1)

    @SETTINGS
    @given(
        st.integers(0, 10**13),
        st.lists(st.integers(0, 10**11), min_size=1, max_size=12),
    )
    def test_follow_ratios_add_up_to_the_parent_value(self, value_cents, parts):
        parent = sum(parts) / 100
        result = allocation.follow_ratios(
            parent, value_cents / 100, [p / 100 for p in parts]
        )
        got = cents(result)
        if not parent:
            self.assertEqual(got, [0] * len(parts))
            return
        self.assertEqual(sum(got), value_cents)
        for part, amount in zip(parts, got, strict=True):
            exact = value_cents * part / sum(parts)
            self.assertLess(abs(amount - exact), 1 + 1e-9 * value_cents)

    @SETTINGS
    @given(
        st.lists(
            st.lists(st.floats(-1e6, 1e9, allow_nan=False), min_size=12, max_size=12),
            min_size=1,
            max_size=6,
        ),
        st.lists(st.floats(0, 1e6), min_size=12, max_size=12),
    )
    def test_seasonality_rows_are_profiles(self, monthly, fallback):
        profiles = allocation.seasonality(monthly, fallback)
        self.assertEqual(profiles.shape, (len(monthly), 12))
        self.assertTrue((profiles >= 0).all())
        np.testing.assert_allclose(profiles.sum(axis=1), 1.0, rtol=1e-9)
        for row, profile in zip(monthly, profiles, strict=True):
            if max(row) > 0:
                # a month without sales stays empty
                self.assertTrue(
                    all(p == 0 for v, p in zip(row, profile, strict=True) if v <= 0)
                )

    @SETTINGS
    @given(
        st.lists(st.floats(-1e12, 1e12, allow_nan=False), min_size=1, max_size=30),
        st.sampled_from(["minmax", "zscore"]),
    )
    def test_normalise_stays_within_zero_one_and_keeps_order(self, values, method):
        result = allocation.normalise(values, method)
        self.assertTrue(((result >= 0) & (result <= 1)).all(), result)
        order = np.argsort(values, kind="stable")
        self.assertTrue((np.diff(result[order]) >= 0).all())
        if method == "minmax" and max(values) > min(values):
            self.assertEqual((result.min(), result.max()), (0.0, 1.0))

    @SETTINGS
    @given(
        st.integers(1, 20),
        st.integers(1, 4),
        st.data(),
    )
    def test_potential_scores_stay_within_zero_hundred(self, n, factors, data):
        values = np.array(
            data.draw(
                st.lists(
                    st.lists(st.floats(0, 1e9), min_size=factors, max_size=factors),
                    min_size=n,
                    max_size=n,
                )
            )
        )
        weights = data.draw(
            st.lists(st.integers(0, 10), min_size=factors, max_size=factors).filter(sum)
        )
        methods = data.draw(
            st.lists(
                st.sampled_from(["minmax", "zscore"]),
                min_size=factors,
                max_size=factors,
            )
        )
        scores = allocation.potential_scores(values, weights, methods)
        parts = allocation.factor_contributions(values, weights, methods)
        self.assertTrue(((scores >= 0) & (scores <= 100)).all())
        np.testing.assert_allclose(parts.sum(axis=1), scores, atol=1e-9)

    @SETTINGS
    @given(
        st.lists(st.integers(-30, 30), min_size=1, max_size=10),
        st.integers(1, 24),
        st.lists(st.floats(0, 1), max_size=6),
    )
    def test_ramp_factor_is_a_share_growing_with_tenure(
        self, tenures, months, schedule
    ):
        factors = allocation.ramp_factor(np.array(tenures), months, schedule)
        for tenure, factor in zip(tenures, factors, strict=True):
            self.assertTrue(0 <= factor <= 1)
            self.assertAlmostEqual(
                factor, allocation.ramp_factor(tenure, months, schedule)
            )
        ordered = sorted(schedule)
        ramps = [allocation.ramp_factor(t, months, ordered) for t in range(-30, 31)]
        self.assertEqual(ramps, sorted(ramps))


def bases(history, potential=None, lifecycle_basis=None):
    n = len(history)
    return {
        "history": np.asarray(history, dtype=float),
        "potential": np.asarray(potential if potential is not None else [0.0] * n),
        "lifecycle": np.asarray(
            lifecycle_basis if lifecycle_basis is not None else [0.0] * n
        ),
    }


@tagged("post_install", "-at_install")
class TestSplitPolicy(BaseCase):
    """The policy's one entry point: which basis each method uses, typed bounds
    and locks, the growth cap, and when an empty basis is an error."""

    def test_each_method_uses_its_basis(self):
        data = bases([300.0, 100.0], [10.0, 30.0], [0.0, 50.0])
        none = [{}, {}]
        amounts = {
            method: list(allocation.split(method, 1000.0, data, none, unit=1.0).amounts)
            for method in ("history", "potential", "lifecycle", "equal")
        }
        self.assertEqual(amounts["history"], [750.0, 250.0])
        self.assertEqual(amounts["potential"], [250.0, 750.0])
        self.assertEqual(amounts["lifecycle"], [0.0, 1000.0])
        self.assertEqual(amounts["equal"], [500.0, 500.0])
        # half history (75/25), half potential (25/75)
        blend = allocation.split(
            "blend", 1000.0, data, none, unit=1.0, blend_history_weight=0.5
        )
        self.assertEqual(list(blend.amounts), [500.0, 500.0])

    def test_an_empty_basis_stops_the_first_level_only(self):
        empty = bases([0.0, 0.0])
        for method in ("history", "potential", "lifecycle"):
            with self.assertRaises(allocation.AllocationError) as caught:
                allocation.split(method, 100.0, empty, [{}, {}])
            self.assertEqual(caught.exception.code, "no_basis")
            self.assertEqual(caught.exception.values["method"], method)
            nested = allocation.split(method, 100.0, empty, [{}, {}], nested=True)
            self.assertEqual(list(nested.amounts), [50.0, 50.0])
            self.assertTrue(all("even" in flags for flags in nested.flags))

    def test_a_parent_with_nothing_passes_nothing_on(self):
        result = allocation.split(
            "history", 0.0, bases([5.0, 5.0]), [{}, {}], nested=True
        )
        self.assertEqual(list(result.amounts), [0.0, 0.0])
        self.assertEqual(result.flags, [frozenset({"zero_parent"})] * 2)
        with self.assertRaises(allocation.AllocationError) as caught:
            allocation.split("history", 0.0, bases([5.0, 5.0]), [{}, {}])
        self.assertEqual(caught.exception.code, "total_not_positive")

    def test_typed_locks_bounds_and_growth_cap(self):
        data = bases([100.0, 100.0, 100.0])
        typed = [
            {"locked": True, "amount": 100.0},
            {"minimum_amount": 600.0},
            {"maximum_amount": 0.0},  # 0: no maximum
        ]
        result = allocation.split("history", 1000.0, data, typed, unit=1.0)
        self.assertEqual(list(result.amounts), [100.0, 600.0, 300.0])
        # a growth cap of 20% over last year holds the third child at 120
        capped = allocation.split(
            "equal",
            1000.0,
            data,
            [{}, {}, {}],
            unit=1.0,
            last_year=np.array([1000.0, 1000.0, 100.0]),
            growth_cap=20.0,
        )
        self.assertEqual(list(capped.amounts), [440.0, 440.0, 120.0])
        self.assertIn("maximum", capped.flags[2])

    def test_manual_figures(self):
        typed = [{"manual_value": 25.0}, {"manual_value": 75.0}]
        result = allocation.split(
            "manual", 200.0, bases([0.0, 0.0]), typed, manual_mode="percent"
        )
        self.assertEqual(list(result.amounts), [50.0, 150.0])
        with self.assertRaises(allocation.AllocationError) as caught:
            allocation.split(
                "manual", 200.0, bases([0.0, 0.0]), typed, manual_mode="amount"
            )
        self.assertEqual(caught.exception.code, "manual_total_mismatch")

    @SETTINGS
    @given(
        method=st.sampled_from(["history", "potential", "blend", "equal"]),
        total_cents=st.integers(1, 10**12),
        history=st.lists(st.integers(1, 10**9), min_size=1, max_size=12),
        lock=st.integers(0, 11),
    )
    def test_splits_add_up_and_keep_locks(self, method, total_cents, history, lock):
        n = len(history)
        total = total_cents / 100
        data = bases([h / 100 for h in history], [float(n - i) for i in range(n)], None)
        typed = [{} for _i in range(n)]
        lock_at = lock % n
        locked = round(total / (2 * n), 2)
        if n > 1:  # a lone locked child could not take the rest
            typed[lock_at] = {"locked": True, "amount": locked}
        result = allocation.split(method, total, data, typed, unit=0.01)
        self.assertEqual(sum(cents(result.amounts)), total_cents)
        if n > 1:
            self.assertEqual(result.amounts[lock_at], locked)


@tagged("post_install", "-at_install")
class TestSplitSettings(BaseCase):
    """The wizard's typed settings, checked in tools/."""

    def test_ramp_schedule(self):
        self.assertEqual(allocation.ramp_schedule("25, 50;75"), [0.25, 0.5, 0.75])
        self.assertEqual(allocation.ramp_schedule(""), [])
        for text, code in [
            ("25, half", "ramp_schedule_format"),
            ("0, 50", "ramp_schedule_range"),
            ("50, 120", "ramp_schedule_range"),
        ]:
            with self.assertRaises(allocation.AllocationError) as caught:
                allocation.ramp_schedule(text)
            self.assertEqual(caught.exception.code, code)

    def test_year_weights(self):
        self.assertEqual(allocation.year_weights((60.0, 40.0)), [60.0, 40.0])
        for weights in ((0.0, 0.0), (100.0, -10.0), ()):
            with self.assertRaises(allocation.AllocationError) as caught:
                allocation.year_weights(weights)
            self.assertEqual(caught.exception.code, "weights_zero")


@tagged("at_install", "sale_regional_target_tools")
class TestInheritedValues(BaseCase):
    """A region without a factor's value takes its nearest ancestor's."""

    def test_own_then_nearest_ancestor_then_none(self):
        # country 1 > region 2 > city 3; city 4 under region 2 has its own
        known = {(1, "a"): 9.0, (2, "a"): 5.0, (1, "b"): 7.0, (4, "a"): 1.0}
        values, borrowed = allocation.inherited_values(
            known, [(3, 2, 1), (4, 2, 1), (2, 1), (1,)], ["a", "b", "c"]
        )
        np.testing.assert_array_equal(
            values,
            [[5.0, 7.0, NAN], [1.0, 7.0, NAN], [5.0, 7.0, NAN], [9.0, 7.0, NAN]],
        )
        self.assertEqual(borrowed, {(0, 0): 2, (0, 1): 1, (1, 1): 1, (2, 1): 1})
        # a value still missing is named as before
        with self.assertRaises(allocation.AllocationError) as caught:
            allocation.factor_contributions(values, [1, 1, 1], ["minmax"] * 3)
        self.assertEqual(caught.exception.factors, (2,))

    def test_nothing_asked(self):
        values, borrowed = allocation.inherited_values({}, [], ["a"])
        self.assertEqual(values.shape, (0, 1))
        self.assertEqual(borrowed, {})


@tagged("at_install", "sale_regional_target_tools")
class TestIncompleteYearAndNewcomers(BaseCase):
    """A history year still running is scaled to a full year; a newcomer who
    sells this year gets a basis from it; fairness names the children far from
    the average."""

    def test_elapsed_share(self):
        def day(text):  # a datetime.date
            return np.datetime64(text, "D").astype(object)

        year = (day("2026-01-01"), day("2026-12-31"))
        self.assertEqual(allocation.elapsed_share(*year, day("2027-03-01")), 1.0)
        self.assertEqual(allocation.elapsed_share(*year, day("2025-12-31")), 0.0)
        self.assertEqual(allocation.elapsed_share(*year, day("2026-12-31")), 1.0)
        # 6 December: 340 days of 365, the demo's "93 % of the year"
        share = allocation.elapsed_share(*year, day("2026-12-06"))
        self.assertAlmostEqual(share, 340 / 365)
        self.assertEqual(round(100 * share), 93)
        with self.assertRaises(ValueError):
            allocation.elapsed_share(day("2026-02-01"), day("2026-01-01"), year[0])

    def test_annualise(self):
        scaled = allocation.annualise([[93.0, 50.0, 0.0]], [0.93, 1.0, 0.0])
        np.testing.assert_allclose(scaled, [[100.0, 50.0, 0.0]])
        # more than one span at that pace: one span's worth
        self.assertEqual(allocation.annualise(30.0, 1.5), 20.0)

    @SETTINGS
    @given(
        st.lists(st.floats(0, 1e12), min_size=1, max_size=8),
        st.floats(0.001, 1.0),
    )
    def test_annualise_restores_a_full_year(self, full_year, share):
        """What a share of the year brought in, scaled back, is the full year
        at that pace."""
        full_year = np.array(full_year)
        scaled = allocation.annualise(full_year * share, share)
        np.testing.assert_allclose(scaled, full_year, rtol=1e-9, atol=1e-6)
        self.assertTrue((scaled >= full_year * share - 1e-6).all())

    def test_newcomer_basis(self):
        basis, used = allocation.newcomer_basis(
            [500.0, 0.0, 0.0], [40.0, 21.8, 0.0], 340 / 365
        )
        np.testing.assert_allclose(basis, [500.0, 21.8 * 365 / 340, 0.0])
        self.assertEqual(used.tolist(), [False, True, False])
        # nothing elapsed of the recent span: nothing to go on
        basis, used = allocation.newcomer_basis([0.0, 3.0], [5.0, 5.0], 0.0)
        self.assertEqual((basis.tolist(), used.tolist()), ([0.0, 3.0], [False, False]))

    @SETTINGS
    @given(
        st.lists(
            st.tuples(st.sampled_from([0.0, 1.0, 1e6]), st.floats(0, 1e9)),
            min_size=1,
            max_size=10,
        ),
        st.floats(0.01, 1.0),
    )
    def test_newcomer_basis_only_fills_the_empty(self, rows, share):
        history = np.array([h for h, _r in rows])
        recent = np.array([r for _h, r in rows])
        basis, used = allocation.newcomer_basis(history, recent, share)
        np.testing.assert_array_equal(basis[history > 0], history[history > 0])
        np.testing.assert_array_equal(used, (history <= 0) & (recent > 0))
        self.assertTrue((basis[used] >= recent[used]).all())

    def test_fairness_outliers(self):
        # per point of potential: 10, 10, 30, 2 (average 13)
        above, below, relative = allocation.fairness_outliers(
            [100, 100, 300, 20, 50], [10, 10, 10, 10, 0]
        )
        self.assertEqual(above.tolist(), [2])
        self.assertEqual(below.tolist(), [3])
        np.testing.assert_allclose(relative[:4], [10 / 13, 10 / 13, 30 / 13, 2 / 13])
        self.assertTrue(math.isnan(relative[4]))
        # even, or not measurable: nobody named
        for amounts, potential in (
            ([5, 10], [1, 2]),
            ([5, 10], [1, 0]),
            ([0, 0], [1, 1]),
        ):
            above, below, _relative = allocation.fairness_outliers(amounts, potential)
            self.assertEqual((above.size, below.size), (0, 0))

    @SETTINGS
    @given(
        st.lists(
            st.tuples(st.floats(0, 1e9), st.floats(0, 100)), min_size=2, max_size=12
        )
    )
    def test_fairness_outliers_properties(self, rows):
        amounts = np.array([a for a, _p in rows])
        potential = np.array([p for _a, p in rows])
        above, below, relative = allocation.fairness_outliers(amounts, potential)
        self.assertFalse(set(above.tolist()) & set(below.tolist()))
        self.assertTrue((relative[above] >= 1.5).all())
        self.assertTrue((relative[below] <= 1 / 1.5).all())
        # the furthest first
        self.assertEqual(
            relative[above].tolist(), sorted(relative[above], reverse=True)
        )
        self.assertEqual(relative[below].tolist(), sorted(relative[below]))
        # uneven by the fairness measure means someone is named, unless the
        # spread stays within the band
        value = allocation.fairness(amounts, potential)
        if not math.isnan(value) and value == 0:
            self.assertEqual((above.size, below.size), (0, 0))


@tagged("at_install", "sale_regional_target_tools")
class TestFairnessTinyAmounts(BaseCase):
    def test_tiny_amounts_keep_their_spread(self):
        """Amounts so small that their squares underflow: the spread is the
        relative one, as the outliers read it (it read 0 with one named)."""
        amounts, potential = [0.0, 2.2250738585e-313], [1.0, 1.0]
        self.assertAlmostEqual(allocation.fairness(amounts, potential), 1.0)
        above, below, _relative = allocation.fairness_outliers(amounts, potential)
        self.assertEqual((above.size, below.size), (1, 1))
