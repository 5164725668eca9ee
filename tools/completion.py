"""The weekly key-action rate (关键动作达成率): one definition for the board, the
war room, the lag warning and the review.

No ORM here: the model gathers the key actions with one grouped query and these
functions count them.

An action belongs to the week of its deadline (Monday to Sunday), whenever it is
done:

- it is *counted* in that week once the week has reached its deadline (due on or
  before today), or, in the week in progress, as soon as it is done (done early
  in its own week counts at once);
- it is *done* (on time) when it was done by the end of that week; done later it
  is *done late*: it no longer counts as missed work in another week, and its
  own week keeps it as not done, so a closed week's rate never changes;
- an action due in a later week counts in that week only, done or not: an
  action due next April done today does not count this week.

The rate of a week is done over counted. A week with nothing counted has no
rate: it reads "nothing due", is never 0 %, and never lags.
"""

from collections import namedtuple
from datetime import timedelta

NOTHING_DUE, BELOW, MET = "nothing_due", "below", "met"

Week = namedtuple("Week", "counted done done_late done_early missed")
EMPTY = Week(0, 0, 0, 0, 0)


def week_of(day):
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def classify(deadline, done, today):
    """How one key action counts: (Monday of its week, counted, done on time,
    done late, done early), or None when it does not count (yet).

    :param deadline: its due date.
    :param done: the day it was done, or None while open.
    :param today: the day of the count.
    """
    monday = week_of(deadline)
    sunday = monday + timedelta(days=6)
    counted = deadline <= today or (bool(done) and monday == week_of(today))
    if not counted:
        return None
    on_time = bool(done) and done <= sunday
    late = bool(done) and done > sunday
    early = on_time and done < monday
    return monday, on_time, late, early


def weekly(actions, today):
    """{(key, Monday): Week} of ``actions``.

    :param actions: iterable of (key, deadline, done day or None, number of such
        actions); ``key`` is whatever groups them (a salesperson, a company...).
    :param today: the day of the count.
    Weeks with nothing counted are left out.
    """
    weeks = {}
    for key, deadline, done, number in actions:
        how = classify(deadline, done, today)
        if how is None:
            continue
        monday, on_time, late, early = how
        counted, done_n, late_n, early_n, missed = weeks.get((key, monday), EMPTY)
        weeks[(key, monday)] = Week(
            counted + number,
            done_n + number * on_time,
            late_n + number * late,
            early_n + number * early,
            missed + number * (not on_time),
        )
    return weeks


def total(weeks):
    """The sum of several ``Week`` (a team, several weeks)."""
    weeks = list(weeks)
    return Week(*(sum(week[i] for week in weeks) for i in range(len(EMPTY))))


def rate(done, counted):
    """Done over counted, in percent to one decimal; None when nothing is
    counted (nothing due is not 0 %)."""
    if not counted:
        return None
    return round(100.0 * done / counted, 1)


def status(done, counted, threshold):
    """NOTHING_DUE, BELOW or MET: whether a week lags against ``threshold`` (a
    percentage). Exact: 7 of 10 is 70 %, not below 70 %."""
    if not counted:
        return NOTHING_DUE
    return BELOW if done * 100.0 < threshold * counted else MET
