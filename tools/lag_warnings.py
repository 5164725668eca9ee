"""Weekly lag warnings (自动预警): when a subject lags, who must act, and what the
weekly check does with a warning already open.

No ORM here: the models gather the figures with grouped queries, and these
functions decide. Four rules, each on its own subject:

- ``pace``: a confirmed target whose pace is *at risk* or *behind*;
- ``floor``: a confirmed target that, at its daily run-rate so far, ends its
  period below its floor (保底);
- ``actions``: a salesperson whose key-action completion stayed below a
  threshold for a number of complete weeks running;
- ``silent``: a confirmed target with a gap left whose owner has confirmed no
  order for a number of days.

A warning is raised the week its subject first lags, carried or escalated one
level each further week it lags, and resolved the first week it does not.
"""

from datetime import timedelta

from . import completion, pace

PACE, FLOOR, ACTIONS, SILENT = "pace", "floor", "actions", "silent"
RULES = (PACE, FLOOR, ACTIONS, SILENT)
TARGET_RULES = (PACE, FLOOR, SILENT)

# The escalation ladder, from the subject's own owner to HQ.
SALESPERSON, TEAM_LEADER, REGION_MANAGER, PARENT_REGION_MANAGER, HQ = (
    "salesperson",
    "team_leader",
    "region_manager",
    "parent_region_manager",
    "hq",
)
ROLES = (SALESPERSON, TEAM_LEADER, REGION_MANAGER, PARENT_REGION_MANAGER, HQ)
# The highest role a warning may climb to, as set in the settings.
TOPS = (TEAM_LEADER, REGION_MANAGER, PARENT_REGION_MANAGER, HQ)

# What the weekly check does with a (rule, subject).
NOTHING, RAISE, CARRY, ESCALATE, RESOLVE = (
    "nothing",
    "raise",
    "carry",
    "escalate",
    "resolve",
)

DEFAULTS = {
    "completion_threshold": 70.0,
    "completion_weeks": 2,
    "silent_days": 21,
    "weekday": 0,  # Monday
    "hour": 7,
    "top": HQ,
}


class WarningError(Exception):
    def __init__(self, code, **values):
        super().__init__(code)
        self.code = code
        self.values = values


def week_start(day):
    """The Monday of ``day``'s week: a warning's weeks are named by it."""
    return day - timedelta(days=day.weekday())


def check_due(local_now, weekday, hour, last_checked_week):
    """The Monday of the week whose check is due at ``local_now`` (a naive
    datetime in the company's time zone), or None.

    The check of a week is due from ``weekday`` (0 = Monday) at ``hour`` until
    the week ends, once: ``last_checked_week`` is the Monday of the last week
    checked (None if never).
    """
    if not 0 <= weekday <= 6 or not 0 <= hour <= 23:
        raise WarningError("bad_schedule", weekday=weekday, hour=hour)
    monday = week_start(local_now.date())
    if last_checked_week and last_checked_week >= monday:
        return None
    due = (local_now.date() - monday).days > weekday or (
        (local_now.date() - monday).days == weekday and local_now.hour >= hour
    )
    return monday if due else None


def elapsed_days(date_from, date_to, today, by_working_days=False):
    """(days elapsed in the period at the end of ``today``, days in the period),
    in calendar or working days, as the pace counts them."""
    if by_working_days:
        total = pace.working_days(date_from, date_to)
        done = pace.working_days(date_from, min(today, date_to))
    else:
        total = (date_to - date_from).days + 1
        done = (min(today, date_to) - date_from).days + 1
    return max(done, 0), total


def run_rate_landing(achieved, date_from, date_to, today, by_working_days=False):
    """Where the period ends at the daily run-rate so far: achieved over the days
    elapsed (``today`` included), times the days of the period. None before the
    period starts (no run-rate yet)."""
    done, total = elapsed_days(date_from, date_to, today, by_working_days)
    if done <= 0 or total <= 0:
        return None
    return achieved / done * total


def floor_in_danger(landing, floor, rounding=0.01):
    """The projected landing ends below the floor (by more than half a unit of
    the currency's rounding). No floor, no danger."""
    if not floor or floor <= 0 or landing is None:
        return False
    return landing < floor - rounding / 2


def pace_lagging(pace_status):
    """The pace rule: *at risk* or *behind*."""
    return pace_status in (pace.AT_RISK, pace.BEHIND)


def completion_lagging(weeks, threshold, required):
    """Whether a salesperson's key-action completion was below ``threshold`` (a
    percentage) in each of the last ``required`` complete weeks.

    :param weeks: [(done, counted)] of the complete weeks, the latest first,
        counted as :mod:`.completion` defines them; a week with nothing due is
        (0, 0), and breaks the run (nothing due is no lag).
    The comparison is exact (done * 100 < threshold * counted): 7 of 10 is
    70.0 %, not below 70 %.
    """
    if required < 1:
        raise WarningError("bad_weeks", weeks=required)
    recent = list(weeks)[:required]
    if len(recent) < required:
        return False
    return all(
        completion.status(done, base, threshold) == completion.BELOW
        for done, base in recent
    )


def days_without_order(last_order_day, date_from, today):
    """Days since the owner's last confirmed order on or before ``today``; with
    none, since the day before the period started."""
    since = last_order_day if last_order_day else date_from - timedelta(days=1)
    return max((today - since).days, 0)


def silent(last_order_day, date_from, today, gap, days, rounding=0.01):
    """The silent rule: a gap still to close, and ``days`` or more since the
    last confirmed order."""
    if days < 1:
        raise WarningError("bad_days", days=days)
    if gap is None or gap < rounding / 2:
        return False
    return days_without_order(last_order_day, date_from, today) >= days


def escalation_chain(levels, top=HQ):
    """The ladder a subject's warning climbs: ``levels`` is [(role, [user ids])]
    from the subject's owner upwards, in the order of ``ROLES`` (the parent
    regions' managers nearest first). Empty levels are skipped, and so is a
    user met again higher up; the ladder stops at ``top``.

    :return: [(role, user id)], one rung per responsible.
    """
    if top not in TOPS:
        raise WarningError("bad_top", top=top)
    last = ROLES.index(top)
    chain, seen = [], set()
    for role, users in levels:
        if ROLES.index(role) > last:
            break
        for user in users:
            if user and user not in seen:
                seen.add(user)
                chain.append((role, user))
                break
    return chain


def next_step(open_warning, lagging, week, today):
    """What the weekly check of ``week`` (a Monday) does for one rule and subject.

    :param open_warning: None, or a dict with the warning's ``last_week`` (the
        Monday of its last check), ``state`` (open or acknowledged) and
        ``plan_date`` (by when its improvement plan is to work, or None).
    :param lagging: whether the subject lags at this check.
    :return: one of NOTHING, RAISE, CARRY, ESCALATE, RESOLVE.

    A warning checked this week already is left alone (a second run changes
    nothing). An acknowledged warning whose plan still runs is carried without
    climbing; once the plan's date has passed it climbs again.
    """
    if open_warning is None:
        return RAISE if lagging else NOTHING
    last = open_warning.get("last_week")
    if last and last >= week:
        return NOTHING
    if not lagging:
        return RESOLVE
    plan_date = open_warning.get("plan_date")
    if open_warning.get("state") == "acknowledged" and plan_date and plan_date >= today:
        return CARRY
    return ESCALATE


def climb(level, chain_length):
    """The level (1 = the owner's) a warning moves to when it escalates from
    ``level``: one rung up, at most the top of its ladder."""
    if chain_length < 1:
        return level
    return max(1, min(level + 1, chain_length))


def change(current, previous):
    """Week-on-week change of a figure (None when either is unknown)."""
    if current is None or previous is None or current is False or previous is False:
        return None
    return current - previous
