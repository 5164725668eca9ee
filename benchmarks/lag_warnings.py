"""Time the weekly lag check on the benchmark company (13,324 targets and 3,000
salespeople for the full size).

Set-up, rolled back at the end: every target of BENCH_YEAR confirmed and its
actuals refreshed once; the first member of each team made its leader and a
manager, a manager for each big region, an HQ administrator; for every
salesperson, key actions due in the two weeks before the first check, about two
thirds of them done (so that some salespeople lag and others do not).

Then three weekly checks in a row, as the scheduled action runs them but without
the actuals refresh (``refresh=False``: the refresh is timed on its own): the
first raises warnings, the second escalates most of them, the third escalates
again or resolves. Each prints its time, its queries and what it did. A fourth
run in the same week must change nothing (the script exits non-zero otherwise).

Run through odoo-bin shell on a database made by benchmarks/generate.py.
"""

import os
import time
from datetime import date, timedelta

YEAR = int(os.environ.get("BENCH_YEAR", "2025"))
env = env
cr = env.cr
company = env["res.company"].search([("name", "=", "Benchmark Co")])
assert company, "run benchmarks/generate.py first"
env = env(context=dict(env.context, allowed_company_ids=company.ids))
Target = env["sale.target"]
Warning = env["sale.target.warning"]
targets = Target.search(
    [("company_id", "=", company.id), ("date_from", "=", f"{YEAR}-01-01")]
)
# the first Monday of September: two thirds of the year gone
first_check = date(YEAR, 9, 1) + timedelta(days=(7 - date(YEAR, 9, 1).weekday()) % 7)


def timed(label, func):
    env.flush_all()
    env.invalidate_all()
    queries = cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    elapsed = time.perf_counter() - start
    print(
        f"{label:<58} {elapsed:8.2f} s {cr.sql_log_count - queries:7d} queries",
        flush=True,
    )
    return elapsed, result


# --- set-up --------------------------------------------------------------------
cr.execute(
    "UPDATE sale_target SET state = 'confirmed' WHERE id IN %s", [tuple(targets.ids)]
)
targets.invalidate_recordset(["state"])
refresh, _r = timed(
    f"set-up: actuals of {len(targets)} targets", targets._refresh_actuals
)
manager_group = env.ref("sale_regional_target.group_target_manager")
admin_group = env.ref("sale_regional_target.group_target_admin")
cr.execute(
    """
    UPDATE crm_team t SET user_id = m.user_id
      FROM (SELECT DISTINCT ON (crm_team_id) crm_team_id, user_id
              FROM crm_team_member ORDER BY crm_team_id, id) m
     WHERE m.crm_team_id = t.id AND t.company_id = %(company)s;
    UPDATE sale_region r SET manager_id = t.user_id
      FROM (SELECT DISTINCT ON (sr.parent_id) sr.parent_id, ct.user_id
              FROM crm_team ct JOIN sale_region sr ON sr.id = ct.region_id
             WHERE ct.company_id = %(company)s ORDER BY sr.parent_id, ct.id) t
     WHERE r.id = t.parent_id;
    INSERT INTO res_groups_users_rel (gid, uid)
    SELECT DISTINCT %(group)s, user_id FROM crm_team
     WHERE company_id = %(company)s AND user_id IS NOT NULL
    ON CONFLICT DO NOTHING;
    UPDATE res_partner p SET email = u.login || '@bench.example.com'
      FROM res_users u
     WHERE u.partner_id = p.id
       AND u.id IN (SELECT user_id FROM crm_team WHERE company_id = %(company)s);
    -- users made by SQL have no value for the digest preference: the default
    UPDATE res_users SET sale_target_lag_digest = true
     WHERE sale_target_lag_digest IS NULL;
    INSERT INTO res_groups_users_rel (gid, uid) VALUES (%(admin)s, 2), (%(group)s, 2)
    ON CONFLICT DO NOTHING;
    INSERT INTO res_company_users_rel (cid, user_id) VALUES (%(company)s, 2)
    ON CONFLICT DO NOTHING;
    """,
    {"company": company.id, "group": manager_group.id, "admin": admin_group.id},
)
env.invalidate_all()
env.registry.clear_cache()
pack_type = env["mail.activity.type"].create({"name": "Bench Visit", "keep_done": True})
pack = env["sale.action.pack"].create(
    {
        "name": "Bench",
        "stage": "growing",
        "company_id": company.id,
        "line_ids": [(0, 0, {"activity_type_id": pack_type.id, "name": "Visit"})],
    }
)
partner_model = env["ir.model"]._get_id("res.partner")
# Three key actions a week per salesperson over the four weeks around the checks,
# each done with a probability that depends on the salesperson: a fifth of them
# lag (a third done), the others keep up (nine in ten done).
cr.execute(
    """
    INSERT INTO mail_activity (res_model_id, res_model, res_id, activity_type_id,
                               user_id, date_deadline, action_pack_line_id, action_key,
                               active, date_done, summary, create_date, write_date,
                               create_uid, write_uid)
    WITH u AS (SELECT m.user_id, row_number() OVER (ORDER BY m.user_id) - 1 AS idx
                 FROM crm_team_member m JOIN crm_team t ON t.id = m.crm_team_id
                WHERE t.company_id = %(company)s),
         c AS (SELECT id AS partner_id, row_number() OVER (ORDER BY id) - 1 AS idx
                 FROM res_partner WHERE is_company AND name LIKE 'Customer %%'),
         n AS (SELECT count(*) AS n FROM c)
    SELECT %(model)s, 'res.partner', c.partner_id, %(type)s, u.user_id,
           d.day + 1, %(line)s, true,
           NOT (random() < CASE WHEN u.idx %% 5 = 0 THEN 0.33 ELSE 0.9 END),
           NULL, 'Visit', now(), now(), 1, 1
      FROM u CROSS JOIN n
      JOIN c ON c.idx = u.idx %% n.n
      CROSS JOIN (SELECT (%(first)s::date + 7 * k) AS day
                    FROM generate_series(-2, 1) k) AS d
      CROSS JOIN generate_series(1, 3)
    """,
    {
        "model": partner_model,
        "type": pack_type.id,
        "line": pack.line_ids.id,
        "first": first_check,
        "company": company.id,
    },
)
cr.execute(
    "UPDATE mail_activity SET date_done = date_deadline + 1 "
    "WHERE NOT active AND action_pack_line_id = %s",
    [pack.line_ids.id],
)
print(f"set-up: {cr.rowcount} key actions done over four weeks", flush=True)
env["sale.action.completion"]._compute_weeks(
    first_check - timedelta(days=14), first_check - timedelta(days=1), first_check
)

# --- the weekly checks ---------------------------------------------------------
results = []
for week in range(3):
    day = first_check + timedelta(days=7 * week)
    # a week passes between two checks, and PostgreSQL's autovacuum analyses
    # the tables the previous one filled: the same here, inside the transaction
    cr.execute(
        "ANALYZE mail_activity, mail_followers, sale_target_warning, sale_target_warning_week, mail_message, mail_tracking_value"
    )
    elapsed, check = timed(
        f"weekly check of {day} ({len(targets)} targets, no refresh)",
        lambda day=day: Warning._run_weekly_check(company, day, refresh=False),
    )
    print("    " + ", ".join(f"{k} {v}" for k, v in sorted(check.counts.items())))
    print(
        "    seconds: "
        + ", ".join(f"{k} {v:.2f}" for k, v in sorted(check.timings.items()))
    )
    results.append(elapsed)
_t, again = timed(
    "the same week again",
    lambda: Warning._run_weekly_check(company, day + timedelta(days=1), refresh=False),
)
open_count = Warning.search_count(
    [("company_id", "=", company.id), ("state", "!=", "resolved")]
)
print(
    f"open warnings: {open_count}; slowest check {max(results):.2f} s (budget 30 s); "
    f"the actuals refresh alone {refresh:.2f} s"
)
env.cr.rollback()
if +again.counts:
    raise SystemExit(
        f"the second run of a week changed something: {dict(again.counts)}"
    )
