"""Customer lifecycle stages by rules, vectorised over every customer at once.

A customer is *incubating* (signed, no repurchase yet), *growing* (buying more
quarter after quarter), *stable* (the rest that keeps buying) or *declining*
(buying less, or not at all for a while). The caller gives, per customer, the
first and last order dates, the number of orders and the revenue of the three
rolling quarters before the classification date; the rules below are applied in
order, the first that matches wins:

1. never ordered: no stage;
2. incubating: first order less than ``incubating_months`` ago and no repurchase;
3. declining ("dormant"): no order for ``dormant_months`` or more;
4. growing: up more than ``growth_rate`` % in each of the last two quarters;
5. declining ("falling"): down more than ``decline_rate`` % over two quarters;
6. stable ("regular"): the rest.

No ORM here: the model gathers the figures with grouped queries and stores the
result in bulk.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .periods import day_array

STAGES = ("incubating", "growing", "stable", "declining")
DEFAULT_WEIGHTS = {
    "growing": 0.40,
    "stable": 0.30,
    "incubating": 0.15,
    "declining": 0.05,
}
REASONS = ("never_ordered", "new_no_repurchase", "dormant", "growing", "falling")


class LifecycleError(Exception):
    """Bad rules or weights; ``code`` says which, ``values`` give the figures."""

    def __init__(self, code, **values):
        super().__init__(code)
        self.code = code
        self.values = values

    def __str__(self):
        return f"{self.code}: {self.values}" if self.values else self.code


@dataclass(frozen=True)
class Rules:
    incubating_months: int = 6
    growth_rate: float = 15.0
    decline_rate: float = 20.0
    dormant_months: int = 6

    def check(self):
        for name in ("incubating_months", "dormant_months"):
            if getattr(self, name) < 1:
                raise LifecycleError("bad_rules", field=name)
        if not self.growth_rate > 0:
            raise LifecycleError("bad_rules", field="growth_rate")
        if not 0 < self.decline_rate < 100:
            raise LifecycleError("bad_rules", field="decline_rate")
        return self


def months_between(earlier, later):
    """Whole months from ``earlier`` to ``later`` (arrays of datetime64[D]), like
    ``relativedelta``: 15 Jan to 14 Feb is 0 months, 31 Jan to 28 Feb is 1. NaN where
    ``earlier`` is missing."""
    earlier = np.asarray(earlier, dtype="datetime64[D]")
    later = np.broadcast_to(np.asarray(later, dtype="datetime64[D]"), earlier.shape)
    missing = np.isnat(earlier)
    e_month = earlier.astype("datetime64[M]")
    l_month = later.astype("datetime64[M]")
    months = (l_month - e_month).astype(float)
    e_day = (earlier - e_month.astype("datetime64[D]")).astype(float)
    l_day = (later - l_month.astype("datetime64[D]")).astype(float)
    # an incomplete last month does not count (the day of month not yet reached),
    # unless ``later`` is the last day of a shorter month (31 Jan to 28 Feb: 1)
    month_end = (later + 1).astype("datetime64[M]") != l_month
    months -= (l_day < e_day) & ~month_end & (months > 0)
    months[missing] = np.nan
    return months


def _change(new, old):
    """Percent change from ``old`` to ``new``; NaN where ``old`` is not positive."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            old > 0, 100.0 * (new - old) / np.where(old > 0, old, 1), np.nan
        )


def classify(customers, as_of, rules=None):
    """Stage and reason of every customer (see the module's docstring).

    :param customers: DataFrame with ``first_order``, ``last_order`` (dates, missing
        when never ordered), ``orders`` (count) and ``q1``, ``q2``, ``q3`` (revenue of
        three rolling windows of three months ending on ``as_of``: the last 3
        months, months 4-6 and 7-9 back; not calendar quarters).
    :return: DataFrame on the same index: ``stage`` (None when never ordered),
        ``reason``, ``growth1`` (q1 vs q2, %), ``growth2`` (q2 vs q3, %), ``change2q``
        (q1 vs q3, %), ``months_since_first`` and ``months_since_last``.
    """
    rules = (rules or Rules()).check()
    as_of = day_array([as_of])[0]
    first = day_array(customers["first_order"])
    last = day_array(customers["last_order"])
    orders = (
        pd.to_numeric(customers["orders"], errors="coerce")
        .fillna(0)
        .to_numpy(dtype=np.int64)
    )
    q1, q2, q3 = (
        pd.to_numeric(customers[q], errors="coerce").fillna(0.0).to_numpy(dtype=float)
        for q in ("q1", "q2", "q3")
    )
    since_first = months_between(first, as_of)
    since_last = months_between(last, as_of)
    growth1, growth2, change2q = _change(q1, q2), _change(q2, q3), _change(q1, q3)

    never = np.isnat(first)
    incubating = ~never & (since_first < rules.incubating_months) & (orders <= 1)
    dormant = ~never & (since_last >= rules.dormant_months)
    growing = (growth1 > rules.growth_rate) & (growth2 > rules.growth_rate)
    falling = change2q < -rules.decline_rate
    conditions = [never, incubating, dormant, growing, falling]
    stage = np.select(
        conditions, [None, "incubating", "declining", "growing", "declining"], "stable"
    ).astype(object)
    stage[never] = None
    reason = np.select(conditions, list(REASONS), "regular")
    return pd.DataFrame(
        {
            "stage": stage,
            "reason": reason,
            "growth1": growth1,
            "growth2": growth2,
            "change2q": change2q,
            "months_since_first": since_first,
            "months_since_last": since_last,
        },
        index=customers.index,
    )


def lifecycle_basis(revenue, weights=None):
    """Per child, the sum over stages of its customers' revenue times the stage
    weight (the allocation wizard's ``lifecycle`` method).

    :param revenue: DataFrame indexed by child, one column per stage (missing
        columns and NaN count as 0, negative revenue as 0).
    """
    weights = DEFAULT_WEIGHTS if weights is None else weights
    w = np.array([float(weights.get(stage, 0.0)) for stage in STAGES])
    if (w < 0).any() or not w.sum() > 0:
        raise LifecycleError("weights_zero")
    matrix = revenue.reindex(columns=list(STAGES)).fillna(0.0).to_numpy(dtype=float)
    return np.clip(matrix, 0.0, None) @ w


def stage_mix(stages):
    """{stage: count} over the four stages (zeros included); None is not counted."""
    counts = pd.Series(list(stages), dtype=object).value_counts()
    return {stage: int(counts.get(stage, 0)) for stage in STAGES}
