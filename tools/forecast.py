"""Where a target will land, and the next weeks of each metric, as pure maths.

A forecast is the achieved amount plus *parts*: future amounts that may still
arrive in the period. A part has a salesperson, a team and a company (so that it is
attributed to targets by the same keys as the actuals, ``tools.actuals``), an
amount, a probability and three days on which it may arrive: the most likely one
(``point``), an early one and a late one. Parts come from three places:

- ``committed``: documents already there that will turn into the metric (confirmed
  orders not yet invoiced, open receivables), certain but not their timing;
- ``pipeline``: open CRM opportunities, weighted by a win rate calibrated on the
  team's closed opportunities rather than the stage's nominal probability;
- ``run_rate``: business that arrives without an opportunity, from the owner's
  documents over the same days of the past years.

Each day is moved by the historical delay between one step and the next (order to
invoice, due date to payment) and never falls before tomorrow: what is late is
expected from tomorrow on.

The range: ``low`` takes every delay one standard deviation longer, every win rate
one standard error lower, the lowest of the past years for the run-rate, and then
removes 1.28 standard deviations of the outcome of the uncertain parts (each won or
lost on its own, as independent draws: an 80 % two-sided range); ``high`` mirrors
it, and never exceeds everything arriving in the period. So ``achieved <= low <=
forecast <= high`` always holds.

Days are integer day numbers (``periods.day_numbers``) throughout.
"""

import json
import math

import numpy as np
import pandas as pd

from .actuals import document_key_rows, owner_sums_many
from .periods import day_numbers

COMMITTED, PIPELINE, RUN_RATE = "committed", "pipeline", "run_rate"
COMPONENTS = (COMMITTED, PIPELINE, RUN_RATE)
# z of a two-sided 80 % interval of the normal law
Z_80 = 1.2816
# fewer closed opportunities than this, and the next wider group's rate is used
MIN_CLOSED = 5
# fewer won opportunities than this, and the team's cycle time is not trusted
MIN_CYCLES = 3
# fewer paid documents than this, and a customer's (or salesperson's) own delay is
# not trusted: the team's is used
MIN_DELAYS = 3
# receivables overdue by more than this many days are doubtful: not forecast
DOUBTFUL_DAYS = 180
# past years whose same days make the run-rate
RUN_RATE_YEARS = 2
# the weekly forecast: 13 weeks from tomorrow, about 90 days
WEEKS = 13

PART_COLUMNS = [
    "company",
    "user",
    "team",
    "component",
    "year",
    "amount",
    "p",
    "p_low",
    "p_high",
    "point",
    "early",
    "late",
    "calibrated",
]


def empty_parts():
    return pd.DataFrame({column: [] for column in PART_COLUMNS})


# ----------------------------------------------------------------------------
# Calibration
# ----------------------------------------------------------------------------
def win_rates(opportunities, closed, min_closed=MIN_CLOSED):
    """The calibrated win probability of each open opportunity.

    :param opportunities: DataFrame ``company``, ``team``, ``sequence`` (of its
        stage) and ``probability`` (its nominal one, in %).
    :param closed: DataFrame ``company``, ``team``, ``sequence`` (of the stage it
        was closed in) and ``won`` (bool), the closed opportunities to learn from,
        and optionally ``count`` (how many closed alike: one per row by default).
    :return: DataFrame aligned with ``opportunities``: ``rate`` (0..1), ``closed``
        (how many closed opportunities it rests on) and ``source``: ``team``,
        ``company`` or ``nominal``.

    An opportunity reached a stage when it was won (it went through them all) or
    was lost in that stage or a later one: the rate at a stage is won / (won +
    lost at that stage or later), over the team's closed opportunities, else over
    the company's when the team has fewer than ``min_closed``, else the
    opportunity's own nominal probability.
    """
    count = len(opportunities)
    rate = np.zeros(count)
    support = np.zeros(count, dtype=np.int64)
    source = np.full(count, "nominal", dtype=object)
    decided = np.zeros(count, dtype=bool)
    seq = opportunities["sequence"].to_numpy(dtype=float)
    open_groups = pd.DataFrame(
        {
            "company": opportunities["company"].to_numpy(dtype=np.int64),
            "team": pd.to_numeric(opportunities["team"]).fillna(0).to_numpy(np.int64),
        }
    )
    closed_groups = pd.DataFrame(
        {
            "company": closed["company"].to_numpy(dtype=np.int64),
            "team": pd.to_numeric(closed["team"]).fillna(0).to_numpy(np.int64),
            "sequence": closed["sequence"].to_numpy(dtype=float),
            "won": closed["won"].to_numpy(dtype=bool),
            "count": (
                closed["count"].to_numpy(dtype=np.int64)
                if "count" in closed
                else np.ones(len(closed), dtype=np.int64)
            ),
        }
    )
    for level, by in (("team", ["company", "team"]), ("company", ["company"])):
        if closed_groups.empty:
            break
        history = {}
        for key, group in closed_groups.groupby(by):
            lost = group.loc[~group["won"]].sort_values("sequence")
            history[key if isinstance(key, tuple) else (key,)] = (
                int(group.loc[group["won"], "count"].sum()),
                lost["sequence"].to_numpy(),
                # lost at that stage or later: counted from the end
                np.concatenate([np.cumsum(lost["count"].to_numpy()[::-1])[::-1], [0]]),
            )
        for key, index in open_groups.groupby(by).indices.items():
            key = key if isinstance(key, tuple) else (key,)
            if key not in history:
                continue
            index = index[~decided[index]]
            won, lost_seq, lost_from = history[key]
            lost_later = lost_from[np.searchsorted(lost_seq, seq[index], "left")]
            n = won + lost_later
            ok = n >= min_closed
            index = index[ok]
            rate[index] = won / n[ok]
            support[index] = n[ok]
            source[index] = level
            decided[index] = True
    nominal = ~decided
    rate[nominal] = (
        opportunities["probability"].to_numpy(dtype=float)[nominal].clip(0, 100) / 100
    )
    return pd.DataFrame({"rate": rate, "closed": support, "source": source})


def rate_spread(rate, support):
    """(low, high) of win rates: one standard error of a proportion measured on
    ``support`` closed opportunities (a nominal rate, on none, counts as one)."""
    rate = np.asarray(rate, dtype=float)
    n = np.maximum(np.asarray(support, dtype=float), 1.0)
    error = np.sqrt(rate * (1 - rate) / n)
    return np.clip(rate - error, 0, 1), np.clip(rate + error, 0, 1)


# ----------------------------------------------------------------------------
# Delays
# ----------------------------------------------------------------------------
def delay_stats(history, by, min_count=MIN_DELAYS):
    """Weighted mean and standard deviation of delays per group.

    :param history: DataFrame with the ``by`` columns, ``days`` and ``weight``.
    :return: DataFrame ``by`` + ``mean``, ``sd``, ``count``, groups with at least
        ``min_count`` rows only.
    """
    columns = [*by, "mean", "sd", "count"]
    if history.empty:
        return pd.DataFrame(columns=columns)
    frame = history[[*by, "days", "weight"]].copy()
    frame["weight"] = frame["weight"].astype(float).abs().clip(lower=1e-9)
    frame["wd"] = frame["weight"] * frame["days"]
    frame["wdd"] = frame["weight"] * frame["days"] ** 2
    grouped = frame.groupby(by, dropna=False).agg(
        w=("weight", "sum"),
        wd=("wd", "sum"),
        wdd=("wdd", "sum"),
        count=("days", "size"),
    )
    grouped["mean"] = grouped["wd"] / grouped["w"]
    variance = (grouped["wdd"] / grouped["w"] - grouped["mean"] ** 2).clip(lower=0)
    grouped["sd"] = np.sqrt(variance)
    grouped = grouped[grouped["count"] >= min_count].reset_index()
    return grouped[columns]


def lookup_delays(frame, levels, default=0.0):
    """The delay (mean, sd) of each row of ``frame``, from the first level that
    knows it: ``levels`` is a list of (columns, stats) from the finest group to
    the widest; rows no level knows get ``default`` days and no spread.

    :return: (mean, sd) numpy arrays aligned with ``frame``.
    """
    mean = np.full(len(frame), np.nan)
    sd = np.full(len(frame), np.nan)
    for columns, stats in levels:
        if stats.empty or not np.isnan(mean).any():
            continue
        merged = (
            frame[columns]
            .reset_index(drop=True)
            .merge(stats[[*columns, "mean", "sd"]], on=columns, how="left")
        )
        todo = np.isnan(mean)
        mean[todo] = merged["mean"].to_numpy(dtype=float)[todo]
        sd[todo] = merged["sd"].to_numpy(dtype=float)[todo]
    missing = np.isnan(mean)
    mean[missing] = default
    sd[missing] = 0.0
    return mean, sd


def shift(days, mean, sd, tomorrow):
    """(point, early, late) arrival days of documents dated ``days`` after a delay
    of ``mean`` days, one standard deviation ``sd`` either side; none before
    ``tomorrow``."""
    days = np.asarray(days, dtype=np.int64)
    mean = np.asarray(mean, dtype=float)
    sd = np.asarray(sd, dtype=float)
    point = days + np.rint(mean).astype(np.int64)
    early = days + np.rint(np.maximum(mean - sd, 0)).astype(np.int64)
    late = days + np.rint(mean + sd).astype(np.int64)
    return (
        np.maximum(point, tomorrow),
        np.maximum(early, tomorrow),
        np.maximum(late, tomorrow),
    )


def median_cycles(won, min_count=MIN_CYCLES):
    """Median days from creation to win: ({(company, team): days}, {company: days})
    for groups with at least ``min_count`` won opportunities.

    :param won: DataFrame ``company``, ``team``, ``days``.
    """
    if won.empty:
        return {}, {}
    team = won.groupby(["company", "team"])["days"].agg(["median", "size"])
    company = won.groupby("company")["days"].agg(["median", "size"])
    return (
        {k: float(v) for k, v in team.loc[team["size"] >= min_count, "median"].items()},
        {
            int(k): float(v)
            for k, v in company.loc[company["size"] >= min_count, "median"].items()
        },
    )


# ----------------------------------------------------------------------------
# Parts of each metric
# ----------------------------------------------------------------------------
def pipeline_parts(opportunities, closed, cycles, today, value="amount"):
    """Revenue parts of open opportunities.

    :param opportunities: DataFrame ``company``, ``user``, ``team``, ``sequence``,
        ``probability``, ``deadline`` (day number or NaN), ``created`` (day number)
        and the ``value`` column (expected revenue, company currency).
    :param closed: see :func:`win_rates`.
    :param cycles: median days from creation to win, ({(company, team): days},
        {company: days}), see :func:`median_cycles`.

    An opportunity is expected on its expected closing day, or, without one, at
    the team's median cycle time after its creation (the company's when the team
    has too few wins; tomorrow when nobody has any); a day already past means
    tomorrow.
    """
    if opportunities.empty:
        return empty_parts()
    tomorrow = day_numbers([today])[0] + 1
    rates = win_rates(opportunities, closed)
    p_low, p_high = rate_spread(rates["rate"], rates["closed"])
    team_cycles, company_cycles = cycles
    deadline = pd.to_numeric(opportunities["deadline"]).to_numpy(dtype=float)
    created = opportunities["created"].to_numpy(dtype=float)
    teams = pd.to_numeric(opportunities["team"]).fillna(0).astype(np.int64)
    cycle = np.array(
        [
            team_cycles.get((c, t), company_cycles.get(c, np.nan))
            for c, t in zip(
                opportunities["company"].astype(np.int64), teams, strict=True
            )
        ],
        dtype=float,
    )
    day = np.where(
        np.isnan(deadline),
        np.where(np.isnan(cycle), tomorrow, created + np.nan_to_num(cycle)),
        deadline,
    )
    day = np.maximum(np.rint(day).astype(np.int64), tomorrow)
    return pd.DataFrame(
        {
            "company": opportunities["company"].to_numpy(),
            "user": opportunities["user"].to_numpy(),
            "team": opportunities["team"].to_numpy(),
            "component": PIPELINE,
            "year": 0,
            "amount": opportunities[value].to_numpy(dtype=float),
            "p": rates["rate"].to_numpy(),
            "p_low": p_low,
            "p_high": p_high,
            "point": day,
            "early": day,
            "late": day,
            "calibrated": (rates["source"] != "nominal").to_numpy(),
        }
    )


def new_customer_parts(opportunities, closed, cycles, today):
    """New-customer parts: one per prospect (an opportunity's partner who never
    ordered, or an opportunity without partner), its chance of signing being that
    at least one of its opportunities is won.

    :param opportunities: as for :func:`pipeline_parts` plus ``prospect`` (the
        commercial partner id, NaN when the opportunity has none).
    """
    if opportunities.empty:
        return empty_parts()
    parts = pipeline_parts(
        opportunities.assign(one=1.0), closed, cycles, today, value="one"
    )
    prospect = pd.to_numeric(opportunities["prospect"]).to_numpy(dtype=float)
    # opportunities without a partner are prospects of their own
    parts["prospect"] = np.where(
        np.isnan(prospect), -np.arange(1, len(parts) + 1), prospect
    )
    parts["miss"] = 1 - parts["p"]
    parts["miss_low"] = 1 - parts["p_low"]
    parts["miss_high"] = 1 - parts["p_high"]
    # the most likely opportunity of each prospect speaks for its owner and day
    parts = parts.sort_values(["prospect", "p"], ascending=[True, False])
    grouped = parts.groupby("prospect", sort=False)
    first = grouped.head(1).set_index("prospect")
    first["p"] = 1 - grouped["miss"].prod()
    first["p_low"] = 1 - grouped["miss_low"].prod()
    first["p_high"] = 1 - grouped["miss_high"].prod()
    first["calibrated"] = grouped["calibrated"].all()
    return first.reset_index()[PART_COLUMNS]


def run_rate_parts(history, today):
    """Parts of business without an opportunity: the owner's documents of the
    same days some years back, each year weighing 1 / the number of years its
    company has.

    :param history: DataFrame ``company``, ``user``, ``team``, ``day`` (day
        number), ``amount``, ``year`` (how many years back) and ``years`` (how many
        years of its company count); only rows whose day, moved forward, is after
        today count.
    """
    if history.empty:
        return empty_parts()
    tomorrow = day_numbers([today])[0] + 1
    moved = day_numbers(
        [
            _add_years(day, year)
            for day, year in zip(
                history["day"].to_numpy(), history["year"].to_numpy(), strict=True
            )
        ]
    )
    keep = (moved >= tomorrow) & (
        history["year"].to_numpy() <= history["years"].to_numpy()
    )
    frame = history.loc[keep]
    moved = moved[keep]
    share = 1.0 / frame["years"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "company": frame["company"].to_numpy(),
            "user": frame["user"].to_numpy(),
            "team": frame["team"].to_numpy(),
            "component": RUN_RATE,
            "year": frame["year"].to_numpy(dtype=np.int64),
            "amount": frame["amount"].to_numpy(dtype=float),
            "p": share,
            "p_low": share,
            "p_high": share,
            "point": moved,
            "early": moved,
            "late": moved,
            "calibrated": True,
        }
    )


def _add_years(day, years):
    """Day number ``day`` moved ``years`` years later (29 February -> 28)."""
    value = np.datetime64(int(day), "D").astype(object)
    try:
        moved = value.replace(year=value.year + int(years))
    except ValueError:
        moved = value.replace(year=value.year + int(years), day=28)
    return moved


def committed_parts(documents, mean, sd, today):
    """Certain parts (orders to invoice, receivables) of ``documents``
    (``company``, ``user``, ``team``, ``day``, ``amount``), each arriving after
    its delay (``mean``, ``sd`` arrays aligned with it)."""
    if documents.empty:
        return empty_parts()
    tomorrow = day_numbers([today])[0] + 1
    point, early, late = shift(day_numbers(documents["day"]), mean, sd, tomorrow)
    return pd.DataFrame(
        {
            "company": documents["company"].to_numpy(),
            "user": documents["user"].to_numpy(),
            "team": documents["team"].to_numpy(),
            "component": COMMITTED,
            "year": 0,
            "amount": documents["amount"].to_numpy(dtype=float),
            "p": 1.0,
            "p_low": 1.0,
            "p_high": 1.0,
            "point": point,
            "early": early,
            "late": late,
            "calibrated": True,
        }
    )


def delayed(parts, mean, sd, today):
    """``parts`` arriving one step later (revenue becoming invoices, invoices
    becoming cash): each of its days moved by its delay (``mean``, ``sd`` aligned
    with ``parts``); the early day moves by the shortest delay, the late one by
    the longest."""
    if parts.empty:
        return parts.copy()
    tomorrow = day_numbers([today])[0] + 1
    moved = parts.copy()
    moved["point"] = shift(parts["point"], mean, sd, tomorrow)[0]
    moved["early"] = shift(parts["early"], mean, sd, tomorrow)[1]
    moved["late"] = shift(parts["late"], mean, sd, tomorrow)[2]
    return moved


def doubtful(receivables, today, days=DOUBTFUL_DAYS):
    """Mask of receivables (``due`` day numbers) overdue by more than ``days``."""
    return day_numbers([today])[0] - receivables["due"].to_numpy(dtype=np.int64) > days


def _delays(frame, stats, levels, default=0.0):
    """(mean, sd) of each row of ``frame`` from ``stats`` (a dict of delay_stats
    frames by name) looked up at ``levels`` [(columns, name)], finest first."""
    return lookup_delays(
        frame, [(columns, stats[name]) for columns, name in levels], default
    )


INVOICE_LEVELS = [
    (["company", "user"], "invoice_user"),
    (["company", "team"], "invoice_team"),
    (["company"], "invoice_company"),
]
LATE_LEVELS = [
    (["company", "partner"], "late_partner"),
    (["company", "team"], "late_team"),
    (["company"], "late_company"),
]
PAY_LEVELS = [(["company", "team"], "pay_team"), (["company"], "pay_company")]


def delay_tables(invoice_history, payment_history):
    """The delay statistics every metric looks up (see :func:`metric_parts`).

    :param invoice_history: DataFrame ``company``, ``user``, ``team``, ``days``
        (order day to invoice day), ``weight`` (invoiced amount).
    :param payment_history: DataFrame ``company``, ``team``, ``partner``,
        ``late`` (payment day less due day), ``after`` (payment day less invoice
        day), ``weight`` (amount paid).
    """
    late = payment_history.rename(columns={"late": "days"})
    after = payment_history.rename(columns={"after": "days"})
    return {
        "invoice_user": delay_stats(invoice_history, ["company", "user"]),
        "invoice_team": delay_stats(invoice_history, ["company", "team"]),
        "invoice_company": delay_stats(invoice_history, ["company"]),
        "late_partner": delay_stats(late, ["company", "partner"]),
        "late_team": delay_stats(late, ["company", "team"]),
        "late_company": delay_stats(late, ["company"]),
        "pay_team": delay_stats(after, ["company", "team"]),
        "pay_company": delay_stats(after, ["company"]),
    }


def _ids(frame, columns):
    """``frame``'s id columns as integers (missing ones as 0) for lookups."""
    return pd.DataFrame(
        {c: pd.to_numeric(frame[c]).fillna(0).to_numpy(np.int64) for c in columns}
    )


def metric_parts(metric, data, today):
    """The parts of one metric's forecast, from gathered ``data``.

    :param data: dict of DataFrames: ``opportunities`` and ``closed`` (see
        :func:`pipeline_parts`, :func:`win_rates`), ``cycles`` (:func:`median_cycles`),
        ``run_rate`` (see :func:`run_rate_parts`), ``uninvoiced`` (confirmed
        orders' amounts still to invoice: ``company``, ``user``, ``team``,
        ``day``, ``amount``), ``receivables`` (open customer invoices:
        ``company``, ``user``, ``team``, ``partner``, ``due``, ``amount``) and
        ``delays`` (:func:`delay_tables`).
    :return: (parts, doubtful receivables).

    - revenue: open opportunities + the run-rate;
    - invoiced: orders still to invoice, each after its salesperson's order to
      invoice delay (their team's, their company's), and the revenue parts after
      the same delay;
    - collected: open receivables on their due day moved by the customer's
      average days late (the team's for customers without history), those
      overdue by more than 180 days doubtful and left out, and the invoiced
      parts after the team's invoice to payment delay;
    - new customers: prospects (partners who never ordered) by the chance that
      one of their opportunities is won.
    """
    nothing = data["receivables"].iloc[0:0]
    opportunities = data["opportunities"]
    if metric == "new_customers":
        prospects = opportunities[
            opportunities["prospect"].notna() | opportunities["partner"].isna()
        ]
        return new_customer_parts(
            prospects, data["closed"], data["cycles"], today
        ), nothing
    revenue = pd.concat(
        [
            pipeline_parts(opportunities, data["closed"], data["cycles"], today),
            run_rate_parts(data["run_rate"], today),
        ],
        ignore_index=True,
    )
    if metric == "revenue":
        return revenue, nothing
    delays = data["delays"]
    uninvoiced = data["uninvoiced"]
    mean, sd = _delays(
        _ids(uninvoiced, ["company", "user", "team"]), delays, INVOICE_LEVELS
    )
    orders = committed_parts(uninvoiced, mean, sd, today)
    mean, sd = _delays(
        _ids(revenue, ["company", "user", "team"]), delays, INVOICE_LEVELS
    )
    invoiced = pd.concat([orders, delayed(revenue, mean, sd, today)], ignore_index=True)
    if metric == "invoiced":
        return invoiced, nothing
    receivables = data["receivables"]
    bad = doubtful(receivables, today)
    good = receivables.loc[~bad].rename(columns={"due": "day"})
    mean, sd = _delays(_ids(good, ["company", "team", "partner"]), delays, LATE_LEVELS)
    cash = committed_parts(good, mean, sd, today)
    mean, sd = _delays(_ids(invoiced, ["company", "team"]), delays, PAY_LEVELS)
    paid = delayed(invoiced, mean, sd, today)
    # orders to invoice become certain cash, forecast revenue stays uncertain
    return pd.concat([cash, paid], ignore_index=True), receivables.loc[bad]


# ----------------------------------------------------------------------------
# From parts to targets
# ----------------------------------------------------------------------------
def _value_rows(parts, day_column, values):
    data = pd.DataFrame(
        {
            "company": parts["company"].to_numpy(),
            "user": parts["user"].to_numpy(),
            "team": parts["team"].to_numpy(),
            "day": parts[day_column].to_numpy(dtype=np.int64),
            **values,
        }
    )
    return document_key_rows(data, tuple(values))


def landings(achieved, parts, owners, owner_keys, years=None):
    """Forecast, low and high of each owner, and the parts they are made of.

    :param achieved: achieved amounts aligned with ``owners``.
    :param parts: parts frame (``PART_COLUMNS``).
    :param owners: DataFrame ``target``, ``start``, ``end``: the days still to
        come of each target's period (start after end when none is left).
    :param owner_keys: DataFrame ``target``, ``key`` (``tools.actuals``).
    :param years: how many past years make each owner's run-rate (aligned with
        ``owners``; ``RUN_RATE_YEARS`` for all by default): its low and high are
        the lowest and highest of those years.
    :return: DataFrame aligned with ``owners``: ``forecast``, ``low``, ``high``,
        one column per component and ``uncalibrated`` (the expected amount resting
        on nominal probabilities).
    """
    achieved = np.asarray(achieved, dtype=float)
    result = pd.DataFrame(
        {
            "forecast": achieved.copy(),
            "low": achieved.copy(),
            "high": achieved.copy(),
            **{component: np.zeros(len(owners)) for component in COMPONENTS},
            "uncalibrated": np.zeros(len(owners)),
        }
    )
    if parts.empty or owners.empty:
        return result
    amount = parts["amount"].to_numpy(dtype=float)
    p = parts["p"].to_numpy(dtype=float)
    component = parts["component"].to_numpy()
    is_run = component == RUN_RATE
    year = parts["year"].to_numpy(dtype=np.int64)
    single = np.where(is_run, 0.0, 1.0)
    values = {
        component_name: np.where(component == component_name, amount * p, 0.0)
        for component_name in COMPONENTS
    }
    values["uncalibrated"] = np.where(
        ~parts["calibrated"].to_numpy(dtype=bool), amount * p, 0.0
    )
    point = owner_sums_many(
        _value_rows(parts, "point", values), owners, owner_keys, tuple(values)
    )
    for i, name in enumerate(values):
        result[name] = point[:, i]
    result["forecast"] = achieved + point[:, : len(COMPONENTS)].sum(axis=1)

    owner_years = (
        np.full(len(owners), RUN_RATE_YEARS)
        if years is None
        else np.asarray(years, dtype=np.int64)
    )
    most = max(int(owner_years.max(initial=0)), int(year.max(initial=0)), 1)
    counted = np.arange(1, most + 1)[None, :] <= owner_years[:, None]

    def bound(day_column, p_column, pick, empty):
        chance = parts[p_column].to_numpy(dtype=float)
        columns = {
            "expected": single * amount * chance,
            "variance": single * amount**2 * p * (1 - p),
            "cap": single * amount,
        }
        for k in range(1, most + 1):
            columns[f"year{k}"] = np.where(is_run & (year == k), amount, 0.0)
        sums = owner_sums_many(
            _value_rows(parts, day_column, columns), owners, owner_keys, tuple(columns)
        )
        # the lowest (highest) of the years each owner's run-rate rests on
        run = pick(np.where(counted, sums[:, 3:], empty), axis=1)
        run = np.where(counted.any(axis=1), run, 0.0)
        return sums[:, 0], np.sqrt(sums[:, 1]), sums[:, 2], run

    expected, sigma, _cap, run = bound("late", "p_low", np.min, np.inf)
    low = achieved + np.maximum(expected - Z_80 * sigma, 0.0) + run
    expected, sigma, cap, run = bound("early", "p_high", np.max, -np.inf)
    high = achieved + np.minimum(expected + Z_80 * sigma, cap) + run
    forecast = result["forecast"].to_numpy()
    result["low"] = np.minimum(np.maximum(low, achieved), forecast)
    result["high"] = np.maximum(high, forecast)
    return result


def confidence(result, years, metric, calibrated_share=0.5):
    """``low`` or ``high`` for each row of :func:`landings`' result: low when the
    owner has no past year to draw its run-rate from (the new-customer count has
    none), or when less than ``calibrated_share`` of its pipeline rests on
    calibrated win rates."""
    years = np.asarray(years, dtype=np.int64)
    pipeline = result["pipeline"].to_numpy(dtype=float)
    uncalibrated = result["uncalibrated"].to_numpy(dtype=float)
    thin = (pipeline > 0) & (uncalibrated > (1 - calibrated_share) * pipeline)
    if metric != "new_customers":
        thin |= years <= 0
    return np.where(thin, "low", "high")


def _plain(value):
    """numpy scalars as Python ones, for JSON."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def json_dumps(value):
    return json.dumps(value, default=_plain)


def json_weeks(week_days, amounts):
    """[[week's first day, amount], ...] as stored on a target."""
    return json.dumps(
        [
            [day, round(float(amount), 2)]
            for day, amount in zip(week_days, amounts, strict=True)
        ]
    )


def week_windows(today, weeks=WEEKS):
    """[(start, end)] day numbers of the ``weeks`` weeks from tomorrow."""
    tomorrow = day_numbers([today])[0] + 1
    return [(tomorrow + 7 * i, tomorrow + 7 * i + 6) for i in range(weeks)]


def weekly(parts, targets, owner_keys, today, weeks=WEEKS):
    """The expected amount of each target's owner in each of the next weeks:
    an array (targets, weeks), whatever the targets' periods."""
    targets = list(targets)
    result = np.zeros((len(targets), weeks))
    if parts.empty or not targets:
        return result
    windows = week_windows(today, weeks)
    owners = pd.DataFrame(
        {
            "target": np.repeat(targets, weeks),
            "start": np.tile([w[0] for w in windows], len(targets)),
            "end": np.tile([w[1] for w in windows], len(targets)),
        }
    )
    expected = parts["amount"].to_numpy(dtype=float) * parts["p"].to_numpy(float)
    sums = owner_sums_many(
        _value_rows(parts, "point", {"expected": expected}),
        owners,
        owner_keys,
        ("expected",),
    )
    return sums[:, 0].reshape(len(targets), weeks)


# ----------------------------------------------------------------------------
# Accuracy
# ----------------------------------------------------------------------------
def accuracy(frame, by):
    """Weighted absolute percentage error and bias of forecasts, per group.

    :param frame: DataFrame with the ``by`` columns, ``forecast`` and ``actual``.
    :return: DataFrame ``by`` + ``wape`` and ``bias`` (percent of the actual
        totals; None when the actuals sum to nothing) and ``samples``.
    WAPE = sum |forecast - actual| / sum |actual|; bias = sum (forecast - actual)
    / sum |actual| (positive when the forecast promised too much).
    """
    columns = [*by, "wape", "bias", "samples"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    data = frame[[*by, "forecast", "actual"]].copy()
    data["error"] = (data["forecast"] - data["actual"]).abs()
    data["signed"] = data["forecast"] - data["actual"]
    data["base"] = data["actual"].abs()
    grouped = data.groupby(by).agg(
        error=("error", "sum"),
        signed=("signed", "sum"),
        base=("base", "sum"),
        samples=("actual", "size"),
    )
    base = grouped["base"].where(grouped["base"] > 0)
    grouped["wape"] = 100.0 * grouped["error"] / base
    grouped["bias"] = 100.0 * grouped["signed"] / base
    return grouped.reset_index()[columns]


def error_bound(percent):
    """The whole percent an error of ``percent`` stays within, for "within ±N %":
    rounded up, never down (10.4 -> 11, 10.0 -> 10), so that the sentence never
    promises better than measured; a float's noise (below 1e-6 %) is no error of
    its own. None for no measure."""
    if percent is None:
        return None
    return math.ceil(round(percent, 6))
