"""Exact splitting of an amount into parts that add up to it to the unit.

All work is done in whole multiples of ``unit`` (integers), so that no float error
can make the parts miss the total: the largest-remainder method hands the units left
over by flooring to the parts with the largest fractional remainders.
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# Amounts are floats (Odoo's Monetary fields), rounded by Odoo to the currency:
# that rounding stays exact up to a few times 10**14 units of the currency (checked
# at random: from 4e12 in a currency with cents it loses a cent now and then).
# Targets are kept to 10**14 units: a trillion in a currency with cents, a hundred
# trillion in one without.
MAX_UNITS = 10**14


def max_amount(unit):
    """The largest amount kept exact to ``unit`` (see ``MAX_UNITS``)."""
    return from_units(MAX_UNITS, unit)


def to_units(amount, unit):
    """``amount`` expressed as a whole number of ``unit`` (rounded half up)."""
    quotient = Decimal(str(amount)) / Decimal(str(unit))
    return int(quotient.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_units(units, unit):
    return float(Decimal(units) * Decimal(str(unit)))


def largest_remainder(total_units, weights):
    """Split the integer ``total_units`` in proportion to ``weights``.

    Weights must be non-negative; when they are all zero the split is even. Ties on
    the remainder go to the earlier part, so the result is deterministic.
    """
    if total_units < 0:
        raise ValueError("total_units must not be negative")
    count = len(weights)
    if not count:
        return []
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    # Exact rational arithmetic: floats would lose units on large totals.
    weights = [Fraction(w) for w in weights]
    weight_sum = sum(weights)
    if weight_sum <= 0:
        weights = [Fraction(1)] * count
        weight_sum = Fraction(count)
    exact = [total_units * w / weight_sum for w in weights]
    parts = [int(x) for x in exact]  # floor: every value is non-negative
    left = total_units - sum(parts)
    order = sorted(range(count), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def split_exact(total, weights, unit=0.01):
    """Split ``total`` by ``weights`` into multiples of ``unit`` summing to ``total``.

    ``total`` is first rounded to the unit; the parts then add up to that exactly.
    """
    units = largest_remainder(to_units(total, unit), list(weights))
    return [from_units(u, unit) for u in units]


def units_sum(values, unit):
    """The exact sum of ``values`` in whole ``unit`` (each rounded to the unit
    first): float sums of large amounts would drift by more than a cent."""
    return sum(to_units(value, unit) for value in values)


def same_amount(values, total, unit):
    """True when ``values`` add up to ``total`` to the ``unit``, exactly."""
    return units_sum(values, unit) == to_units(total, unit)
