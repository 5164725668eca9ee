"""The war room's arithmetic: which days a period filter means, and the figures
of a tile from its sums. No ORM here."""

from datetime import timedelta

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


def week_points(start, end):
    """The days the progress chart has a point on: the end of each week
    (Sunday) within [start, end], and ``end`` itself."""
    first_sunday = start + timedelta(days=6 - start.weekday())
    points = []
    day = first_sunday
    while day < end:
        points.append(day)
        day += timedelta(days=7)
    points.append(end)
    return points


def progress_days(points, start, today):
    """Of ``points``, the days actuals are summed up to: each point before
    today, then today itself for the week under way (later points have no
    actuals yet)."""
    if today < start:
        return []
    days = [point for point in points if point < today]
    if today <= points[-1]:
        days.append(today)
    return days


def progress(
    amount,
    start,
    end,
    today,
    achieved,
    by_working_days=False,
    ahead=(),
    landing=None,
):
    """The series of the progress chart of a target of ``amount`` over [start,
    end] seen on ``today``.

    :param achieved: [(day, cumulative amount)] from :func:`progress_days`.
    :param ahead: [(last day of a coming week, amount expected in it)], the
        forecast's next weeks; only those within the period count.
    :return: dict of [day, value] pairs: ``expected`` (the target spread over
        time as the pace rule reads it) at each week's end, ``achieved`` and
        ``forecast`` (the achieved to date, then the expected weeks added up,
        then the ``landing`` at the period's end when it is known).
    """
    points = week_points(start, end)
    expected = [
        [
            point,
            stored(
                amount * pace.expected_rate(start, end, point, by_working_days) / 100
            ),
        ]
        for point in points
    ]
    done = [[day, stored(value)] for day, value in achieved]
    forecast = []
    if done and today < end:
        total = done[-1][1]
        forecast.append([done[-1][0], total])
        for day, value in ahead:
            if day > end:
                break
            total += value
            forecast.append([day, stored(total)])
        if landing is not None and forecast[-1][0] < end:
            forecast.append([end, stored(landing)])
    return {"expected": expected, "achieved": done, "forecast": forecast}


def band(start_day, start_value, end, low, high):
    """The forecast's range as two straight lines from where the achieved stands
    today to the low and high landings at the period's end."""
    return {
        "low": [[start_day, stored(start_value)], [end, stored(low)]],
        "high": [[start_day, stored(start_value)], [end, stored(high)]],
    }


def stored(value):
    return pace.stored(value, 2)
