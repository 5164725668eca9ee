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

    Keys become integer codes and days integer day numbers, so every (key, day)
    is one sortable integer: one cumulative sum over all rows and two vectorised
    binary searches answer every query at once.
    """
    result = np.zeros(len(queries), dtype=float)
    if rows.empty or queries.empty:
        return result
    codes, uniques = pd.factorize(rows["key"], sort=False)
    query_codes = pd.Index(uniques).get_indexer(queries["key"])
    day = (
        pd.to_datetime(rows["day"]).to_numpy().astype("datetime64[D]").astype(np.int64)
    )
    start = (
        pd.to_datetime(queries["start"])
        .to_numpy()
        .astype("datetime64[D]")
        .astype(np.int64)
    )
    end = (
        pd.to_datetime(queries["end"])
        .to_numpy()
        .astype("datetime64[D]")
        .astype(np.int64)
    )
    # Day numbers are far below 2**31; the key code goes in the high bits.
    span = np.int64(1) << 32
    offset = np.int64(1) << 31
    composite = codes.astype(np.int64) * span + (day + offset)
    order = np.argsort(composite, kind="stable")
    composite = composite[order]
    cumulative = np.concatenate(
        ([0.0], np.cumsum(rows["amount"].to_numpy(float)[order]))
    )
    known = query_codes >= 0
    base = query_codes[known].astype(np.int64) * span + offset
    lo = np.searchsorted(composite, base + start[known], side="left")
    hi = np.searchsorted(composite, base + end[known], side="right")
    # An empty interval (start after end) sums to zero, never below.
    result[known] = cumulative[np.maximum(hi, lo)] - cumulative[lo]
    return result
