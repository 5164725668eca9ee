"""Time the allocation wizard's full cascade on the benchmark company.

A company target for the year after BENCH_YEAR is split by history down to every
salesperson in one run (6 big regions, their areas, 300 teams, 3,000 people for
the full size): the preview, then the confirmation that writes the tree. Checks
that every level adds up exactly. Run through odoo-bin shell on a database made by
benchmarks/generate.py; everything is rolled back at the end.
"""

import os
import time

from odoo.tools import SQL

YEAR = int(os.environ.get("BENCH_YEAR", "2025")) + 1
env = env
company = env["res.company"].search([("name", "=", "Benchmark Co")])
assert company, "run benchmarks/generate.py first"
env = env(context=dict(env.context, allowed_company_ids=company.ids))
plan = (
    env["sale.target"]
    .with_company(company)
    .create(
        {
            "metric": "revenue",
            "company_id": company.id,
            "currency_id": company.currency_id.id,
            "date_from": f"{YEAR}-01-01",
            "date_to": f"{YEAR}-12-31",
            "amount": 1_234_567_890.0,
            "floor_amount": 1_100_000_000.0,
            "stretch_amount": 1_400_000_000.0,
        }
    )
)
wizard = env["sale.target.allocation.wizard"].create(
    {
        "target_id": plan.id,
        "method": "history",
        "cascade": True,
        "region_children_method": "history",
        "team_children_method": "history",
        "rounding_unit": "10000",
    }
)
env.flush_all()


def timed(label, func):
    start = time.perf_counter()
    func()
    env.flush_all()
    elapsed = time.perf_counter() - start
    print(f"{label:<55} {elapsed:9.2f} s", flush=True)
    return elapsed


preview = timed("preview: cascade by history, all levels", wizard.action_preview)
lines = len(wizard.line_ids)
confirm = timed("confirm: write the tree of targets", wizard.action_confirm)
env.cr.execute(
    SQL(
        """SELECT count(*) FROM sale_target
            WHERE parent_path LIKE %s AND id != %s""",
        f"{plan.parent_path}%",
        plan.id,
    )
)
created = env.cr.fetchone()[0]
env.cr.execute(
    SQL(
        """SELECT count(*) FROM sale_target p
             JOIN (SELECT parent_id, SUM(amount) AS total FROM sale_target
                    WHERE parent_path LIKE %s GROUP BY parent_id) c
               ON c.parent_id = p.id
            WHERE c.total != p.amount""",
        f"{plan.parent_path}%",
    )
)
unbalanced = env.cr.fetchone()[0]
env.cr.execute(
    SQL(
        """SELECT count(*) FROM sale_target t
             LEFT JOIN (SELECT target_id, SUM(amount) AS total, count(*) AS months
                          FROM sale_target_line GROUP BY target_id) l
               ON l.target_id = t.id
            WHERE t.parent_path LIKE %s AND t.id != %s
              AND (l.months IS DISTINCT FROM 12 OR l.total != t.amount)""",
        f"{plan.parent_path}%",
        plan.id,
    )
)
badly_phased = env.cr.fetchone()[0]
print(f"{lines} preview lines, {created} targets written")
print(
    "every level adds up exactly: "
    + ("yes" if not unbalanced else f"NO, {unbalanced} parents differ")
)
print(
    "every target has 12 months adding up to it: "
    + ("yes" if not badly_phased else f"NO, {badly_phased} targets differ")
)
print(f"total: {preview + confirm:.2f} s")
env.cr.rollback()
if unbalanced or badly_phased or created != lines:
    raise SystemExit(1)
