"""Time the customer lifecycle classification and the action pack scheduler on the
benchmark company (60,000 customers for the full size).

1. ``_sync_customers``: one lifecycle per customer that ordered (one INSERT);
2. the classification of every customer, in the scheduled action's batches of
   5,000 (one grouped query and one UPDATE per batch);
3. on a sample, the same classification done one customer at a time through the
   ORM (a search of its orders, figures in Python, one write), against the
   grouped way on the same sample: the ratio is measured in this run;
4. the action pack scheduler on customers with a confirmed stage and a
   salesperson, then its re-run (which must create nothing).

Run through odoo-bin shell on a database made by benchmarks/generate.py;
everything is rolled back at the end.
"""

import os
import time
from datetime import date

import pandas as pd
import pytz
from dateutil.relativedelta import relativedelta

from odoo.addons.sale_regional_target.tools import lifecycle
from odoo.tools import split_every

YEAR = int(os.environ.get("BENCH_YEAR", "2025"))
AS_OF = date(YEAR, 12, 31)
SAMPLE = int(os.environ.get("BENCH_LIFECYCLE_SAMPLE", "500"))
PLANNED = int(os.environ.get("BENCH_PLANNED", "5000"))
env = env
company = env["res.company"].search([("name", "=", "Benchmark Co")])
assert company, "run benchmarks/generate.py first"
env = env(
    context=dict(env.context, allowed_company_ids=company.ids, tracking_disable=True)
)
Lifecycle = env["sale.customer.lifecycle"]
env.cr.execute(
    "DELETE FROM sale_customer_lifecycle WHERE company_id = %s", [company.id]
)


def timed(label, func):
    start = time.perf_counter()
    result = func()
    env.flush_all()
    elapsed = time.perf_counter() - start
    print(f"{label:<62} {elapsed:9.2f} s", flush=True)
    return elapsed, result


_t, added = timed(
    "sync: a lifecycle per customer that ordered", Lifecycle._sync_customers
)
records = Lifecycle.search([("company_id", "=", company.id)], order="id")
print(f"{len(records)} customers with orders ({added} lifecycles created)")


def classify_all():
    for ids in split_every(5000, records.ids):
        Lifecycle.browse(ids)._classify(AS_OF)


grouped_all, _r = timed(f"classify all {len(records)} (batches of 5,000)", classify_all)
env.invalidate_all()
mix = lifecycle.stage_mix(records.mapped("suggested_stage"))
print("suggested stages: " + ", ".join(f"{k} {v}" for k, v in mix.items()))

sample = records[:SAMPLE]
rules = Lifecycle._lifecycle_rules()
bounds = [
    AS_OF - relativedelta(months=m) + relativedelta(days=1) for m in (3, 6, 9, 12)
]


company_tz = pytz.timezone(company.partner_id.tz or "UTC")


def naive():
    for record in sample:
        orders = env["sale.order"].search(
            [
                ("partner_id", "child_of", record.partner_id.id),
                ("company_id", "=", company.id),
                ("state", "=", "sale"),
                ("date_order", "<", AS_OF + relativedelta(days=2)),
            ]
        )
        # each order on its day in the company's time zone, up to AS_OF
        local = [
            (pytz.utc.localize(o.date_order).astimezone(company_tz).date(), o)
            for o in orders
        ]
        days = [day for day, _o in local if day <= AS_OF]
        amounts = [
            o.amount_untaxed / (o.currency_rate or 1)
            for day, o in local
            if day <= AS_OF
        ]

        def between(lo, hi, days=days, amounts=amounts):
            return sum(
                a
                for d, a in zip(days, amounts, strict=True)
                if lo <= d and (hi is None or d < hi)
            )

        row = pd.DataFrame(
            [
                {
                    "first_order": min(days) if days else None,
                    "last_order": max(days) if days else None,
                    "orders": len(days),
                    "q1": between(bounds[0], None),
                    "q2": between(bounds[1], bounds[0]),
                    "q3": between(bounds[2], bounds[1]),
                }
            ]
        )
        result = lifecycle.classify(row, AS_OF, rules).iloc[0]
        record.write(
            {
                "suggested_stage": result["stage"],
                "suggested_reason": result["reason"],
                "order_count": len(days),
                "revenue_12m": between(bounds[3], None),
            }
        )


env.invalidate_all()
naive_time, _r = timed(f"one customer at a time, ORM ({len(sample)} customers)", naive)
env.flush_all()
env.invalidate_all()
compared = ("suggested_stage", "order_count")
by_naive = {r["id"]: r for r in sample.read(compared)}
env.invalidate_all()
grouped_time, _r = timed(
    f"grouped, same {len(sample)} customers", lambda: sample._classify(AS_OF)
)
env.flush_all()
env.invalidate_all()
same = sum(
    all(r[f] == by_naive[r["id"]][f] for f in compared) for r in sample.read(compared)
)
print(f"stage and order count agree on {same} of {len(sample)} customers")
print(f"ratio one-at-a-time / grouped on the sample: {naive_time / grouped_time:.1f}x")
print(
    f"grouped, per 1,000 customers: all {1000 * grouped_all / len(records):.3f} s, "
    f"sample {1000 * grouped_time / len(sample):.3f} s"
)

# Action packs: the seed's shape, 3 lines per stage, on customers with a salesperson.
atype = env["mail.activity.type"].create({"name": "Bench Visit", "keep_done": True})
for stage in lifecycle.STAGES:
    env["sale.action.pack"].create(
        {
            "name": f"Bench {stage}",
            "stage": stage,
            "company_id": company.id,
            "line_ids": [
                (
                    0,
                    0,
                    {
                        "activity_type_id": atype.id,
                        "name": f"{stage} {k}",
                        "frequency_number": k,
                        "frequency_unit": "weeks",
                    },
                )
                for k in (1, 2, 4)
            ],
        }
    )
planned = records.filtered("suggested_stage")[:PLANNED]
env.cr.execute(
    """
    UPDATE res_partner p SET user_id = so.user_id
      FROM (SELECT DISTINCT ON (partner_id) partner_id, user_id FROM sale_order
             WHERE company_id = %s ORDER BY partner_id, id) so
     WHERE so.partner_id = p.id AND p.id IN %s
    """,
    [company.id, tuple(planned.partner_id.ids)],
)
env.cr.execute(
    """
    UPDATE sale_customer_lifecycle lc SET stage = suggested_stage,
           review_state = 'confirmed', review_date = %s, user_id = p.user_id
      FROM res_partner p WHERE p.id = lc.partner_id AND lc.id IN %s
    """,
    [AS_OF, tuple(planned.ids)],
)
env.invalidate_all()
plan_time, counts = timed(
    f"plan the packs of {len(planned)} customers",
    lambda: planned._schedule_action_packs(AS_OF),
)
print(f"created {counts[0]} activities")
again_time, again = timed(
    "re-run (nothing to do)", lambda: planned._schedule_action_packs(AS_OF)
)
print(f"re-run created {again[0]}, reassigned {again[1]}, cancelled {again[2]}")
env.cr.rollback()
ok = again == (0, 0, 0) and counts[0] > 0
if not ok:
    raise SystemExit(1)
