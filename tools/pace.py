"""Where a target stands against the time elapsed in its period."""

from decimal import ROUND_HALF_UP, Decimal

AHEAD, ON_TRACK, AT_RISK, BEHIND = "ahead", "on_track", "at_risk", "behind"

# Achievement as a share of the expected achievement at which each status starts.
DEFAULT_THRESHOLDS = {AHEAD: 1.10, ON_TRACK: 0.95, AT_RISK: 0.80}


def working_days(date_from, date_to, holidays=()):
    """Monday-to-Friday days in [date_from, date_to], less the given holidays."""
    if date_to < date_from:
        return 0
    days = (date_to - date_from).days + 1
    full_weeks, rest = divmod(days, 7)
    count = full_weeks * 5
    start = date_from.weekday()
    count += sum(1 for i in range(rest) if (start + i) % 7 < 5)
    holidays = {d for d in holidays if date_from <= d <= date_to and d.weekday() < 5}
    return count - len(holidays)


def expected_rate(date_from, date_to, today, by_working_days=False, holidays=()):
    """Percent of the period [date_from, date_to] elapsed at the end of ``today``."""
    if today < date_from:
        return 0.0
    if today >= date_to:
        return 100.0
    if by_working_days:
        total = working_days(date_from, date_to, holidays)
        done = working_days(date_from, today, holidays)
    else:
        total = (date_to - date_from).days + 1
        done = (today - date_from).days + 1
    return 100.0 * done / total if total else 100.0


def pace_status(achievement_rate, expected, thresholds=None):
    """ahead / on_track / at_risk / behind, from achievement and expected rates (%)."""
    thresholds = thresholds or DEFAULT_THRESHOLDS
    if expected <= 0:
        return ON_TRACK if achievement_rate <= 0 else AHEAD
    ratio = achievement_rate / expected
    if ratio >= thresholds[AHEAD]:
        return AHEAD
    if ratio >= thresholds[ON_TRACK]:
        return ON_TRACK
    if ratio >= thresholds[AT_RISK]:
        return AT_RISK
    return BEHIND


def rate(achieved, base):
    """``achieved`` as a percent of ``base`` (0 when there is no base)."""
    return 100.0 * achieved / base if base else 0.0


def stored(value, digits):
    """``value`` rounded half up to ``digits`` decimals, as a stored figure is."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(quantum, ROUND_HALF_UP))


def figures(achieved, amount, floor, stretch, expected, thresholds=None):
    """Everything derived from a target's achieved amount, as stored (rates and
    expected rate to 0.1 %, the gap to the cent): achievement, floor and stretch
    rates, the gap left to the target, the expected rate and the pace status,
    which reads the stored achievement rate. ``expected`` is None for a target
    without a period: no expected rate, no status."""
    achievement = stored(rate(achieved, amount), 1)
    return {
        "achievement_rate": achievement,
        "floor_rate": stored(rate(achieved, floor), 1),
        "stretch_rate": stored(rate(achieved, stretch), 1),
        "gap_amount": stored(amount - achieved, 2),
        "expected_rate": 0.0 if expected is None else stored(expected, 1),
        "pace_status": (
            False
            if expected is None
            else pace_status(achievement, expected, thresholds)
        ),
    }
