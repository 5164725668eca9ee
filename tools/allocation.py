"""Split a parent target among its children: bases, bounds and exact rounding.

A basis says how much each child should get relatively (its weighted history, its
potential score, a blend of both); :func:`allocate` turns a basis into amounts that
add up to the parent's amount to the cent, with locked amounts, minimums, maximums
and ramp-up taken into account. Everything is vectorised with numpy; money is
handled as integer cents (int64) so that large totals stay exact.

Errors the user can fix are raised as :class:`AllocationError`: a code and the
positions concerned, which the model layer turns into a translated message.
"""

import math
from dataclasses import dataclass

import numpy as np

from .rounding import split_exact, to_units

FLAGS = frozenset({"locked", "minimum", "maximum", "ramp", "residual", "even"})
# "no maximum" in integer units; far above any amount yet safe from overflow in sums
# of a few elements (never summed over many children).
_NO_MAX = np.int64(2**62)
_erf = np.frompyfunc(math.erf, 1, 1)


class AllocationError(ValueError):
    """An allocation that cannot be made as asked.

    ``code`` names the problem, ``children`` and ``factors`` are the positions
    concerned, ``values`` extra figures (e.g. ``needed`` and ``available``).
    """

    def __init__(self, code, children=(), factors=(), **values):
        self.code = code
        self.children = tuple(int(i) for i in children)
        self.factors = tuple(int(j) for j in factors)
        self.values = {
            key: float(value) if isinstance(value, (int, float, np.number)) else value
            for key, value in values.items()
        }
        super().__init__(code)

    def __str__(self):
        parts = [self.code]
        if self.children:
            parts.append(f"children={list(self.children)}")
        if self.factors:
            parts.append(f"factors={list(self.factors)}")
        parts.extend(f"{key}={value!r}" for key, value in self.values.items())
        return " ".join(parts)


@dataclass(frozen=True)
class Allocation:
    """The result of :func:`allocate`, one entry per child."""

    amounts: np.ndarray  # rounded, adding up to the total to the cent
    exact: np.ndarray  # before rounding to the unit
    shares: np.ndarray  # amounts / total
    flags: list  # frozensets drawn from FLAGS


# ----------------------------------------------------------------------------
# Bases
# ----------------------------------------------------------------------------
def history_basis(actuals, weights):
    """Weighted history per child: sum over years of weight * max(actual, 0).

    ``actuals`` is (children, years), column 0 being last year; ``weights`` has one
    non-negative weight per year and is normalised to add up to 1.
    """
    actuals = np.asarray(actuals, dtype=float)
    if actuals.ndim == 1:
        actuals = actuals[:, None]
    weights = np.asarray(weights, dtype=float).ravel()
    if weights.size != actuals.shape[1]:
        raise ValueError("one weight per history year is expected")
    if (weights < 0).any() or not weights.sum() > 0:
        raise AllocationError("weights_zero")
    positive = np.nan_to_num(np.clip(actuals, 0.0, None), nan=0.0, posinf=0.0)
    basis = positive @ (weights / weights.sum())
    if basis.size and not (basis > 0).any():
        raise AllocationError("no_history", children=range(basis.size))
    return basis


def normalise(values, method):
    """Values mapped to [0, 1] by "minmax" or "zscore" (normal CDF of the z-score).

    All-equal values give 1.0 (minmax) or 0.5 (zscore).
    """
    values = np.asarray(values, dtype=float)
    if method == "minmax":
        low, spread = (values.min(), np.ptp(values)) if values.size else (0.0, 0.0)
        if not spread > 0:
            return np.ones_like(values)
        return np.clip((values - low) / spread, 0.0, 1.0)
    if method == "zscore":
        std = values.std() if values.size else 0.0
        if not std > 0:
            return np.full_like(values, 0.5)
        z = (values - values.mean()) / std
        return np.clip(0.5 * (1.0 + _erf(z / math.sqrt(2.0)).astype(float)), 0.0, 1.0)
    raise ValueError(f"unknown normalisation {method!r}")


def factor_contributions(values, weights, methods):
    """Points each factor gives each child: 100 * w_f * normalised value / sum(w).

    ``values`` is (children, factors) with NaN for a missing value; rows add up to
    the potential scores. Factors of zero weight count for nothing, so their
    missing values are not an error.
    """
    values = np.asarray(values, dtype=float)
    weights = np.asarray(weights, dtype=float).ravel()
    if values.ndim != 2 or values.shape[1] != weights.size:
        raise ValueError("values must be (children, factors), one weight per factor")
    if len(methods) != weights.size:
        raise ValueError("one normalisation method per factor is expected")
    if (weights < 0).any() or not weights.sum() > 0:
        raise AllocationError("weights_zero")
    missing = np.isnan(values) & (weights > 0)
    if missing.any():
        raise AllocationError(
            "factor_values_missing",
            children=np.flatnonzero(missing.any(axis=1)),
            factors=np.flatnonzero(missing.any(axis=0)),
        )
    points = np.zeros_like(values)
    scale = 100.0 / weights.sum()
    for j in np.flatnonzero(weights > 0):
        points[:, j] = scale * weights[j] * normalise(values[:, j], methods[j])
    return points


def potential_scores(values, weights, methods):
    """Potential score per child, in [0, 100] (see :func:`factor_contributions`)."""
    scores = factor_contributions(values, weights, methods).sum(axis=1)
    return np.clip(scores, 0.0, 100.0)


def inherited_values(known, lineages, factors):
    """Each region's value of each factor: its own, else its nearest ancestor's.

    ``known`` maps (region, factor) to the values on record; ``lineages`` lists,
    per region asked about, the region then its ancestors, nearest first;
    ``factors`` gives the columns. Returns the (regions, factors) values, NaN
    where neither the region nor an ancestor has one (for
    :func:`factor_contributions` to name), and {(row, column): ancestor} for
    the values borrowed.
    """
    values = np.full((len(lineages), len(factors)), np.nan)
    borrowed = {}
    for i, lineage in enumerate(lineages):
        for j, factor in enumerate(factors):
            source = next((r for r in lineage if (r, factor) in known), None)
            if source is None:
                continue
            values[i, j] = known[source, factor]
            if source != lineage[0]:
                borrowed[i, j] = source
    return values, borrowed


def blend_basis(history, potential, history_weight):
    """w * history share + (1 - w) * potential share, per child."""
    if not 0.0 <= history_weight <= 1.0:
        raise ValueError("history_weight must be within [0, 1]")
    result = None
    for basis, weight in ((history, history_weight), (potential, 1 - history_weight)):
        basis = np.asarray(basis, dtype=float)
        _check_not_negative(basis)
        total = basis.sum()
        share = basis / total if total > 0 else np.zeros_like(basis)
        result = weight * share if result is None else result + weight * share
    return result


def ramp_factor(tenure_months, period_months, schedule):
    """Average share of a full target over the period during a ramp-up.

    ``tenure_months`` is the tenure at the period start (0: the first month of the
    period is the first month of tenure; negative: starts later in the period, the
    months before counting 0). ``schedule`` gives the share for tenure months 1, 2,
    ...; later months count 1. Works on arrays of tenures.
    """
    if period_months < 1:
        raise ValueError("period_months must be at least 1")
    shares = np.clip(np.asarray(schedule, dtype=float).ravel(), 0.0, 1.0)
    tenure = np.asarray(tenure_months)
    # month of tenure (1-based) in each month of the period
    month = tenure[..., None].astype(np.int64) + np.arange(1, int(period_months) + 1)
    index = np.clip(month - 1, 0, max(shares.size - 1, 0))
    table = shares[index] if shares.size else np.ones(month.shape)
    factor = np.where(month < 1, 0.0, np.where(month > shares.size, 1.0, table))
    result = factor.mean(axis=-1)
    return float(result) if result.ndim == 0 else result


def growth_cap_maximum(last_year, cap_percent):
    """last_year * (1 + cap / 100) where there is a last year (> 0), else NaN."""
    last_year = np.asarray(last_year, dtype=float)
    with np.errstate(invalid="ignore"):
        known = last_year > 0
    return np.where(known, last_year * (1.0 + np.asarray(cap_percent) / 100.0), np.nan)


# ----------------------------------------------------------------------------
# Exact rounding
# ----------------------------------------------------------------------------
def largest_remainder(total_units, weights):
    """Split the integer ``total_units`` in proportion to ``weights`` (int64 array).

    Vectorised counterpart of :func:`rounding.largest_remainder`, with the same
    result for whole-number weights (integer arithmetic while total * sum(weights)
    stays below 2**62); other weights give float quotas, yet the parts always add
    up to ``total_units`` exactly. All-zero weights split evenly; ties on the
    remainder go to the earlier part.
    """
    total_units = int(total_units)
    weights = np.asarray(weights, dtype=float).ravel()
    if total_units < 0:
        raise ValueError("total_units must not be negative")
    if (weights < 0).any() or not np.isfinite(weights).all():
        raise ValueError("weights must be finite and not negative")
    if not weights.size:
        if total_units:
            raise ValueError("nothing to split among")
        return np.zeros(0, dtype=np.int64)
    weight_sum = weights.sum()
    if not weight_sum > 0:
        weights, weight_sum = np.ones_like(weights), float(weights.size)
    if (weights == np.floor(weights)).all() and total_units * weight_sum < 2**62:
        whole = weights.astype(np.int64)
        scaled = np.int64(total_units) * whole
        parts, remainder = np.divmod(scaled, np.int64(whole.sum()))
        left = total_units - int(parts.sum())  # fewer than len(weights)
        order = np.lexsort((np.arange(whole.size), -remainder))
        parts[order[:left]] += 1
        return parts
    quota = total_units * (weights / weight_sum)
    low = np.zeros(weights.size, dtype=np.int64)
    return _round_quota(quota, total_units, low, np.full_like(low, _NO_MAX))


def _round_quota(quota, total, low, high, pinned=None):
    """Integers within [low, high], near ``quota``, adding up to ``total``.

    Floors first, then one more unit for the largest remainders (ties: the earlier
    position). Should float error leave more units than remainders, or make the
    floors overshoot, the children not ``pinned`` at a bound absorb it first.
    """
    units = np.clip(np.floor(quota), low, high).astype(np.int64)
    left = int(total) - int(units.sum())
    position = np.arange(units.size)
    pinned = np.zeros(units.size, dtype=bool) if pinned is None else pinned
    while left:
        remainder = quota - units
        if left > 0:
            eligible = position[units < high]
            if eligible.size and left > eligible.size:  # float error far off
                step = np.minimum(
                    left // eligible.size, high[eligible] - units[eligible]
                )
                units[eligible] += step
                left -= int(step.sum())
                continue
            order = np.lexsort((eligible, pinned[eligible], -remainder[eligible]))
            taken = eligible[order[:left]]
            units[taken] += 1
            left -= taken.size
        else:
            eligible = position[units > low]
            order = np.lexsort((-eligible, remainder[eligible], pinned[eligible]))
            taken = eligible[order[:-left]]
            units[taken] -= 1
            left += taken.size
        if not taken.size:
            raise ValueError("the bounds leave no room for the total")
    return units


def _split_cents(total_cents, weights, unit_cents):
    """Cents in multiples of the unit by ``weights``; the leftover below one unit
    goes to the largest part (the earlier on ties), so the sum is exact."""
    units, leftover = divmod(int(total_cents), int(unit_cents))
    cents = largest_remainder(units, weights) * np.int64(unit_cents)
    if leftover and cents.size:
        cents[int(np.argmax(cents))] += leftover
    return cents


def _cents(amount):
    return to_units(amount, 0.01)


def _unit_cents(unit):
    cents = _cents(unit)
    if cents < 1 or not math.isclose(cents / 100, float(unit), rel_tol=1e-9):
        raise ValueError(f"rounding unit {unit!r} is not a positive multiple of 0.01")
    return cents


def _check_not_negative(values):
    with np.errstate(invalid="ignore"):
        negative = values < 0
    if negative.any():
        raise AllocationError("negative_basis", children=np.flatnonzero(negative))


# ----------------------------------------------------------------------------
# Allocation
# ----------------------------------------------------------------------------
def _optional(values, size, name, fill=np.nan):
    if values is None:
        return np.full(size, fill)
    values = np.asarray(values, dtype=float).ravel()
    if values.size != size:
        raise ValueError(f"{name} must have one value per child")
    return values


def _suffix_sums(values):
    """Sums of values[k:] for k = 0 .. len(values)."""
    return np.concatenate((np.cumsum(values[::-1])[::-1], [0.0]))


def _water_fill(target, weight, low, high):
    """x = clip(lam * weight, low, high) adding up to ``target``, and lam.

    Solved on the breakpoints of the piecewise-linear sum (sorts, cumulative sums,
    one linear interpolation, one direct refinement) rather than by iterating, so
    O(n log n) whatever the bounds. Requires sum(low) <= target; when even the
    maximums fall short, lam is inf and every child of positive weight is at its
    maximum.
    """
    positive = weight > 0
    w, lo, hi = weight[positive], low[positive], high[positive]
    base = low[~positive].sum()
    # child i sits at lo_i while lam <= a_i, at hi_i once lam >= b_i
    a, b = lo / w, hi / w
    a_order, b_order = np.argsort(a, kind="stable"), np.argsort(b, kind="stable")
    a_sorted, b_sorted = a[a_order], b[b_order]
    lo_above, w_above = _suffix_sums(lo[a_order]), _suffix_sums(w[a_order])
    finite_hi = np.where(np.isfinite(hi), hi, 0.0)[b_order]
    hi_below = np.concatenate(([0.0], np.cumsum(finite_hi)))
    w_open = _suffix_sums(w[b_order])

    def total_at(lam):
        # Weights are summed over the children below their maximum only: a large
        # weight held at its maximum would otherwise cancel out in float.
        nb = np.searchsorted(b_sorted, lam, side="right")  # at their maximum
        na = np.searchsorted(a_sorted, lam, side="right")  # above their minimum
        moving = np.maximum(w_open[nb] - w_above[na], 0.0)
        return base + hi_below[nb] + lo_above[na] + lam * moving

    points = np.unique(np.concatenate(([0.0], a, b[np.isfinite(b)])))
    sums = total_at(points)
    k = int(np.searchsorted(sums, target, side="left"))
    if k == 0:
        return np.clip(np.zeros_like(weight), low, high), 0.0, np.zeros_like(weight)
    if k < points.size:
        start, end = points[k - 1], points[k]
        lam = start + (target - sums[k - 1]) * ((end - start) / (sums[k] - sums[k - 1]))
    else:
        start, end = points[-1], np.inf
        slope = w[~np.isfinite(hi)].sum()
        lam = start + (target - sums[-1]) / slope if slope > 0 else np.inf
    if np.isfinite(lam):
        # one direct step on the segment found: exact up to rounding
        prop = lam * w
        moving = (prop > lo) & (prop < hi)
        if moving.any():
            # a child whose minimum is its maximum is held once, not twice
            at_lo = prop <= lo
            fixed = lo[at_lo].sum() + hi[(prop >= hi) & ~at_lo].sum()
            refined = (target - base - fixed) / w[moving].sum()
            if start <= refined <= end:
                lam = refined
        lam = min(max(lam, start), end)
    with np.errstate(invalid="ignore"):
        proportional = np.where(positive, lam * weight, 0.0)
    return np.clip(proportional, low, high), lam, proportional


def allocate(
    total, basis, *, unit=1.0, minimum=None, maximum=None, locked=None, ramp=None
):
    """Split ``total`` among children in proportion to ``basis``, exactly.

    ``minimum``, ``maximum`` and ``locked`` hold one amount per child, NaN for
    none; ``ramp`` one factor in [0, 1] per child (NaN or 1 for none). Locked
    children keep their amount; the rest is spread in proportion to basis * ramp,
    children below their minimum raised to it, those above their maximum held at
    it and the difference re-spread among the others (no basis: an even split,
    weighted by the ramp factors).
    Free amounts are whole multiples of ``unit`` (minimums rounded up, maximums
    down to it); the leftover below one unit goes to the free child with the
    largest amount (flag "residual"). Amounts add up to ``total`` to the cent.
    """
    total_cents = _cents(total) if np.isfinite(total) else 0
    if total_cents <= 0:
        raise AllocationError("total_not_positive")
    basis = np.asarray(basis, dtype=float).ravel()
    n = basis.size
    if not n:
        raise AllocationError("no_children")
    if not np.isfinite(basis).all():
        raise ValueError("basis must be finite")
    unit_cents = _unit_cents(unit)
    minimum = _optional(minimum, n, "minimum")
    maximum = _optional(maximum, n, "maximum")
    locked = _optional(locked, n, "locked")
    ramp = np.nan_to_num(_optional(ramp, n, "ramp", 1.0), nan=1.0)
    if ((ramp < 0) | (ramp > 1)).any():
        raise ValueError("ramp factors must be within [0, 1]")
    with np.errstate(invalid="ignore"):
        negative = (basis < 0) | (minimum < 0) | (maximum < 0) | (locked < 0)
    if negative.any():
        raise AllocationError("negative_basis", children=np.flatnonzero(negative))

    is_locked = ~np.isnan(locked)
    cents = np.zeros(n, dtype=np.int64)
    cents[is_locked] = np.round(locked[is_locked] * 100).astype(np.int64)
    locked_cents = int(cents.sum())
    if locked_cents > total_cents:
        raise AllocationError(
            "locked_exceed",
            children=np.flatnonzero(is_locked),
            needed=locked_cents / 100,
            available=total_cents / 100,
        )
    remaining = total_cents - locked_cents
    free = np.flatnonzero(~is_locked)
    flags = [{"locked"} if is_locked[i] else set() for i in range(n)]
    exact = np.where(is_locked, locked, 0.0)
    if not free.size:
        if remaining:
            raise AllocationError(
                "maximums_short",
                children=np.flatnonzero(is_locked),
                needed=total_cents / 100,
                available=locked_cents / 100,
            )
    else:
        free_cents, free_exact, free_flags = _allocate_free(
            remaining,
            unit_cents,
            basis[free] * ramp[free],
            ramp[free],
            minimum[free],
            maximum[free],
            free,
        )
        cents[free] = free_cents
        exact[free] = free_exact
        for name, mask in free_flags.items():
            for i in free[mask]:
                flags[i].add(name)
        for i in free[ramp[free] < 1]:
            flags[i].add("ramp")
    total_amount = total_cents / 100
    amounts = cents / 100
    return Allocation(
        amounts=amounts,
        exact=exact,
        shares=amounts / total_amount,
        flags=[frozenset(f) for f in flags],
    )


def _bound_cents(amounts, up):
    """Amounts in whole cents, rounded up (or down) but for float noise: 0.29 is
    29 cents although 0.29 * 100 is 28.999999999999996."""
    scaled = amounts * 100
    # 100 * amount is off by at most 1.3 ulp from the cents the amount stands for
    noise = np.minimum(1e-7 + 2 * np.spacing(np.abs(scaled)), 0.49)
    rounded = np.ceil(scaled - noise) if up else np.floor(scaled + noise)
    return rounded.astype(np.int64)


def _allocate_free(remaining, unit, weight, even_weight, minimum, maximum, positions):
    """Cents, exact amounts and flag masks of the free children.

    ``remaining`` and ``unit`` are integer cents; ``weight`` is the effective basis,
    ``even_weight`` the weights of an even split (the ramp factors); ``positions``
    maps back to the caller's children for error reports.
    """
    has_min, has_max = ~np.isnan(minimum), ~np.isnan(maximum)
    # bounds to the cent (minimums up, maximums down), then to the unit likewise
    min_cents = _bound_cents(np.where(has_min, minimum, 0.0), up=True)
    max_cents = _bound_cents(np.where(has_max, maximum, 0.0), up=False)
    low = -(-min_cents // unit)
    high = np.where(has_max, max_cents // unit, _NO_MAX)
    units, leftover = divmod(remaining, unit)

    crossed = has_min & has_max & ((minimum > maximum) | (low > high))
    if crossed.any():
        raise AllocationError("bounds_crossed", children=positions[crossed])
    needed = int(low.sum())
    if needed > units:
        raise AllocationError(
            "minimums_exceed",
            children=positions[low > 0],
            needed=needed * unit / 100,
            available=remaining / 100,
        )
    if has_max.all():
        capacity = int(high.sum())
        slack = int((max_cents - high * unit).sum())
        if units > capacity or remaining > int(max_cents.sum()):
            raise AllocationError(
                "maximums_short",
                children=positions,
                needed=remaining / 100,
                available=(capacity * unit + min(slack, unit - 1)) / 100,
            )

    target = remaining / unit
    low_f = low.astype(float)
    high_f = np.where(has_max, high.astype(float), np.inf)
    x, lam, proportional = _water_fill(target, weight, low_f, high_f)
    at_min, at_max = proportional < low_f, proportional > high_f
    even = np.zeros(weight.size, dtype=bool)
    # No basis left to follow (none at all, or every child with one is at its
    # maximum): the rest goes evenly to the children without a basis, weighted by
    # their ramp-up first, then plainly.
    waiting = weight <= 0
    for tier in (even_weight, np.ones_like(weight)):
        if not (np.isinf(lam) and (high_f[waiting] > low_f[waiting]).any()):
            break
        tier = tier[waiting]
        if not tier.sum() > 0:
            continue
        rest = target - x[~waiting].sum()
        x_tier, lam, prop_tier = _water_fill(
            rest, tier, low_f[waiting], high_f[waiting]
        )
        x[waiting] = x_tier
        at_min[waiting] = prop_tier < low_f[waiting]
        at_max[waiting] = prop_tier > high_f[waiting]
        even[waiting] = True
        waiting[waiting] = tier <= 0
    x = np.clip(x, low_f, high_f)
    counts = _round_quota(x, units, low, high, at_min | at_max)
    cents = counts * np.int64(unit)

    given = np.zeros(weight.size, dtype=np.int64)  # leftover cents per child
    if leftover:
        room = np.where(has_max, max_cents - cents, _NO_MAX)
        order = np.lexsort((np.arange(cents.size), -weight, -cents))
        fits = order[room[order] >= leftover]
        if fits.size:
            given[fits[0]] = leftover
        else:  # only when every child is at its maximum: spread over several
            rest = leftover
            for i in order:
                given[i] = min(int(room[i]), rest)
                rest -= int(given[i])
                if not rest:
                    break
    cents += given
    exact = x * unit / 100
    # Where even the maximums in whole units could not hold the fraction of a
    # unit, the exact amounts miss it too: it is where the leftover went.
    short = remaining / 100 - exact.sum()
    if given.any() and short > 1e-9 * remaining / 100:
        exact += short * given / given.sum()
    flags = {"minimum": at_min & (low > 0), "maximum": at_max, "even": even}
    flags["residual"] = given > 0
    return cents, exact, flags


# ----------------------------------------------------------------------------
# Manual entry, floors and stretches, phasing, fairness
# ----------------------------------------------------------------------------
def manual_amounts(total, values, mode, *, unit=0.01):
    """Amounts typed by hand ("amount") or percents of ``total`` ("percent").

    Amounts must add up to ``total`` to the cent; percents to 100 (within 1e-6),
    and are then turned into multiples of ``unit`` adding up to ``total`` exactly.
    """
    if mode not in ("amount", "percent"):
        raise ValueError(f"unknown manual mode {mode!r}")
    total_cents = _cents(total) if np.isfinite(total) else 0
    if total_cents <= 0:
        raise AllocationError("total_not_positive")
    values = np.asarray(values, dtype=float).ravel()
    if not values.size:
        raise AllocationError("no_children")
    if not np.isfinite(values).all():
        raise ValueError("values must be finite")
    _check_not_negative(values)
    if mode == "amount":
        cents = np.round(values * 100).astype(np.int64)
        if int(cents.sum()) != total_cents:
            raise AllocationError(
                "manual_total_mismatch",
                entered=int(cents.sum()) / 100,
                total=total_cents / 100,
            )
        return cents / 100
    entered = float(values.sum())
    if abs(entered - 100.0) > 1e-6:
        raise AllocationError("manual_total_mismatch", entered=entered, total=100.0)
    return _split_cents(total_cents, values, _unit_cents(unit)) / 100


def follow_ratios(parent_amount, parent_value, amounts, unit=0.01):
    """Split ``parent_value`` (a floor or stretch) in proportion to ``amounts``.

    The parts are whole multiples of ``unit`` (like the amounts they follow) and
    add up to ``parent_value`` to the cent: what is left below one unit goes to
    one part, the one with the most room under its amount for a floor (a floor
    never exceeds its amount), the largest for a stretch. Zeros when the
    parent's amount (or value) is zero.
    """
    amounts = np.asarray(amounts, dtype=float).ravel()
    _check_not_negative(amounts)
    value_cents = _cents(parent_value or 0.0)
    if not parent_amount or not value_cents or not amounts.size:
        return np.zeros(amounts.size)
    unit_cents = _unit_cents(unit)
    units, leftover = divmod(abs(value_cents), unit_cents)
    parts = largest_remainder(units, amounts) * np.int64(unit_cents)
    if leftover:
        if abs(value_cents) <= _cents(parent_amount):
            room = np.array([_cents(a) for a in amounts], dtype=np.int64) - parts
            parts[int(np.argmax(room))] += leftover
        else:
            parts[int(np.argmax(parts))] += leftover
    return (parts if value_cents > 0 else -parts) / 100


def seasonality(monthly, fallback):
    """Monthly profiles (rows adding up to 1) from last years' monthly actuals.

    Negative months count 0; a row without any positive month takes ``fallback``
    (normalised; even when it adds up to zero too).
    """
    monthly = np.clip(np.nan_to_num(np.asarray(monthly, dtype=float)), 0.0, None)
    if monthly.ndim == 1:
        monthly = monthly[None, :]
    months = monthly.shape[1]
    fallback = np.clip(np.nan_to_num(np.asarray(fallback, dtype=float)), 0.0, None)
    if fallback.size != months:
        raise ValueError("the fallback needs one weight per month")
    fallback = (
        fallback / fallback.sum() if fallback.sum() > 0 else np.full(months, 1 / months)
    )
    sums = monthly.sum(axis=1, keepdims=True)
    has_history = sums[:, 0] > 0
    profiles = np.empty_like(monthly)
    profiles[has_history] = monthly[has_history] / sums[has_history]
    profiles[~has_history] = fallback
    return profiles


def phase(amount, weights, unit=0.01):
    """Monthly amounts of ``amount`` by ``weights``, adding up to it exactly."""
    return split_exact(amount, list(weights), unit)


def fairness(amounts, potential):
    """Coefficient of variation of amount / potential over children with potential.

    NaN with fewer than two such children or a zero mean.
    """
    amounts = np.asarray(amounts, dtype=float).ravel()
    potential = np.asarray(potential, dtype=float).ravel()
    with np.errstate(invalid="ignore"):
        scored = potential > 0
    if scored.sum() < 2:
        return math.nan
    ratio = amounts[scored] / potential[scored]
    mean = ratio.mean()
    if not mean:
        return math.nan
    # the spread of the ratios relative to their mean (values near 1): the
    # std of tiny ratios themselves underflows to 0 where the relative one
    # does not (:func:`fairness_outliers` reads the same relative ratios)
    return float((ratio / mean).std())


# ----------------------------------------------------------------------------
# The policy: one entry point from a method and what the manager typed
# ----------------------------------------------------------------------------
METHODS = ("history", "potential", "blend", "equal", "manual", "lifecycle")
# Methods whose basis must not be empty at the top of a split (deeper in a
# cascade such a group is split evenly instead, and its lines say so).
NEEDS_BASIS = ("history", "potential", "lifecycle")


def typed_bounds(typed):
    """Locked amounts, minimums and maximums (NaN for none) from the typed values
    of each child: dicts with ``locked``, ``amount``, ``minimum_amount`` and
    ``maximum_amount`` (a minimum or maximum of 0 means none)."""
    n = len(typed)
    locked, minimum, maximum = (np.full(n, np.nan) for _i in range(3))
    for i, values in enumerate(typed):
        if values.get("locked"):
            locked[i] = values.get("amount", 0.0)
        if values.get("minimum_amount"):
            minimum[i] = values["minimum_amount"]
        if values.get("maximum_amount"):
            maximum[i] = values["maximum_amount"]
    return locked, minimum, maximum


def split(
    method,
    total,
    bases,
    typed,
    *,
    unit=1.0,
    ramp=None,
    last_year=None,
    growth_cap=0.0,
    manual_mode="amount",
    blend_history_weight=0.5,
    nested=False,
):
    """Split ``total`` among children by ``method``: the allocation policy.

    ``bases`` holds one array per basis (``history``, ``potential``,
    ``lifecycle``) with one figure per child; ``typed`` one dict per child of
    what the manager typed (see :func:`typed_bounds`, and ``manual_value`` for
    the manual method). ``last_year`` and ``growth_cap`` (percent) cap each
    child's amount above its last-year actual; ``ramp`` scales newcomers.
    ``nested`` is True below the first level of a cascade: a parent that got
    nothing passes nothing on, and an empty basis is split evenly.

    Raises :class:`AllocationError`: ``no_basis`` (``values["method"]``) when the
    method's basis is empty at the first level, and the errors of
    :func:`allocate` and :func:`manual_amounts`.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    n = len(typed)
    if nested and not (np.isfinite(total) and _cents(total) > 0):
        zeros = np.zeros(n)
        return Allocation(
            amounts=zeros,
            exact=zeros.copy(),
            shares=zeros.copy(),
            flags=[frozenset({"zero_parent"})] * n,
        )
    if method == "manual":
        values = [t.get("manual_value", 0.0) for t in typed]
        amounts = np.asarray(
            manual_amounts(total, values, manual_mode, unit=0.01), dtype=float
        )
        return Allocation(
            amounts=amounts,
            exact=amounts.copy(),
            shares=amounts / total,
            flags=[frozenset()] * n,
        )
    if method == "blend":
        basis = blend_basis(bases["history"], bases["potential"], blend_history_weight)
    elif method == "equal":
        basis = np.ones(n)
    else:
        basis = np.asarray(bases[method], dtype=float)
        if method in NEEDS_BASIS and not nested and not basis.any():
            raise AllocationError("no_basis", method=method)
    locked, minimum, maximum = typed_bounds(typed)
    if growth_cap:
        maximum = np.fmin(maximum, growth_cap_maximum(last_year, growth_cap))
    return allocate(
        total,
        basis,
        unit=unit,
        minimum=minimum,
        maximum=maximum,
        locked=locked,
        ramp=ramp,
    )


def ramp_schedule(text):
    """The ramp-up shares (0-1] typed as percents separated by commas or
    semicolons ("25, 50, 75"). Raises ``ramp_schedule_format`` or
    ``ramp_schedule_range`` (:class:`AllocationError`)."""
    try:
        shares = [
            float(part) / 100.0
            for part in (text or "").replace(";", ",").split(",")
            if part.strip()
        ]
    except ValueError as error:
        raise AllocationError("ramp_schedule_format") from error
    if any(not 0 < share <= 1 for share in shares):
        raise AllocationError("ramp_schedule_range")
    return shares


def year_weights(weights):
    """The weights of the history years, checked: none negative, not all zero
    (``weights_zero``)."""
    if any(w < 0 for w in weights) or not sum(weights):
        raise AllocationError("weights_zero")
    return list(weights)


# ----------------------------------------------------------------------------
# A history year still running, newcomers with this year's actuals, fairness
# advice
# ----------------------------------------------------------------------------
def elapsed_share(start, end, today):
    """The share of the days from ``start`` to ``end`` (both included) that are
    past at the end of ``today``: 1 for a span that is over, 0 for one to come."""
    days = (end - start).days + 1
    if days < 1:
        raise ValueError("the span must end on or after its start")
    past = (min(today, end) - start).days + 1
    return min(max(past / days, 0.0), 1.0)


def annualise(amounts, shares):
    """Amounts scaled to a whole span at the pace they were made.

    ``shares`` (broadcast against ``amounts``) is the part of the span each
    amount covers (see :func:`elapsed_share`): an amount is divided by it, kept
    as it is where the span is over (1) or not begun (0: no pace to scale by,
    and nothing should be dated in it); a share above 1 (more than one span)
    scales it down to one.
    """
    amounts = np.asarray(amounts, dtype=float)
    shares = np.asarray(shares, dtype=float)
    known = shares > 0
    return np.where(known, amounts / np.where(known, shares, 1.0), amounts)


def newcomer_basis(basis, recent, recent_share):
    """The history basis of children without any history, from their actuals
    since the history years ended (``recent``, made over ``recent_share`` of
    the period allocated), scaled to the period (:func:`annualise`).

    Returns the basis and the mask of the children whose basis came from
    ``recent``: a newcomer who sells this year is not a newcomer without
    history.
    """
    basis = np.array(basis, dtype=float, copy=True).ravel()
    recent = annualise(np.asarray(recent, dtype=float).ravel(), recent_share)
    use = (basis <= 0) & (recent > 0) & (recent_share > 0)
    basis[use] = recent[use]
    return basis, use


def fairness_outliers(amounts, potential, factor=1.5):
    """Which children get far more, or far less, per point of potential than
    the average child does (the spread :func:`fairness` measures).

    Returns (above, below, relative): the positions of the children getting at
    least ``factor`` times the average amount per point (above) or at most
    1 / ``factor`` of it (below), the furthest first, and each child's amount
    per point relative to the average (NaN without potential).
    """
    if factor <= 1:
        raise ValueError("factor must be above 1")
    amounts = np.asarray(amounts, dtype=float).ravel()
    potential = np.asarray(potential, dtype=float).ravel()
    relative = np.full(amounts.size, np.nan)
    with np.errstate(invalid="ignore"):
        scored = potential > 0
    empty = np.zeros(0, dtype=np.int64)
    if scored.sum() < 2:
        return empty, empty, relative
    ratio = amounts[scored] / potential[scored]
    mean = ratio.mean()
    if not mean > 0:
        return empty, empty, relative
    relative[scored] = ratio / mean
    order = np.argsort(-np.nan_to_num(relative, nan=0.0), kind="stable")
    with np.errstate(invalid="ignore"):
        above = order[relative[order] >= factor]
        below = order[::-1][relative[order[::-1]] <= 1.0 / factor]
    return above, below, relative
