"""Attribute grouped document amounts to targets: sums over keys and date ranges.

The documents of one metric arrive pre-aggregated from one SQL ``GROUP BY``:
one row per (key, day) with an amount, where the key is whatever a target is
matched on (a salesperson, a team, a company). A query asks for the total of one
key between two days inclusive. Per key, days are sorted and summed cumulatively
once; each query is then two binary searches, so the cost is O(rows log rows +
queries log rows) whatever the number of targets.
"""

import numpy as np
import pandas as pd


def interval_sums(rows, queries):
    """Totals of ``rows`` per query.

    :param rows: DataFrame with columns ``key``, ``day`` (datetime64 or date) and
        ``amount``; several rows may share a key and a day.
    :param queries: DataFrame with columns ``key``, ``start`` and ``end``.
    :return: numpy array of floats aligned with ``queries``.
    """
    result = np.zeros(len(queries), dtype=float)
    if rows.empty or queries.empty:
        return result
    rows = rows.assign(day=pd.to_datetime(rows["day"]))
    daily = rows.groupby(["key", "day"], sort=True)["amount"].sum().reset_index()
    starts = pd.to_datetime(queries["start"]).to_numpy()
    ends = pd.to_datetime(queries["end"]).to_numpy()
    query_keys = queries["key"].to_numpy()
    for key, group in daily.groupby("key", sort=False):
        mask = query_keys == key
        if not mask.any():
            continue
        days = group["day"].to_numpy()
        cumulative = np.concatenate(([0.0], np.cumsum(group["amount"].to_numpy())))
        lo = np.searchsorted(days, starts[mask], side="left")
        hi = np.searchsorted(days, ends[mask], side="right")
        # An empty interval (start after end) sums to zero, never below.
        result[mask] = cumulative[np.maximum(hi, lo)] - cumulative[lo]
    return result
