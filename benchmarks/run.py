"""Time three ways of computing the actuals of every target of BENCH_YEAR.

(a) the addon: Target._refresh_actuals(), one grouped query per metric;
(b) the common way: one ORM search per target, summing records in Python (target
    totals only: the monthly figures would take one more search per month);
(c) the floor: one hand-written SQL query per metric that aggregates and attributes
    in the database (the same document query as the addon, joined to the targets
    and their months) and returns the same figures, without storing them.
Prints each time, the ratios and whether the three agree. Run through odoo-bin shell
on a database made by benchmarks/generate.py (see benchmarks/README.md).
"""

import os
import time
from datetime import datetime, timedelta
from datetime import time as dtime

import pytz

from odoo.addons.sale_regional_target.queries.actuals import QUERIES
from odoo.tools import SQL

YEAR = int(os.environ.get("BENCH_YEAR", "2025"))
env = env
company = env["res.company"].search([("name", "=", "Benchmark Co")])
assert company, "run benchmarks/generate.py first"
targets = env["sale.target"].search(
    [("company_id", "=", company.id), ("date_from", "=", f"{YEAR}-01-01")]
)
tz = pytz.timezone(company.partner_id.tz or "UTC")


def region_teams(target):
    return env["crm.team"].search([("region_id", "child_of", target.region_id.id)]).ids


def owner_domain(target, user_field, team_field):
    if target.level == "user":
        return [(user_field, "=", target.user_id.id)]
    if target.level == "team":
        return [(team_field, "=", target.team_id.id)]
    if target.level == "region":
        return [(team_field, "in", region_teams(target))]
    return []


def utc_bounds(target):
    def to_utc(day):
        return (
            tz.localize(datetime.combine(day, dtime.min))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )

    return to_utc(target.date_from), to_utc(target.date_to + timedelta(days=1))


def naive(target):
    """What most target apps do: search the documents of one target, sum them."""
    company_dom = [("company_id", "=", target.company_id.id)]
    if target.metric in ("revenue", "new_customers"):
        start, stop = utc_bounds(target)
        orders = env["sale.order"].search(
            company_dom
            + [
                ("state", "=", "sale"),
                ("date_order", ">=", start),
                ("date_order", "<", stop),
            ]
            + owner_domain(target, "user_id", "team_id")
        )
        if target.metric == "revenue":
            return sum(o.amount_untaxed / (o.currency_rate or 1.0) for o in orders)
        count = 0
        for partner in orders.partner_id.commercial_partner_id:
            first = env["sale.order"].search(
                company_dom
                + [("state", "=", "sale"), ("partner_id", "child_of", partner.id)],
                order="date_order, id",
                limit=1,
            )
            count += first in orders
        return count
    if target.metric == "invoiced":
        moves = env["account.move"].search(
            company_dom
            + [
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("invoice_date", ">=", target.date_from),
                ("invoice_date", "<=", target.date_to),
            ]
            + owner_domain(target, "invoice_user_id", "team_id")
        )
        return sum(moves.mapped("amount_untaxed_signed"))
    partials = env["account.partial.reconcile"].search(
        [
            ("debit_move_id.move_id.company_id", "=", target.company_id.id),
            ("debit_move_id.move_id.move_type", "=", "out_invoice"),
            ("debit_move_id.move_id.state", "=", "posted"),
            ("credit_move_id.move_id.move_type", "=", "entry"),
            ("credit_move_id.move_id.state", "=", "posted"),
            ("max_date", ">=", target.date_from),
            ("max_date", "<=", target.date_to),
        ]
        + [
            (f"debit_move_id.move_id.{f}", op, v)
            for f, op, v in owner_domain(target, "invoice_user_id", "team_id")
        ]
    )
    return sum(partials.mapped("amount"))


def sql_floor(metric, group, months):
    """Aggregate and attribute in SQL: one query for all targets of a metric,
    giving each target's total and, with ``months``, each month's figure too."""
    docs = QUERIES[metric](
        group.company_id, min(group.mapped("date_from")), max(group.mapped("date_to"))
    )
    env.cr.execute(
        SQL(
            """
            WITH d(company_id, user_id, team_id, day, amount) AS (%(docs)s),
            t AS (SELECT id, level, company_id, region_id, team_id, user_id,
                         date_from, date_to FROM sale_target WHERE id IN %(ids)s),
            o AS (SELECT 'target' AS kind, t.id AS owner, t.*,
                         t.date_from AS start, t.date_to AS stop FROM t
                  %(months)s),
            rt AS (SELECT t.id AS target_id, ct.id AS team_id
                     FROM t JOIN sale_region r ON r.id = t.region_id
                     JOIN sale_region sr ON starts_with(sr.parent_path, r.parent_path)
                     JOIN crm_team ct ON ct.region_id = sr.id
                    WHERE t.level = 'region')
            SELECT kind, owner, SUM(amount) FROM (
                SELECT o.kind, o.owner, d.amount FROM o JOIN d ON o.level = 'user'
                   AND d.company_id = o.company_id AND d.user_id = o.user_id
                   AND d.day BETWEEN o.start AND o.stop
                UNION ALL
                SELECT o.kind, o.owner, d.amount FROM o JOIN d ON o.level = 'team'
                   AND d.company_id = o.company_id AND d.team_id = o.team_id
                   AND d.day BETWEEN o.start AND o.stop
                UNION ALL
                SELECT o.kind, o.owner, d.amount FROM o JOIN rt ON rt.target_id = o.id
                  JOIN d ON d.company_id = o.company_id AND d.team_id = rt.team_id
                   AND d.day BETWEEN o.start AND o.stop
                UNION ALL
                SELECT o.kind, o.owner, d.amount FROM o JOIN d ON o.level = 'company'
                   AND d.company_id = o.company_id
                   AND d.day BETWEEN o.start AND o.stop
            ) x GROUP BY kind, owner
            """,
            docs=docs,
            ids=tuple(group.ids),
            months=SQL(
                """UNION ALL
                  SELECT 'line', l.id, t.*, GREATEST(l.date, t.date_from),
                         LEAST((l.date + INTERVAL '1 month')::date - 1, t.date_to)
                    FROM t JOIN sale_target_line l ON l.target_id = t.id"""
            )
            if months
            else SQL(""),
        )
    )
    return {(kind, owner): float(total) for kind, owner, total in env.cr.fetchall()}


def timed(label, func):
    env.invalidate_all()
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    print(f"{label:<55} {elapsed:9.2f} s", flush=True)
    return result, elapsed


print(
    f"{len(targets)} targets for {YEAR} ({', '.join(sorted(set(targets.mapped('metric'))))})"
)
print(
    f"sale orders: {env['sale.order'].search_count([('company_id', '=', company.id)])}, "
    f"order lines: {env['sale.order.line'].search_count([('company_id', '=', company.id)])}, "
    f"invoices: {env['account.move'].search_count([('company_id', '=', company.id), ('move_type', 'in', ('out_invoice', 'out_refund'))])}"
)


def run_addon():
    targets._refresh_actuals()
    env.flush_all()


def addon_figures():
    result = {("target", t.id): t.achieved_amount for t in targets}
    result.update(
        {("line", line.id): line.achieved_amount for line in targets.line_ids}
    )
    return result


# BENCH_NAIVE_SAMPLE=n times (b) over n targets spread evenly over all of them and
# scales the time up to all targets, saying so; 0 (the default) runs every target.
sample_size = int(os.environ.get("BENCH_NAIVE_SAMPLE", "0"))
naive_targets = targets
if 0 < sample_size < len(targets):
    step = len(targets) / sample_size
    naive_targets = targets.browse(
        [targets.ids[int(i * step)] for i in range(sample_size)]
    )


def run_naive():
    return {("target", t.id): naive(t) for t in naive_targets}


def run_floor(months):
    result = {}
    for metric, group in targets.grouped("metric").items():
        result.update(sql_floor(metric, group, months))
    return result


# One untimed pass so that (a) and (c) both read the documents from a warm cache.
run_floor(months=False)
_, ta = timed("(a) addon: _refresh_actuals, one query per metric, stored", run_addon)
a = addon_figures()
c, tc = timed(
    "(c) floor: hand-written SQL per metric, totals only", lambda: run_floor(False)
)
cm, tcm = timed(
    "(c+) hand-written SQL per metric, totals and months", lambda: run_floor(True)
)
b, tb = timed(
    f"(b) common: one ORM search per target ({len(naive_targets)} targets)", run_naive
)
if naive_targets != targets:
    tb *= len(targets) / len(naive_targets)
    print(f"    (b) scaled to all {len(targets)} targets: {tb:.2f} s (estimate)")
print(
    f"ratio a/b = {ta / tb:.4f}  (the addon is {tb / ta:.0f}x faster than one search per target)"
)
print(
    f"ratio a/c = {ta / tc:.2f}  (the addon, months and storage included, takes "
    f"{ta / tc:.2f}x the SQL floor for the totals alone)"
)
print(
    f"ratio a/c+ = {ta / tcm:.2f}  (against SQL giving the same figures as the addon)"
)


def differ(x, y, keys):
    return [k for k in keys if abs(x.get(k, 0.0) - round(y.get(k, 0.0), 2)) > 0.05]


target_keys = [("target", t.id) for t in naive_targets]
mismatch = (
    differ(a, b, target_keys)
    + differ(a, c, [("target", t.id) for t in targets])
    + differ(a, cm, list(a))
)
print(
    f"same figures: {len(targets)} target totals (a, c, c+), {len(target_keys)} of "
    f"them also (b), and {len(a) - len(targets)} monthly figures (a, c+): "
    + ("yes" if not mismatch else f"NO, {len(mismatch)} differ, e.g. {mismatch[:5]}")
)
for key in mismatch[:5]:
    print(f"    {key}: a={a.get(key)} b={b.get(key)} c={c.get(key)} c+={cm.get(key)}")
env.cr.rollback()
if mismatch:
    raise SystemExit(1)
