from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.sale_regional_target.tools import rounding
from odoo.tests import BaseCase, tagged

SETTINGS = settings(max_examples=200, deadline=None, database=None)
UNITS = st.sampled_from([0.01, 0.001, 0.05, 0.1, 1.0, 5.0])
# amounts with at most two decimals, as entered for a target (up to 10 billion)
TOTALS = st.integers(0, 10**12).map(lambda cents: cents / 100)
INT_WEIGHTS = st.lists(st.integers(0, 10**6), min_size=1, max_size=12)
# weights as used by the phasing: calendar days or last year's amounts
FLOAT_WEIGHTS = st.lists(
    st.one_of(st.integers(0, 31), st.integers(0, 10**10).map(lambda c: c / 100)),
    min_size=1,
    max_size=12,
)


@tagged("at_install", "sale_regional_target_tools")
class TestRoundingExamples(BaseCase):
    def test_even_split_gives_leftover_cent_to_first_part(self):
        self.assertEqual(
            rounding.split_exact(100, [1, 1, 1], 0.01), [33.34, 33.33, 33.33]
        )
        self.assertEqual(rounding.split_exact(0.05, [1, 1]), [0.03, 0.02])

    def test_leftover_goes_to_largest_remainder(self):
        # 3333.33 / 6666.67 cents: the second part has the larger remainder
        self.assertEqual(rounding.split_exact(100, [1, 2], 0.01), [33.33, 66.67])
        # Q1 2024 phased by calendar days: 34065.93 / 31868.13 / 34065.93 cents
        self.assertEqual(
            rounding.split_exact(1000, [31, 29, 31], 0.01), [340.66, 318.68, 340.66]
        )
        self.assertEqual(rounding.split_exact(1, [3, 0, 1], 0.01), [0.75, 0.0, 0.25])

    def test_other_units(self):
        # 20 units of 0.05 split in three: 6.67 each -> 7, 7, 6
        self.assertEqual(rounding.split_exact(1, [1, 1, 1], 0.05), [0.35, 0.35, 0.3])
        self.assertEqual(
            rounding.split_exact(10, [0, 0, 0, 0], 1.0), [3.0, 3.0, 2.0, 2.0]
        )

    def test_total_is_rounded_half_up_to_the_unit_first(self):
        self.assertEqual(rounding.to_units(10.005, 0.01), 1001)
        self.assertEqual(rounding.split_exact(10.005, [1]), [10.01])
        self.assertEqual(rounding.split_exact(10.004, [1, 1]), [5.0, 5.0])
        self.assertEqual(rounding.to_units(1.005, 0.01), 101)
        self.assertEqual(rounding.to_units(0.125, 0.25), 1)
        self.assertEqual(rounding.to_units(2.5, 1), 3)
        self.assertEqual(rounding.from_units(3334, 0.01), 33.34)
        self.assertEqual(rounding.split_exact(-0.004, [1]), [0.0])

    def test_degenerate_inputs(self):
        self.assertEqual(rounding.largest_remainder(0, [1, 2]), [0, 0])
        self.assertEqual(rounding.largest_remainder(5, []), [])
        self.assertEqual(rounding.largest_remainder(7, [0]), [7])
        self.assertEqual(rounding.split_exact(0, [0, 0]), [0.0, 0.0])

    def test_negative_total_raises(self):
        with self.assertRaises(ValueError):
            rounding.split_exact(-1, [1, 1])
        with self.assertRaises(ValueError):
            rounding.split_exact(-0.006, [1])  # rounds to -1 cent
        with self.assertRaises(ValueError):
            rounding.largest_remainder(-1, [1])

    def test_negative_weight_raises(self):
        with self.assertRaises(ValueError):
            rounding.split_exact(10, [1, -1])
        with self.assertRaises(ValueError):
            rounding.split_exact(0, [2, -0.5, 3])
        with self.assertRaises(ValueError):
            rounding.largest_remainder(10, [-1, -1])

    def test_huge_integer_totals_stay_exact(self):
        # the docstring promises integer-exact work; shares above 2**53 must not drift
        total = 10**17 + 1
        self.assertEqual(
            rounding.largest_remainder(total, [1, 1, 1]),
            [33333333333333334, 33333333333333334, 33333333333333333],
        )


@tagged("at_install", "sale_regional_target_tools")
class TestRoundingProperties(BaseCase):
    def assertValidSplit(self, total, weights, unit):
        parts = rounding.split_exact(total, weights, unit)
        units = [rounding.to_units(p, unit) for p in parts]
        self.assertEqual(len(parts), len(weights))
        self.assertEqual(sum(units), rounding.to_units(total, unit))
        self.assertTrue(all(u >= 0 for u in units), parts)
        # every part is an exact multiple of the unit
        self.assertEqual([rounding.from_units(u, unit) for u in units], parts)
        return units

    @SETTINGS
    @given(TOTALS, INT_WEIGHTS, UNITS)
    def test_parts_sum_exactly_with_integer_weights(self, total, weights, unit):
        self.assertValidSplit(total, weights, unit)

    @SETTINGS
    @given(TOTALS, FLOAT_WEIGHTS, UNITS)
    def test_parts_sum_exactly_with_float_weights(self, total, weights, unit):
        self.assertValidSplit(total, weights, unit)

    @SETTINGS
    @given(TOTALS, st.integers(1, 40), UNITS)
    def test_zero_weights_split_evenly(self, total, count, unit):
        units = self.assertValidSplit(total, [0] * count, unit)
        self.assertLessEqual(max(units) - min(units), 1)
        self.assertEqual(units, sorted(units, reverse=True))

    @SETTINGS
    @given(TOTALS, FLOAT_WEIGHTS, UNITS)
    def test_larger_weight_never_gets_fewer_units(self, total, weights, unit):
        units = self.assertValidSplit(total, weights, unit)
        for i, wi in enumerate(weights):
            for j, wj in enumerate(weights):
                if wi > wj:
                    self.assertGreaterEqual(units[i], units[j], (weights, units))
                elif wi == wj:
                    self.assertLessEqual(abs(units[i] - units[j]), 1)

    @SETTINGS
    @given(st.integers(0, 10**12), INT_WEIGHTS)
    def test_each_part_is_floor_or_ceil_of_its_quota(self, total_units, weights):
        parts = rounding.largest_remainder(total_units, weights)
        weight_sum = sum(weights) or len(weights)
        weights = weights if sum(weights) else [1] * len(weights)
        self.assertEqual(sum(parts), total_units)
        for part, weight in zip(parts, weights, strict=True):
            # |part - total * w / W| < 1, in exact integer arithmetic
            self.assertLess(abs(part * weight_sum - total_units * weight), weight_sum)
            if weight == 0:
                self.assertEqual(part, 0)

    @SETTINGS
    @given(st.integers(0, 10**9), INT_WEIGHTS, st.integers(1, 1000))
    def test_scaling_weights_changes_nothing(self, total_units, weights, factor):
        self.assertEqual(
            rounding.largest_remainder(total_units, [w * factor for w in weights]),
            rounding.largest_remainder(total_units, weights),
        )

    @SETTINGS
    @given(TOTALS, INT_WEIGHTS, st.integers(-(10**6), -1), st.data())
    def test_any_negative_weight_raises(self, total, weights, negative, data):
        weights.insert(data.draw(st.integers(0, len(weights))), negative)
        with self.assertRaises(ValueError):
            rounding.split_exact(total, weights)

    @SETTINGS
    @given(st.integers(1, 10**12), INT_WEIGHTS)
    def test_any_negative_total_raises(self, cents, weights):
        with self.assertRaises(ValueError):
            rounding.split_exact(-cents / 100, weights)


@tagged("at_install", "sale_regional_target_tools")
class TestLargeAmounts(BaseCase):
    def test_exact_sums_up_to_the_limit(self):
        days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        for total, unit in ((10**12, 0.01), (10**14, 1.0), (1234567890.12, 0.01)):
            parts = rounding.split_exact(total, days, unit)
            self.assertTrue(rounding.same_amount(parts, total, unit))
            self.assertFalse(rounding.same_amount(parts, total + unit, unit))
        self.assertEqual(rounding.max_amount(0.01), 10**12)
        self.assertEqual(rounding.max_amount(1.0), 10**14)
