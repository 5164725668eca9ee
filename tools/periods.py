"""Calendar helpers for target periods and their monthly phasing.

Everything here works for any date Odoo stores (years 1 to 9999): day arithmetic is
done on ``datetime.date`` or on numpy ``datetime64[D]`` (days), never on pandas'
nanosecond timestamps, which overflow outside 1677-2262.
"""

import calendar
from datetime import date, datetime

import numpy as np

# The dates a target may use. A period outside them is almost always a typo (2926
# for 2026); the bounds also keep every derived date (history years back, the month
# after the end) inside what Python and the database represent.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)


def month_start(day):
    return day.replace(day=1)


def month_end(day):
    """Last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day):
    """First day of the month after ``day``'s month (None after December 9999)."""
    if day.month < 12:
        return date(day.year, day.month + 1, 1)
    if day.year >= date.max.year:
        return None
    return date(day.year + 1, 1, 1)


def month_starts(date_from, date_to):
    """First days of every month that the period [date_from, date_to] touches."""
    if date_to < date_from:
        return []
    months = []
    current = month_start(date_from)
    while current is not None and current <= date_to:
        months.append(current)
        current = next_month(current)
    return months


def month_count(date_from, date_to):
    """How many months the period [date_from, date_to] touches (no list built)."""
    if date_to < date_from:
        return 0
    return (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1


def days_per_month(date_from, date_to):
    """[(month_start, days of the period inside that month), ...] in order."""
    result = []
    for start in month_starts(date_from, date_to):
        first = max(start, date_from)
        last = min(month_end(start), date_to)
        result.append((start, (last - first).days + 1))
    return result


def overlaps(a_from, a_to, b_from, b_to):
    """True when the closed periods [a_from, a_to] and [b_from, b_to] share a day."""
    return a_from <= b_to and b_from <= a_to


def contains(outer_from, outer_to, inner_from, inner_to):
    return outer_from <= inner_from and inner_to <= outer_to


def year_bounds(year):
    return date(year, 1, 1), date(year, 12, 31)


def within_bounds(day):
    """True when ``day`` lies between ``MIN_DATE`` and ``MAX_DATE``."""
    return MIN_DATE <= day <= MAX_DATE


def _one_day(value):
    """``value`` as a numpy day, NaT when missing."""
    if value is None or (not isinstance(value, str) and value != value):  # NaN, NaT
        return np.datetime64("NaT", "D")
    if isinstance(value, np.datetime64):
        return value.astype("datetime64[D]")
    if isinstance(value, datetime):  # pandas' Timestamp too
        value = value.date()
    elif isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return np.datetime64(value, "D")


def day_array(values):
    """A ``datetime64[D]`` array of ``values``: dates, datetimes, ISO strings,
    datetime64 arrays or pandas columns of any of them, integer day numbers since
    1970-01-01; None, NaN and NaT become NaT. Any year from 1 to 9999 works."""
    if hasattr(values, "to_numpy"):
        values = values.to_numpy()
    array = np.asarray(values)
    if array.dtype.kind in "Miu":
        return array.astype("datetime64[D]")
    try:
        # numpy converts date objects and None in C; the loop is the fallback for
        # mixed content (NaN floats, strings)
        return np.asarray(array, dtype="datetime64[D]")
    except (TypeError, ValueError):
        return np.array([_one_day(v) for v in array.ravel()], "datetime64[D]").reshape(
            array.shape
        )


def day_numbers(values):
    """Days since 1970-01-01 (int64) of ``values`` (see :func:`day_array`); missing
    values are not allowed here."""
    days = day_array(values)
    if np.isnat(days).any():
        raise ValueError("a day is missing")
    return days.astype(np.int64)
