"""Action plans: when the next action of a pack line falls due, which week bucket
an action sits in on the board, and the weekly completion rate of key actions.

No ORM here: the models gather activities with grouped queries and store what
these functions return.

Completion rate of a week (关键动作达成率)::

    rate = done in the week / (due in the week + done in the week but due another week)

An action due in a week and not done by its end counts against that week
(*missed*). An action done late counts as done in the week it was done (and adds
to that week's base, so a rate never goes over 100%); its own due week keeps it
as missed. An action done before its due week counts in the week it was done
only (it is no longer due in its own week).
"""

from datetime import timedelta

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

from .periods import day_array

FREQUENCY_UNITS = ("days", "weeks", "months")
BUCKETS = ("overdue", "this_week", "next_week", "later")


class ActionError(Exception):
    def __init__(self, code, **values):
        super().__init__(code)
        self.code = code
        self.values = values


def frequency_delta(number, unit):
    """The relativedelta of "every ``number`` ``unit``"."""
    if unit not in FREQUENCY_UNITS:
        raise ActionError("bad_unit", unit=unit)
    if number < 1:
        raise ActionError("bad_frequency", number=number)
    return relativedelta(**{unit: int(number)})


def next_due(number, unit, last_done, started, today):
    """When the next action of a line falls due.

    After a done one, one period after the day it was done (in the past when the
    customer is already late again). Before any, one period after the plan
    started (the stage's confirmation), but not before ``today``: an action is
    never created overdue for a period nobody was asked to work in.
    """
    delta = frequency_delta(number, unit)
    if last_done:
        return last_done + delta
    return max(today, (started or today) + delta)


def week_start(day):
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def is_early(deadline, today):
    """An action due in a later week than ``today``'s: done now only with a
    reason."""
    return bool(deadline) and week_start(deadline) > week_start(today)


def bucket(deadline, today):
    """Board column of an open action due on ``deadline``."""
    if deadline < today:
        return "overdue"
    monday = week_start(today)
    if deadline < monday + timedelta(days=7):
        return "this_week"
    if deadline < monday + timedelta(days=14):
        return "next_week"
    return "later"


def completion_by_week(actions, weeks, today=None):
    """Completion figures per (user, company, week).

    :param actions: DataFrame of key actions with ``user``, ``company``,
        ``deadline`` (date) and ``done`` (date, missing while open).
    :param weeks: the Mondays to compute.
    :param today: for the week in progress, actions falling due after ``today``
        are not due yet (neither due nor missed); a done one counts as done.
    :return: DataFrame with ``user``, ``company``, ``week``, ``due``, ``done``,
        ``done_on_time``, ``done_late``, ``done_early``, ``missed``, ``base`` and
        ``rate`` (0..1, NaN when the base is 0). Rows only where ``base`` > 0.
    """
    columns = [
        "user",
        "company",
        "week",
        "due",
        "done",
        "done_on_time",
        "done_late",
        "done_early",
        "missed",
        "base",
        "rate",
    ]
    if actions.empty or not len(weeks):
        return pd.DataFrame(columns=columns)
    deadline = day_array(actions["deadline"])
    done = day_array(actions["done"])
    has_done = ~np.isnat(done)
    if today is not None:
        # not yet due: only a done one counts (as done early)
        upcoming = (deadline > np.datetime64(today, "D")) & ~has_done
        deadline = deadline.copy()
        deadline[upcoming] = np.datetime64("NaT")
    frames = []
    for monday in sorted(set(weeks)):
        start = np.datetime64(monday, "D")
        end = start + 7  # exclusive
        # an action already done before its due week was counted when done
        due = (deadline >= start) & (deadline < end) & ~(has_done & (done < start))
        done_in = has_done & (done >= start) & (done < end)
        late = done_in & (deadline < start)
        early = done_in & (deadline >= end)
        on_time = done_in & due
        missed = due & ~(has_done & (done < end))
        frame = pd.DataFrame(
            {
                "user": actions["user"].to_numpy(),
                "company": actions["company"].to_numpy(),
                "due": due.astype(int),
                "done": done_in.astype(int),
                "done_on_time": on_time.astype(int),
                "done_late": late.astype(int),
                "done_early": early.astype(int),
                "missed": missed.astype(int),
            }
        )
        frame = frame[(frame["due"] + frame["done"]) > 0]
        if frame.empty:
            continue
        grouped = frame.groupby(["user", "company"], as_index=False).sum()
        grouped["week"] = monday
        frames.append(grouped)
    if not frames:
        return pd.DataFrame(columns=columns)
    result = pd.concat(frames, ignore_index=True)
    result["base"] = result["due"] + result["done_late"] + result["done_early"]
    result["rate"] = result["done"] / result["base"].where(result["base"] > 0)
    return result[columns]


def weeks_between(first, last):
    """The Mondays of the weeks from ``first`` to ``last`` included."""
    monday = week_start(first)
    result = []
    while monday <= last:
        result.append(monday)
        monday += timedelta(days=7)
    return result
