"""Exact splitting of an amount into parts that add up to it to the unit.

All work is done in whole multiples of ``unit`` (integers), so that no float error
can make the parts miss the total: the largest-remainder method hands the units left
over by flooring to the parts with the largest fractional remainders.
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


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
