"""Create a large company directly in a database that has the addon installed.

Run through odoo-bin shell (see benchmarks/README.md). BENCH_SIZE=quick or full.
Documents are inserted with set-based SQL (generate_series) from a fixed seed: the
point is volume with the shape the actuals queries read, not accounting detail.
Everything belongs to a company of its own, "Benchmark Co", and to the year
BENCH_YEAR (default 2025) and the two years before it.
"""

import os
import time

SIZES = {
    # regions, teams, salespeople, customers, orders (4 lines each), invoices
    "full": (30, 300, 3000, 60000, 250000, 300000),
    "quick": (30, 60, 300, 6000, 25000, 30000),
}
size = os.environ.get("BENCH_SIZE", "quick")
REGIONS, TEAMS, USERS, CUSTOMERS, ORDERS, INVOICES = SIZES[size]
YEAR = int(os.environ.get("BENCH_YEAR", "2025"))
started = time.time()
cr = env.cr


def log(msg):
    print(f"[generate {size}] {time.time() - started:7.1f}s {msg}", flush=True)


cny = env.ref("base.CNY")
cny.active = True
if env["res.company"].search([("name", "=", "Benchmark Co")]):
    raise SystemExit("Benchmark Co already exists in this database")
company = env["res.company"].create({"name": "Benchmark Co", "currency_id": cny.id})
env["account.chart.template"]._load("generic_coa", company, False)
company.currency_id = cny
company.partner_id.tz = "Asia/Shanghai"
env.user.company_ids |= company
log("company and chart of accounts")

# Regions: 6 big regions under a country, the rest spread below them.
Region = env["sale.region"].with_company(company)
root = Region.create({"name": "Country", "code": "B", "company_id": company.id})
big = Region.create(
    [
        {
            "name": f"Big {i}",
            "code": f"B{i}",
            "parent_id": root.id,
            "company_id": company.id,
        }
        for i in range(6)
    ]
)
subs = Region.create(
    [
        {
            "name": f"Area {i}",
            "code": f"B{i % 6}-{i}",
            "parent_id": big[i % 6].id,
            "company_id": company.id,
        }
        for i in range(REGIONS - 7)
    ]
)
leaves = subs or big
teams = env["crm.team"].create(
    [
        {
            "name": f"Team {i}",
            "region_id": leaves[i % len(leaves)].id,
            "company_id": company.id,
        }
        for i in range(TEAMS)
    ]
)
log(f"{len(root | big | subs)} regions, {len(teams)} teams")

cr.execute("SELECT setseed(0.42)")
cr.execute(
    """
    CREATE TEMP TABLE bench_users AS
    WITH p AS (
        INSERT INTO res_partner (name, active, type, autopost_bills, company_id,
                                 create_date, write_date)
        SELECT 'Rep ' || i, true, 'contact', 'ask', %(company)s, now(), now()
          FROM generate_series(1, %(users)s) i
        RETURNING id
    ), u AS (
        INSERT INTO res_users (login, partner_id, company_id, notification_type, active,
                               share, create_date, write_date)
        SELECT 'bench_rep_' || p.id, p.id, %(company)s, 'email', true, false, now(), now()
          FROM p
        RETURNING id
    )
    SELECT row_number() OVER (ORDER BY id) - 1 AS idx, id AS user_id FROM u
    """,
    {"company": company.id, "users": USERS},
)
cr.execute(
    "ALTER TABLE bench_users ADD COLUMN team_id int;"
    "UPDATE bench_users b SET team_id = t.ids[1 + b.idx %% array_length(t.ids, 1)]"
    "  FROM (SELECT array_agg(id ORDER BY id) AS ids FROM crm_team WHERE id IN %s) t",
    (tuple(teams.ids),),
)
cr.execute(
    """
    INSERT INTO crm_team_member (crm_team_id, user_id, active, create_date, write_date)
    SELECT team_id, user_id, true, now(), now() FROM bench_users
    """
)
cr.execute(
    "INSERT INTO res_company_users_rel (cid, user_id) SELECT %s, user_id FROM bench_users",
    (company.id,),
)
log(f"{USERS} salespeople")

cr.execute(
    """
    CREATE TEMP TABLE bench_customers AS
    WITH p AS (
        INSERT INTO res_partner (name, active, type, is_company, autopost_bills,
                                 create_date, write_date)
        SELECT 'Customer ' || i, true, 'contact', true, 'ask', now(), now()
          FROM generate_series(1, %(n)s) i
        RETURNING id
    )
    SELECT row_number() OVER (ORDER BY id) - 1 AS idx, id AS partner_id FROM p;
    UPDATE res_partner SET commercial_partner_id = id
     WHERE id IN (SELECT partner_id FROM bench_customers);
    """,
    {"n": CUSTOMERS},
)
cr.execute("ANALYZE bench_users; ANALYZE bench_customers")
log(f"{CUSTOMERS} customers")

# Orders: a customer belongs to one salesperson (idx modulo), spread over 3 years.
cr.execute(
    """
    CREATE TEMP TABLE bench_orders AS
    SELECT i AS idx, c.partner_id, u.user_id, u.team_id,
           make_timestamp(%(year)s - 2, 1, 1, 0, 0, 0)
             + (random() * 3 * 365 * 86400) * interval '1 second' AS date_order,
           round((1000 + random() * 99000)::numeric, 2) AS amount,
           CASE WHEN random() < 0.05 THEN 0.14 ELSE 1.0 END AS rate
      FROM generate_series(0, %(orders)s - 1) i
      JOIN bench_customers c ON c.idx = (i * 7919) %% %(customers)s
      JOIN bench_users u ON u.idx = c.idx %% %(users)s;
    ANALYZE bench_orders;
    INSERT INTO sale_order (name, company_id, partner_id, partner_invoice_id,
                            partner_shipping_id, user_id, team_id, date_order, state,
                            amount_untaxed, amount_total, currency_rate, currency_id,
                            create_date, write_date)
    SELECT 'BENCH/' || idx, %(company)s, partner_id, partner_id, partner_id, user_id,
           team_id, date_order, CASE WHEN idx %% 20 = 0 THEN 'draft' ELSE 'sale' END,
           amount * rate, amount * rate, rate, %(currency)s, now(), now()
      FROM bench_orders;
    INSERT INTO sale_order_line (order_id, name, product_uom_qty, price_unit,
                                 price_subtotal, customer_lead, company_id,
                                 create_date, write_date)
    SELECT so.id, 'Line ' || k, 1, so.amount_untaxed / 4, so.amount_untaxed / 4, 0,
           so.company_id, now(), now()
      FROM sale_order so, generate_series(1, 4) k
     WHERE so.company_id = %(company)s;
    """,
    {
        "year": YEAR,
        "orders": ORDERS,
        "customers": CUSTOMERS,
        "users": USERS,
        "company": company.id,
        "currency": cny.id,
    },
)
log(f"{ORDERS} orders, {ORDERS * 4} order lines")

sale_journal = env["account.journal"].search(
    [("company_id", "=", company.id), ("type", "=", "sale")], limit=1
)
bank_journal = env["account.journal"].search(
    [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
)
receivable = env["account.account"].search(
    [("company_ids", "in", company.id), ("account_type", "=", "asset_receivable")],
    limit=1,
)
# Invoices: one per order cycling over the orders, 10% credit notes; each invoice
# gets one or two payments (20% paid in two parts, the second 45 days later).
cr.execute(
    """
    CREATE TEMP TABLE bench_invoices AS
    SELECT i AS idx, o.partner_id, o.user_id, o.team_id,
           (o.date_order + interval '10 days')::date AS invoice_date,
           CASE WHEN i %% 10 = 9 THEN 'out_refund' ELSE 'out_invoice' END AS move_type,
           CASE WHEN i %% 10 = 9 THEN -o.amount / 5 ELSE o.amount END AS amount,
           (i %% 5 = 0) AS split
      FROM generate_series(0, %(invoices)s - 1) i
      JOIN bench_orders o ON o.idx = i %% %(orders)s;
    ANALYZE bench_invoices;
    INSERT INTO account_move (name, ref, journal_id, company_id, currency_id, state,
                              move_type, auto_post, date, invoice_date, partner_id,
                              commercial_partner_id, invoice_user_id, team_id,
                              amount_untaxed_signed, amount_total_signed,
                              create_date, write_date)
    SELECT 'BINV/' || idx, 'BINV' || idx, %(sale_journal)s, %(company)s, %(currency)s,
           'posted', move_type, 'no', invoice_date, invoice_date, partner_id, partner_id,
           user_id, team_id, amount, amount, now(), now()
      FROM bench_invoices;
    CREATE TEMP TABLE bench_payments AS
    SELECT i.idx, k, i.partner_id,
           (i.invoice_date + (30 + 45 * (k - 1)) * interval '1 day')::date AS pay_date,
           CASE WHEN i.split THEN round(i.amount / 2, 2) ELSE i.amount END AS amount
      FROM bench_invoices i, generate_series(1, 2) k
     WHERE i.move_type = 'out_invoice' AND (k = 1 OR i.split);
    ANALYZE bench_payments;
    INSERT INTO account_move (name, ref, journal_id, company_id, currency_id, state,
                              move_type, auto_post, date, partner_id,
                              create_date, write_date)
    SELECT 'BPAY/' || idx || '/' || k, 'BPAY' || idx || '/' || k, %(bank_journal)s,
           %(company)s, %(currency)s, 'posted', 'entry', 'no', pay_date, partner_id,
           now(), now()
      FROM bench_payments;
    -- Integer keys for the joins below (text keys made the planner loop).
    CREATE TEMP TABLE inv_map AS
    SELECT id AS move_id, substring(ref FROM 5)::int AS idx
      FROM account_move WHERE company_id = %(company)s AND ref LIKE 'BINV%%';
    CREATE TEMP TABLE pay_map AS
    SELECT id AS move_id, split_part(substring(ref FROM 5), '/', 1)::int AS idx,
           split_part(ref, '/', 2)::int AS k
      FROM account_move WHERE company_id = %(company)s AND ref LIKE 'BPAY%%';
    ANALYZE inv_map; ANALYZE pay_map; ANALYZE bench_payments;
    CREATE TEMP TABLE inv_lines AS
    WITH ins AS (
        INSERT INTO account_move_line (move_id, name, account_id, journal_id, company_id,
                                       currency_id, display_type, date, partner_id,
                                       balance, debit, credit, amount_currency,
                                       create_date, write_date)
        SELECT m.id, m.ref, %(receivable)s, m.journal_id, m.company_id, m.currency_id,
               'payment_term', m.date, m.partner_id,
               m.amount_total_signed, m.amount_total_signed, 0, m.amount_total_signed,
               now(), now()
          FROM account_move m JOIN inv_map im ON im.move_id = m.id
         WHERE m.move_type = 'out_invoice'
        RETURNING id, move_id
    )
    SELECT ins.id AS line_id, im.idx FROM ins JOIN inv_map im ON im.move_id = ins.move_id;
    CREATE TEMP TABLE pay_lines AS
    WITH ins AS (
        INSERT INTO account_move_line (move_id, name, account_id, journal_id, company_id,
                                       currency_id, display_type, date, partner_id,
                                       balance, debit, credit, amount_currency,
                                       create_date, write_date)
        SELECT m.id, m.ref, %(receivable)s, m.journal_id, m.company_id, m.currency_id,
               'payment_term', m.date, m.partner_id, -p.amount, 0, p.amount, -p.amount,
               now(), now()
          FROM bench_payments p
          JOIN pay_map pm ON pm.idx = p.idx AND pm.k = p.k
          JOIN account_move m ON m.id = pm.move_id
        RETURNING id, move_id
    )
    SELECT ins.id AS line_id, pm.idx, pm.k
      FROM ins JOIN pay_map pm ON pm.move_id = ins.move_id;
    ANALYZE inv_lines; ANALYZE pay_lines;
    INSERT INTO account_partial_reconcile (debit_move_id, credit_move_id, amount,
                                           debit_amount_currency,
                                           credit_amount_currency, max_date,
                                           company_id, create_date, write_date)
    SELECT il.line_id, pl.line_id, p.amount, p.amount, p.amount, p.pay_date,
           %(company)s, now(), now()
      FROM bench_payments p
      JOIN inv_lines il ON il.idx = p.idx
      JOIN pay_lines pl ON pl.idx = p.idx AND pl.k = p.k;
    """,
    {
        "invoices": INVOICES,
        "orders": ORDERS,
        "company": company.id,
        "currency": cny.id,
        "sale_journal": sale_journal.id,
        "bank_journal": bank_journal.id,
        "receivable": receivable.id,
    },
)
cr.execute("SELECT count(*) FROM bench_payments")
log(f"{INVOICES} invoices and credit notes, {cr.fetchone()[0]} payments")
cr.execute("ANALYZE")

# Targets for BENCH_YEAR: company, every region, team and salesperson, per metric.
env.invalidate_all()
Target = (
    env["sale.target"]
    .with_company(company)
    .with_context(tracking_disable=True, mail_create_nolog=True)
)
cr.execute("SELECT user_id, team_id FROM bench_users ORDER BY idx")
members = cr.fetchall()
regions = (root | big | subs).sorted("parent_path")
count = 0
for metric in ("revenue", "invoiced", "collected", "new_customers"):
    base = {
        "metric": metric,
        "date_from": f"{YEAR}-01-01",
        "date_to": f"{YEAR}-12-31",
        "company_id": company.id,
        "currency_id": cny.id,
        "amount": 1_000_000.0,
    }
    top = Target.create(dict(base, amount=1e9))
    by_region = {}
    for region in regions:
        parent = by_region.get(region.parent_id.id, top)
        by_region[region.id] = Target.create(
            dict(base, region_id=region.id, parent_id=parent.id)
        )
    team_targets = Target.create(
        [
            dict(base, team_id=team.id, parent_id=by_region[team.region_id.id].id)
            for team in teams
        ]
    )
    by_team = dict(zip(teams.ids, team_targets.ids, strict=True))
    Target.create(
        [
            dict(base, team_id=team_id, user_id=user_id, parent_id=by_team[team_id])
            for user_id, team_id in members
        ]
    )
    count += 1 + len(regions) + len(teams) + len(members)
    log(f"targets for {metric}")
env.cr.commit()
log(f"done: {count} targets")
