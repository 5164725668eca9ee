"""Gathering the forecast's inputs of some companies as known at the end of a day.

Not a model: the live forecast (``sale.target._refresh_forecast``) and the
backtest (``sale.target.forecast.accuracy``) both call :func:`gather`, so the
backtest replays exactly what the live forecast does, on the data of the past.
"""

from datetime import timedelta

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

from ..queries import forecast as queries
from ..tools import forecast
from ..tools.periods import day_numbers


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


def run_rate_years(first_orders, today, years=forecast.RUN_RATE_YEARS):
    """{company: how many of the past ``years`` years its order history covers}
    (the same day ``k`` years back is after its first order)."""
    result = {}
    for company, first in first_orders:
        result[company] = sum(
            1
            for k in range(1, years + 1)
            if first is not None and first <= today - relativedelta(years=k)
        )
    return result


def gather(env, companies, as_of, horizon):
    """The forecast's inputs (``tools.forecast.metric_parts``) for ``companies``
    as known at the end of ``as_of``; the run-rate covers the days up to
    ``horizon``. Also ``years``: {company: years of run-rate history}."""
    cr = env.cr
    env.flush_all()
    crm_fields = env["ir.model.fields"]._get_ids("crm.lead")
    opportunities = _frame(
        cr,
        queries.opportunities_query(
            companies,
            as_of,
            crm_fields["stage_id"],
            crm_fields["expected_revenue"],
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
    closed = _frame(
        cr,
        queries.closed_opportunities_query(companies, as_of),
        ["company", "team", "sequence", "won", "days"],
    )
    won = closed.loc[closed["won"].astype(bool), ["company", "team", "days"]].copy()
    won["team"] = pd.to_numeric(won["team"]).fillna(0).astype(np.int64)

    cr.execute(queries.first_order_query(companies))
    years = run_rate_years(cr.fetchall(), as_of + timedelta(days=1))
    tomorrow = as_of + timedelta(days=1)
    most = max(years.values(), default=0)
    run_rate = pd.DataFrame(
        columns=["company", "user", "team", "day", "amount", "year", "years"]
    )
    if most:
        history = _frame(
            cr,
            queries.run_rate_query(
                companies,
                tomorrow - relativedelta(years=most),
                min(as_of, horizon - relativedelta(years=1)),
            ),
            ["company", "user", "team", "day", "amount"],
        )
        history["day"] = day_numbers(history["day"]) if len(history) else []
        history["amount"] = history["amount"].astype(float)
        pieces = []
        for k in range(1, most + 1):
            start = day_numbers([tomorrow - relativedelta(years=k)])[0]
            stop = day_numbers([horizon - relativedelta(years=k)])[0]
            piece = history[(history["day"] >= start) & (history["day"] <= stop)]
            pieces.append(piece.assign(year=k))
        run_rate = pd.concat(pieces, ignore_index=True)
        run_rate["years"] = run_rate["company"].map(years).fillna(0).astype(int)

    uninvoiced = _frame(
        cr,
        queries.uninvoiced_query(companies, as_of),
        ["company", "user", "team", "day", "amount"],
    )
    uninvoiced["amount"] = uninvoiced["amount"].astype(float)
    receivables = _frame(
        cr,
        queries.receivables_query(companies, as_of),
        ["company", "user", "team", "partner", "due", "amount"],
    )
    receivables["due"] = (
        day_numbers(receivables["due"]) if len(receivables) else np.array([], int)
    )
    receivables["amount"] = receivables["amount"].astype(float)
    invoice_history = _frame(
        cr,
        queries.invoice_delays_query(companies, as_of),
        ["company", "user", "team", "days", "weight"],
    )
    payment_history = _frame(
        cr,
        queries.payment_delays_query(companies, as_of),
        ["company", "team", "partner", "late", "after", "weight"],
    )
    for frame, columns in (
        (invoice_history, ["user", "team"]),
        (payment_history, ["team", "partner"]),
        (receivables, ["team", "partner"]),
    ):
        for column in columns:
            frame[column] = pd.to_numeric(frame[column]).fillna(0).astype(np.int64)
    return {
        "opportunities": opportunities,
        "closed": closed,
        "won": won,
        "run_rate": run_rate,
        "uninvoiced": uninvoiced,
        "receivables": receivables,
        "delays": forecast.delay_tables(invoice_history, payment_history),
        "years": years,
    }
