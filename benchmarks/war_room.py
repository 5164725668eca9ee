"""Time the war room's data on the benchmark company (13,324 targets).

Set-up, rolled back at the end: every target of BENCH_YEAR confirmed and its
actuals refreshed once (timed apart), as on 1 September of BENCH_YEAR. Then the
data of the war room for HQ (the company target and its regions), for a big
region and for a team, each called three times: the best and worst server time
and the queries of one call. Budget: under 1 s for HQ.

Run through odoo-bin shell on a database made by benchmarks/generate.py.
"""

import os
import time
from datetime import date

from freezegun import freeze_time

YEAR = int(os.environ.get("BENCH_YEAR", "2025"))
DAY = date(YEAR, 9, 1)
env = env
cr = env.cr
company = env["res.company"].search([("name", "=", "Benchmark Co")])
assert company, "run benchmarks/generate.py first"
env = env(context=dict(env.context, allowed_company_ids=company.ids))
perf_counter = time.perf_counter  # the clock before freezegun stops it
Target = env["sale.target"]
targets = Target.search(
    [("company_id", "=", company.id), ("date_from", "=", f"{YEAR}-01-01")]
)
cr.execute(
    "UPDATE sale_target SET state = 'confirmed' WHERE id IN %s", [tuple(targets.ids)]
)
targets.invalidate_recordset(["state"])
WarRoom = env["sale.target.war.room"]
worst = 0.0
with freeze_time(f"{DAY} 06:00:00"):
    start = perf_counter()
    targets._refresh_achieved()
    print(f"set-up: actuals of {len(targets)} targets {perf_counter() - start:.2f} s")
    top = targets.filtered(lambda t: t.level == "company" and t.metric == "revenue")
    scopes = [("HQ: the company and its regions", top[:1])]
    region = top[:1].child_ids[:1]
    scopes.append(("a big region", region))
    team = targets.filtered(lambda t: t.level == "team" and t.metric == "revenue")[:1]
    scopes.append(("a team and its salespeople", team))
    for label, scope in scopes:
        times = []
        for _i in range(3):
            env.invalidate_all()
            queries = cr.sql_log_count
            start = perf_counter()
            data = WarRoom.get_data(metric="revenue", target_id=scope.id)
            times.append(perf_counter() - start)
            count = cr.sql_log_count - queries
        print(
            f"{label:<34} {len(data['tiles']):5d} tiles  best {min(times):.3f} s  "
            f"worst {max(times):.3f} s  {count} queries"
        )
        if label.startswith("HQ"):
            worst = max(times)
print(f"HQ's war room: {worst:.3f} s at worst (budget 1 s)")
env.cr.rollback()
if worst > 1.0:
    raise SystemExit("over budget")
