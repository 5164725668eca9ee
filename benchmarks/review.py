"""Time the review PDF of a big region on the benchmark company.

Set-up, rolled back at the end: every target of BENCH_YEAR confirmed and its
actuals refreshed once; each customer given the salesperson of its latest order
and a lifecycle, classified; every salesperson a key-action completion for each
week of August (done 0 to 5 of 5), as on 1 September of BENCH_YEAR (timed
apart). Then the August review of the big region with the
most salespeople below it, with its sub-targets: its data gathered (queries
counted) and its PDF rendered by wkhtmltopdf, three times each: the best and the
worst. Budget: the PDF under 20 s.

Run through odoo-bin shell on a database made by benchmarks/generate.py.
"""

import os
import subprocess
import tempfile
import time
from datetime import date

from freezegun import freeze_time

from odoo.tools import split_every

YEAR = int(os.environ.get("BENCH_YEAR", "2025"))
DAY = date(YEAR, 9, 1)
MONTH = date(YEAR, 8, 1)
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
with freeze_time(f"{DAY} 06:00:00"):
    start = perf_counter()
    targets._refresh_achieved()
    # the generated customers have no salesperson: their latest order's
    cr.execute(
        """UPDATE res_partner p SET user_id = last.user_id
             FROM (SELECT DISTINCT ON (partner_id) partner_id, user_id
                     FROM sale_order WHERE company_id = %s
                    ORDER BY partner_id, date_order DESC) AS last
            WHERE p.id = last.partner_id""",
        [company.id],
    )
    env["res.partner"].invalidate_model(["user_id"])
    cr.execute(
        """INSERT INTO sale_action_completion
                  (user_id, company_id, week_start, due_count, base_count,
                   done_count, rate)
           SELECT DISTINCT ON (u.id, w.day) u.id, %(company)s, w.day::date, 5, 5,
                  (u.id + extract(day FROM w.day)::int) %% 6,
                  20.0 * ((u.id + extract(day FROM w.day)::int) %% 6)
             FROM res_users u
             JOIN crm_team_member m ON m.user_id = u.id
            CROSS JOIN generate_series(%(first)s::date, %(last)s::date, '7 days')
                       AS w(day)
           ON CONFLICT DO NOTHING""",
        {"company": company.id, "first": f"{YEAR}-07-28", "last": f"{YEAR}-08-25"},
    )
    Lifecycle = env["sale.customer.lifecycle"].with_context(tracking_disable=True)
    Lifecycle._sync_customers()
    customers = Lifecycle.search([("company_id", "=", company.id)], order="id")
    for ids in split_every(5000, customers.ids):
        Lifecycle.browse(ids)._classify(DAY)
    cr.execute("ANALYZE sale_customer_lifecycle, sale_target, sale_target_line")
    print(
        f"set-up: actuals and {len(customers)} customers {perf_counter() - start:.2f} s"
    )

    # the big region with the most salespeople under it
    regions = targets.filtered(lambda t: t.level == "region" and t.metric == "revenue")
    Team = env["crm.team"]

    def salespeople(target):
        teams = Team.search([("region_id", "child_of", target.region_id.id)])
        return len(teams.member_ids | teams.user_id)

    region = max(
        regions.filtered(lambda t: t.parent_id.level == "region"), key=salespeople
    )
    count = salespeople(region)
    Review = env["sale.target.review"]
    review = Review._prepare([("region", region.region_id)], "month", MONTH)
    report = "sale_regional_target.action_report_sale_target_review"
    data_times, pdf_times = [], []
    for _i in range(3):
        env.invalidate_all()
        queries = cr.sql_log_count
        start = perf_counter()
        data = review._report_data()
        data_times.append(perf_counter() - start)
        data_queries = cr.sql_log_count - queries
        env.invalidate_all()
        start = perf_counter()
        pdf, _kind = env["ir.actions.report"]._render_qweb_pdf(report, review.ids)
        pdf_times.append(perf_counter() - start)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(
            ["pdfinfo", handle.name], capture_output=True, check=True, text=True
        ).stdout
    pages = next(
        line.split()[-1] for line in info.splitlines() if line.startswith("Pages")
    )
    sections = data["targets"]
    print(
        f"review of {region.region_id.display_name}: {count} salespeople, "
        f"{len(sections)} metrics, {sum(len(s['children']) for s in sections)} "
        f"sub-targets ranked, {len(data['completion']['people'])} salespeople by week"
    )
    print(
        f"data   best {min(data_times):.3f} s  worst {max(data_times):.3f} s  "
        f"{data_queries} queries"
    )
    print(
        f"PDF    best {min(pdf_times):.2f} s  worst {max(pdf_times):.2f} s  "
        f"{pages} pages, {len(pdf) // 1024} KiB (budget 20 s)"
    )
env.cr.rollback()
if max(pdf_times) > 20.0:
    raise SystemExit("over budget")
