"""Gathering the forecast's inputs of a company as known at the end of a day.

Not a model: the live forecast (``sale.target._refresh_forecast``) and the
backtest (``sale.target.forecast.accuracy``) both call :func:`gather`, so the
backtest replays exactly what the live forecast does, on the data of the past.

The inputs are of two kinds:

- what the forecast learns from the company's history (:func:`fit`): the closed
  opportunities behind the win rates, the cycle times, the delays, how many years
  of history there are. Small once aggregated, and the same for every target: the
  live forecast keeps it an hour (:func:`fitted`, ``sale.target.forecast.fit``),
  so that the batches of a refresh do not learn it again;
- the documents still to come (:func:`documents`): open opportunities, orders to
  invoice, open receivables, last years' business without opportunity, of the
  owners of the targets forecast only.
"""

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

from ..queries import forecast as queries
from ..tools import forecast
from ..tools.actuals import COMPANY, TEAM, USER, key_parts
from ..tools.periods import day_numbers

# how long the fitted history is kept on the company for the live forecast
FIT_TTL = timedelta(hours=1)


def _frame(cr, query, columns):
    cr.execute(query)
    return pd.DataFrame(cr.fetchall(), columns=columns)


def _days(frame, column):
    """``column`` as day numbers, missing ones as NaN."""
    values = frame[column]
    result = np.full(len(frame), np.nan)
    present = values.notna().to_numpy()
    if present.any():
        result[present] = day_numbers(values[present])
    return result


def _ids(frame, columns):
    for column in columns:
        frame[column] = pd.to_numeric(frame[column]).fillna(0).astype(np.int64)
    return frame


def run_rate_years(first, today, years=forecast.RUN_RATE_YEARS):
    """How many of the past ``years`` years an order history starting on
    ``first`` covers (the same day ``k`` years back is after its first order)."""
    return sum(
        1
        for k in range(1, years + 1)
        if first is not None and first <= today - relativedelta(years=k)
    )


def owner_filter(owner_keys, company):
    """SQL condition on ``user_col`` / ``team_col`` keeping the documents of the
    owners in ``owner_keys`` (``tools.actuals`` keys), or None when a company
    target needs them all."""
    kinds, companies, records = key_parts(owner_keys["key"])
    mine = companies == company.id
    if (mine & (kinds == COMPANY)).any():
        return None
    users = sorted(set(records[mine & (kinds == USER)].tolist()))
    teams = sorted(set(records[mine & (kinds == TEAM)].tolist()))
    return {"users": tuple(users) or (0,), "teams": tuple(teams) or (0,)}


def fit(env, company, as_of):
    """What the forecast learns from ``company``'s history up to ``as_of``."""
    # the queries read the database: pending ORM writes must be in it
    env.flush_all()
    cr = env.cr
    closed = _frame(
        cr,
        queries.closed_opportunities_query(company, as_of),
        ["company", "team", "sequence", "won", "days"],
    )
    closed = _ids(closed, ["company", "team"])
    closed["won"] = closed["won"].astype(bool)
    team_cycles, company_cycles = forecast.median_cycles(
        closed.loc[closed["won"], ["company", "team", "days"]]
    )
    counted = (
        closed.groupby(["company", "team", "sequence", "won"])
        .size()
        .rename("count")
        .reset_index()
    )
    invoice_history = _ids(
        _frame(
            cr,
            queries.invoice_delays_query(company, as_of),
            ["company", "user", "team", "days", "weight"],
        ),
        ["user", "team"],
    )
    payment_history = _ids(
        _frame(
            cr,
            queries.payment_delays_query(company, as_of),
            ["company", "team", "partner", "late", "after", "weight"],
        ),
        ["team", "partner"],
    )
    cr.execute(queries.first_order_query(company))
    first = dict(cr.fetchall()).get(company.id)
    return {
        "closed": counted,
        "cycles": (team_cycles, company_cycles),
        "delays": forecast.delay_tables(invoice_history, payment_history),
        "years": run_rate_years(first, as_of + timedelta(days=1)),
    }


def _dump(model, as_of):
    team_cycles, company_cycles = model["cycles"]
    return {
        "day": as_of.isoformat(),
        "at": datetime.now().isoformat(),
        "closed": model["closed"].to_dict("list"),
        "team_cycles": [[c, t, d] for (c, t), d in team_cycles.items()],
        "company_cycles": [[c, d] for c, d in company_cycles.items()],
        "delays": {
            name: frame.to_dict("list") for name, frame in model["delays"].items()
        },
        "years": model["years"],
    }


def _load(stored):
    return {
        "closed": pd.DataFrame(stored["closed"]),
        "cycles": (
            {(c, t): d for c, t, d in stored["team_cycles"]},
            dict(stored["company_cycles"]),
        ),
        "delays": {
            name: pd.DataFrame(frame) for name, frame in stored["delays"].items()
        },
        "years": stored["years"],
    }


def fitted(env, company, today, force=False):
    """``fit`` as of ``today``, learnt at most ``FIT_TTL`` ago (learnt again when
    older, of another day, or when ``force``), see ``sale.target.forecast.fit``."""
    Fit = env["sale.target.forecast.fit"].sudo()
    stored = None
    if not force:
        stored = Fit._latest(company, today, datetime.now() - FIT_TTL)
    if stored:
        return _load(stored)
    model = fit(env, company, today)
    Fit._store(company, today, forecast.json_dumps(_dump(model, today)))
    return model


def latest_fit(env, company):
    """What the forecast learnt last for ``company`` (None if nothing)."""
    fits = (
        env["sale.target.forecast.fit"]
        .sudo()
        .search([("company_id", "=", company.id)], limit=1)
    )
    return fits.data if fits else None


def documents(env, company, as_of, horizon, years, owners=None):
    """The documents still to come of ``company`` as known at the end of
    ``as_of``, of ``owners`` only (see :func:`owner_filter`; all when None); the
    run-rate covers the days up to ``horizon``."""
    cr = env.cr
    crm_fields = env["ir.model.fields"]._get_ids("crm.lead")
    opportunities = _frame(
        cr,
        queries.opportunities_query(
            company,
            as_of,
            crm_fields["stage_id"],
            crm_fields["expected_revenue"],
            owners,
        ),
        [
            "id",
            "company",
            "user",
            "team",
            "sequence",
            "probability",
            "deadline",
            "created",
            "amount",
            "partner",
            "ordered",
        ],
    )
    opportunities["deadline"] = _days(opportunities, "deadline")
    opportunities["created"] = _days(opportunities, "created")
    opportunities["amount"] = opportunities["amount"].astype(float)
    opportunities["prospect"] = opportunities["partner"].where(
        ~opportunities["ordered"].astype(bool)
    )
    tomorrow = as_of + timedelta(days=1)
    run_rate = pd.DataFrame(
        columns=["company", "user", "team", "day", "amount", "year", "years"]
    )
    if years:
        history = _frame(
            cr,
            queries.run_rate_query(
                company,
                tomorrow - relativedelta(years=years),
                min(as_of, horizon - relativedelta(years=1)),
                owners,
            ),
            ["company", "user", "team", "day", "amount"],
        )
        history["day"] = day_numbers(history["day"]) if len(history) else []
        history["amount"] = history["amount"].astype(float)
        pieces = []
        for k in range(1, years + 1):
            start = day_numbers([tomorrow - relativedelta(years=k)])[0]
            stop = day_numbers([horizon - relativedelta(years=k)])[0]
            piece = history[(history["day"] >= start) & (history["day"] <= stop)]
            pieces.append(piece.assign(year=k))
        run_rate = pd.concat(pieces, ignore_index=True).assign(years=years)
    uninvoiced = _frame(
        cr,
        queries.uninvoiced_query(company, as_of, owners=owners),
        ["company", "user", "team", "day", "amount"],
    )
    uninvoiced["amount"] = uninvoiced["amount"].astype(float)
    receivables = _ids(
        _frame(
            cr,
            queries.receivables_query(company, as_of, owners),
            ["company", "user", "team", "partner", "due", "amount"],
        ),
        ["team", "partner"],
    )
    receivables["due"] = (
        day_numbers(receivables["due"]) if len(receivables) else np.array([], int)
    )
    receivables["amount"] = receivables["amount"].astype(float)
    return {
        "opportunities": opportunities,
        "run_rate": run_rate,
        "uninvoiced": uninvoiced,
        "receivables": receivables,
    }


def gather(env, company, as_of, horizon, owners=None, model=None):
    """All the inputs of ``tools.forecast.metric_parts`` for ``company`` as known
    at the end of ``as_of``: ``model`` (:func:`fit`, learnt now when not given)
    and the documents of ``owners``."""
    env.flush_all()
    model = model or fit(env, company, as_of)
    data = documents(env, company, as_of, horizon, model["years"], owners)
    team_cycles, company_cycles = model["cycles"]
    return {
        **data,
        "closed": model["closed"],
        "cycles": (team_cycles, company_cycles),
        "delays": model["delays"],
        "years": model["years"],
    }
