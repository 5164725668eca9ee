"""Time the forecast on the benchmark company (13,324 targets and 3,000
salespeople for the full size), against the actuals refresh it comes with.

Set-up, rolled back at the end: every target of BENCH_YEAR confirmed; a CRM
history made with set-based SQL: for every salesperson, opportunities closed over
the 12 months before the forecast day (a share won, the rest lost in a random
stage), each with the stage change of its chatter, and an open pipeline (most
with an expected closing day in the next 90 days, some without). The forecast
day is 1 September of BENCH_YEAR, two thirds of the year gone.

Then, as the refresh runs them in the scheduled action (1,000 targets a batch):
the actuals alone, the forecast alone, and their ratio (budget: the forecast
takes at most twice the actuals); then the 12-month backtest (budget 2 minutes)
and the accuracy it measured on this data.

Run through odoo-bin shell on a database made by benchmarks/generate.py.
"""

import os
import time
from datetime import date

from freezegun import freeze_time

YEAR = int(os.environ.get("BENCH_YEAR", "2025"))
DAY = date(YEAR, 9, 1)
BATCH = 1000
env = env
cr = env.cr
company = env["res.company"].search([("name", "=", "Benchmark Co")])
assert company, "run benchmarks/generate.py first"
env = env(context=dict(env.context, allowed_company_ids=company.ids))
Target = env["sale.target"]
targets = Target.search(
    [("company_id", "=", company.id), ("date_from", "=", f"{YEAR}-01-01")]
)


# the clock before freezegun stops it (the forecast's day is frozen, not the timing)
perf_counter = time.perf_counter


def timed(label, func):
    env.flush_all()
    env.invalidate_all()
    queries = cr.sql_log_count
    start = perf_counter()
    result = func()
    env.flush_all()
    elapsed = perf_counter() - start
    print(
        f"{label:<58} {elapsed:8.2f} s {cr.sql_log_count - queries:7d} queries",
        flush=True,
    )
    return elapsed, result


def batched(method):
    def run():
        for start in range(0, len(targets), BATCH):
            getattr(targets[start : start + BATCH], method)()

    return run


# --- set-up --------------------------------------------------------------------
cr.execute(
    "UPDATE sale_target SET state = 'confirmed' WHERE id IN %s", [tuple(targets.ids)]
)
targets.invalidate_recordset(["state"])
stages = env["crm.stage"].search([], order="sequence")
won_stage = stages.filtered("is_won")[:1]
open_stages = stages - won_stage
assert won_stage and open_stages, "the CRM stages of Odoo's data are expected"
stage_field = env["ir.model.fields"]._get_ids("crm.lead")["stage_id"]
cr.execute(
    """
    CREATE TEMP TABLE bench_reps AS
    SELECT m.user_id, m.crm_team_id AS team_id,
           row_number() OVER (ORDER BY m.user_id) AS idx
      FROM crm_team_member m JOIN crm_team t ON t.id = m.crm_team_id
     WHERE t.company_id = %(company)s;
    -- 8 closed per salesperson over the year before DAY: won with a chance that
    -- depends on the team, lost in one of the open stages
    INSERT INTO crm_lead (name, type, company_id, user_id, team_id, stage_id,
                          expected_revenue, probability, active, date_closed,
                          create_date, write_date, create_uid, write_uid, partner_id)
    SELECT 'Closed ' || r.idx || '-' || k, 'opportunity', %(company)s, r.user_id,
           r.team_id,
           CASE WHEN won THEN %(won)s ELSE (%(open)s)[1 + (k %% %(n_open)s)] END,
           50000 + (r.idx * 7919 + k * 104729) %% 400000,
           CASE WHEN won THEN 100 ELSE 0 END, won,
           closed, closed - (20 + (r.idx + k) %% 70) * interval '1 day',
           closed, 1, 1, NULL
      FROM bench_reps r
     CROSS JOIN generate_series(1, 8) k
     CROSS JOIN LATERAL (
        SELECT (%(day)s::date - (k * 45 + r.idx %% 40) * interval '1 day')::timestamp
               AS closed,
               random() < 0.3 + 0.4 * ((r.team_id %% 10) / 10.0) AS won) c;
    -- the open pipeline: 3 per salesperson, one of them without a closing day
    INSERT INTO crm_lead (name, type, company_id, user_id, team_id, stage_id,
                          expected_revenue, probability, active, date_deadline,
                          create_date, write_date, create_uid, write_uid)
    SELECT 'Open ' || r.idx || '-' || k, 'opportunity', %(company)s, r.user_id,
           r.team_id, (%(open)s)[1 + ((r.idx + k) %% %(n_open)s)],
           80000 + (r.idx * 104729 + k * 7919) %% 600000, 30, true,
           CASE WHEN k = 3 THEN NULL
                ELSE %(day)s::date + ((r.idx * 13 + k * 29) %% 100 - 10)::int END,
           %(day)s::timestamp - ((r.idx + k) %% 60) * interval '1 day',
           now(), 1, 1
      FROM bench_reps r CROSS JOIN generate_series(1, 3) k;
    -- one stage change in the chatter of every opportunity, half-way
    CREATE TEMP TABLE bench_changes AS
    SELECT l.id AS lead_id, l.stage_id,
           l.create_date + (COALESCE(l.date_closed, %(day)s::timestamp)
                            - l.create_date) / 2 AS day
      FROM crm_lead l WHERE l.company_id = %(company)s;
    WITH m AS (
        INSERT INTO mail_message (model, res_id, message_type, date, author_id,
                                  create_date, write_date, create_uid, write_uid)
        SELECT 'crm.lead', lead_id, 'notification', day, 3, day, day, 1, 1
          FROM bench_changes RETURNING id, res_id
    )
    INSERT INTO mail_tracking_value (mail_message_id, field_id, old_value_integer,
                                     new_value_integer, create_date, write_date,
                                     create_uid, write_uid)
    SELECT m.id, %(field)s, (%(open)s)[1], c.stage_id, now(), now(), 1, 1
      FROM m JOIN bench_changes c ON c.lead_id = m.res_id;
    ANALYZE crm_lead, mail_message, mail_tracking_value;
    """,
    {
        "company": company.id,
        "won": won_stage.id,
        "open": open_stages.ids,
        "n_open": len(open_stages),
        "day": DAY,
        "field": stage_field,
    },
)
cr.execute(
    "SELECT count(*), count(*) FILTER (WHERE active AND date_closed IS NULL) "
    "FROM crm_lead WHERE company_id = %s",
    [company.id],
)
leads, open_leads = cr.fetchone()
print(f"set-up: {leads} opportunities, {open_leads} of them open", flush=True)

# --- the refresh ---------------------------------------------------------------
with freeze_time(f"{DAY} 06:00:00"):
    actuals, _r = timed(
        f"actuals of {len(targets)} targets, {BATCH} a batch",
        batched("_refresh_achieved"),
    )
    forecast, _r = timed(
        f"forecast of {len(targets)} targets, {BATCH} a batch",
        batched("_refresh_forecast"),
    )
    forecast_targets = targets.filtered("forecast_date")
    print(
        f"    {len(forecast_targets)} forecast; "
        f"{len(targets.filtered(lambda t: t.forecast_confidence == 'low'))} low "
        f"confidence; {len(targets.filtered('forecast_below_floor'))} below floor"
    )
    backtest, measured = timed(
        "backtest: 12 month starts, the quarters that ended",
        lambda: env["sale.target.forecast.accuracy"]._backtest(company, DAY),
    )
print(measured.round(1).to_string(index=False))
print(
    f"forecast / actuals = {forecast / actuals:.2f} (budget 2.00); "
    f"backtest {backtest:.1f} s (budget 120 s)"
)
env.cr.rollback()
if forecast > 2 * actuals or backtest > 120:
    raise SystemExit("over budget")
