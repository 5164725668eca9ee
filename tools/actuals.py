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

from .periods import day_numbers

# What a document row is matched on, packed in one integer so that keys are built
# and compared as numbers: kind in the top byte, company, then the record id.
USER, TEAM, COMPANY = 1, 2, 3


def make_key(kind, company_id, record_id=0):
    """The key of a salesperson, a team or a whole company (works on arrays too)."""
    return (
        (np.int64(kind) << np.int64(56))
        + (np.asarray(company_id, dtype=np.int64) << np.int64(32))
        + np.asarray(record_id, dtype=np.int64)
    )


def key_parts(keys):
    """(kind, company, record) arrays of keys made by :func:`make_key`."""
    keys = np.asarray(keys, dtype=np.int64)
    return (
        keys >> np.int64(56),
        (keys >> np.int64(32)) & np.int64(0xFFFFFF),
        keys & np.int64(0xFFFFFFFF),
    )


def document_key_rows(data, columns=("amount",)):
    """(key, day, amount) rows of grouped documents, each counted for its
    salesperson, its team and its company.

    :param data: DataFrame with ``company``, ``user``, ``team`` (missing as NaN or
        None), ``day`` and the value ``columns`` (``amount`` by default).
    """
    if data.empty:
        return pd.DataFrame(columns=["key", "day", *columns])
    company = data["company"].to_numpy(dtype=np.int64)
    # ids as numbers first (None -> NaN): filling an object column is deprecated
    user = pd.to_numeric(data["user"]).fillna(0).to_numpy(dtype=np.int64)
    team = pd.to_numeric(data["team"]).fillna(0).to_numpy(dtype=np.int64)
    frame = {
        "key": np.concatenate(
            [
                make_key(USER, company, user),
                make_key(TEAM, company, team),
                make_key(COMPANY, company),
            ]
        ),
        # days as integers: any year works (no nanosecond timestamps)
        "day": np.tile(day_numbers(data["day"]), 3),
    }
    for column in columns:
        frame[column] = np.tile(data[column].to_numpy(dtype=float), 3)
    return pd.DataFrame(frame)


def interval_sums(rows, queries):
    """Totals of ``rows`` per query.

    :param rows: DataFrame with columns ``key``, ``day`` (dates, datetime64 or day
        numbers, see ``periods.day_array``) and ``amount``; several rows may share a
        key and a day.
    :param queries: DataFrame with columns ``key``, ``start`` and ``end``.
    :return: numpy array of floats aligned with ``queries``.
    """
    return interval_sums_many(rows, queries, ("amount",))[:, 0]


def interval_sums_many(rows, queries, columns):
    """Totals of several value ``columns`` of ``rows`` per query: an array of
    shape (queries, columns), see :func:`interval_sums`.

    Keys become integer codes and days integer day numbers, so every (key, day)
    is one sortable integer: one cumulative sum over all rows and two vectorised
    binary searches answer every query at once.
    """
    result = np.zeros((len(queries), len(columns)), dtype=float)
    if rows.empty or queries.empty:
        return result
    codes, uniques = pd.factorize(rows["key"], sort=False)
    query_codes = pd.Index(uniques).get_indexer(queries["key"])
    day = day_numbers(rows["day"])
    start = day_numbers(queries["start"])
    end = day_numbers(queries["end"])
    # Day numbers (years 1..9999) stay within +-2**31; the key code goes in the
    # high bits.
    span = np.int64(1) << 32
    offset = np.int64(1) << 31
    composite = codes.astype(np.int64) * span + (day + offset)
    order = np.argsort(composite, kind="stable")
    composite = composite[order]
    values = rows[list(columns)].to_numpy(float)[order]
    cumulative = np.vstack([np.zeros((1, len(columns))), np.cumsum(values, axis=0)])
    known = query_codes >= 0
    base = query_codes[known].astype(np.int64) * span + offset
    lo = np.searchsorted(composite, base + start[known], side="left")
    hi = np.searchsorted(composite, base + end[known], side="right")
    # An empty interval (start after end) sums to zero, never below.
    result[known] = cumulative[np.maximum(hi, lo)] - cumulative[lo]
    return result


def owner_sums(rows, owners, owner_keys):
    """Totals of ``rows`` for each owner (a target or one month of it).

    :param rows: DataFrame ``key``, ``day``, ``amount`` (see :func:`interval_sums`).
    :param owners: DataFrame with columns ``target``, ``start`` and ``end``: one row
        per figure wanted, the interval already clipped to the target's period.
    :param owner_keys: DataFrame ``target``, ``key``: the keys a target's documents
        are matched on; a target may have several (a region's teams) or none.
    :return: numpy array of floats aligned with ``owners``.
    """
    return owner_sums_many(rows, owners, owner_keys, ("amount",))[:, 0]


def owner_sums_many(rows, owners, owner_keys, columns):
    """Totals of several value ``columns`` for each owner: an array of shape
    (owners, columns), see :func:`owner_sums`."""
    result = np.zeros((len(owners), len(columns)), dtype=float)
    if owners.empty or owner_keys.empty:
        return result
    queries = (
        owners[["target", "start", "end"]]
        .assign(row=np.arange(len(owners)))
        .merge(owner_keys[["target", "key"]], on="target", how="inner")
    )
    sums = interval_sums_many(rows, queries, columns)
    rows_of = queries["row"].to_numpy()
    for i in range(len(columns)):
        result[:, i] = np.bincount(rows_of, weights=sums[:, i], minlength=len(owners))
    return result


def owner_last_days(rows, owner_keys):
    """The latest day of ``rows`` for each target: {target id: date}.

    :param rows: DataFrame ``key``, ``day`` (see :func:`document_key_rows`; the
        amount is not used).
    :param owner_keys: DataFrame ``target``, ``key``.
    Targets none of whose keys has a row are left out.
    """
    if rows.empty or owner_keys.empty:
        return {}
    latest = (
        pd.DataFrame({"key": rows["key"], "day": day_numbers(rows["day"])})
        .groupby("key", as_index=False)["day"]
        .max()
    )
    matched = owner_keys[["target", "key"]].merge(latest, on="key", how="inner")
    if matched.empty:
        return {}
    per_target = matched.groupby("target")["day"].max()
    days = per_target.to_numpy(dtype=np.int64).astype("datetime64[D]").tolist()
    return dict(zip(per_target.index.astype(int).tolist(), days, strict=True))
