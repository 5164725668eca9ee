"""Calendar helpers for target periods and their monthly phasing."""

from datetime import date, timedelta


def month_start(day):
    return day.replace(day=1)


def next_month(day):
    """First day of the month after ``day``'s month."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_starts(date_from, date_to):
    """First days of every month that the period [date_from, date_to] touches."""
    if date_to < date_from:
        return []
    months = []
    current = month_start(date_from)
    while current <= date_to:
        months.append(current)
        current = next_month(current)
    return months


def days_per_month(date_from, date_to):
    """[(month_start, days of the period inside that month), ...] in order."""
    result = []
    for start in month_starts(date_from, date_to):
        end = next_month(start) - timedelta(days=1)
        first = max(start, date_from)
        last = min(end, date_to)
        result.append((start, (last - first).days + 1))
    return result


def overlaps(a_from, a_to, b_from, b_to):
    """True when the closed periods [a_from, a_to] and [b_from, b_to] share a day."""
    return a_from <= b_to and b_from <= a_to


def contains(outer_from, outer_to, inner_from, inner_to):
    return outer_from <= inner_from and inner_to <= outer_to


def year_bounds(year):
    return date(year, 1, 1), date(year, 12, 31)
