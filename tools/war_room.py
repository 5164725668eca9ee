"""The war room's arithmetic: which days a period filter means, and the figures
of a tile from its sums. No ORM here."""

from . import pace
from .periods import month_end, month_start

PERIODS = ("month", "quarter", "year", "target")


def window(period, day, date_from, date_to):
    """The days [start, end] that ``period`` means on ``day`` for a target of
    [date_from, date_to]: this month, this quarter, this calendar year or the
    target's whole period, always within the target's period (None when they do
    not meet)."""
    if period == "month":
        start, end = month_start(day), month_end(day)
    elif period == "quarter":
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = day.replace(month=first_month, day=1)
        end = month_end(start.replace(month=first_month + 2))
    elif period == "year":
        start, end = day.replace(month=1, day=1), day.replace(month=12, day=31)
    elif period == "target":
        start, end = date_from, date_to
    else:
        raise ValueError(f"unknown period {period!r}")
    start, end = max(start, date_from), min(end, date_to)
    return (start, end) if start <= end else None


def tile(achieved, amount, start, end, day, thresholds=None, by_working_days=False):
    """Achievement, expected rate (both %, as stored), the gap to what is
    expected by now and the pace of ``achieved`` against ``amount`` over
    [start, end] on ``day``."""
    expected = pace.expected_rate(start, end, day, by_working_days)
    achievement = pace.stored(pace.rate(achieved, amount), 1)
    return {
        "achieved": pace.stored(achieved, 2),
        "amount": pace.stored(amount, 2),
        "achievement_rate": achievement,
        "expected_rate": pace.stored(expected, 1),
        "behind_expected": pace.stored(amount * expected / 100.0 - achieved, 2),
        "pace_status": pace.pace_status(achievement, expected, thresholds),
    }
