"""Demo data that XML cannot express well: three years of sales history.

Not a model: imported only when the demo data is loaded, through the thin
``sale.regional.target.demo`` entry points that demo/*.xml call. Everything is
drawn from a seeded random generator, so every demo database holds the same
documents, and dated relative to today, so the current year is always partly
done.
"""

import logging
import random
import time as clock
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields

from ..tools.lifecycle import STAGES

_logger = logging.getLogger(__name__)

# Last year's revenue per big region (CNY), before growth and noise: about 0.8 billion.
REGION_VOLUME = {
    "region_east": 270e6,
    "region_north": 170e6,
    "region_south": 150e6,
    "region_central": 90e6,
    "region_west": 70e6,
    "region_northeast": 50e6,
}
YEAR_FACTOR = {-2: 0.85, -1: 1.0}
# This year's pace against last year, per region: the +50% collections plan is met
# unevenly, so the war room shows every pace status.
THIS_YEAR_GROWTH = {
    "region_east": 1.75,
    "region_north": 1.6,
    "region_south": 1.9,
    "region_central": 2.0,
    "region_west": 2.2,
    "region_northeast": 1.2,
}
# Region potential this year: market capacity (billion CNY), market growth (%),
# purchasing power (index), outlets, team capability (out of 10). The west grows
# fast from a small base: potential favours it more than history does.
POTENTIAL = {
    "region_east": (420.0, 6.5, 118.0, 5200, 8.5),
    "region_north": (300.0, 5.0, 105.0, 3600, 7.0),
    "region_south": (350.0, 7.5, 112.0, 4300, 7.5),
    "region_central": (260.0, 8.5, 92.0, 3400, 6.0),
    "region_west": (240.0, 11.0, 86.0, 3000, 6.5),
    "region_northeast": (150.0, 2.5, 84.0, 2000, 6.0),
}
POTENTIAL_FACTORS = [
    "factor_market_capacity",
    "factor_growth_rate",
    "factor_purchasing_power",
    "factor_outlets",
    "factor_team_capability",
]
ORDERS_PER_REP_YEAR = 4
# East China salespeople whose key actions lag in the weeks the demo plays: the
# share of their due actions (overdue ones included) they do each week, the first
# week first, so that the weekly checks raise, escalate and resolve lag warnings.
# Liu Yang does nothing for four weeks (his warning goes to Chen Jie, then to Zhao
# Min), Wu Fang keeps up the first week and then stops (with Sun Hao now), Lin Tao
# stops for two weeks and catches up (his warning is resolved).
LAGGING_WEEKS = {
    "user_liu_yang": (0.0, 0.0, 0.0, 0.0),
    "user_wu_fang": (0.75, 0.0, 0.0, 0.0),
    "user_lin_tao": (0.0, 0.0, 1.0, 1.0),
}
CITY_WORDS = [
    "Suzhou",
    "Ningbo",
    "Wuxi",
    "Hefei",
    "Jinan",
    "Qingdao",
    "Hangzhou",
    "Nanjing",
    "Tianjin",
    "Shijiazhuang",
    "Dongguan",
    "Foshan",
    "Wuhan",
    "Changsha",
    "Chengdu",
    "Chongqing",
    "Xi'an",
    "Shenyang",
    "Dalian",
    "Harbin",
    "Zhengzhou",
    "Nanning",
]
INDUSTRY_WORDS = [
    "Precision Machinery",
    "Auto Parts",
    "Steel Works",
    "Electronics",
    "Packaging",
    "Chemical Engineering",
    "Textile Machinery",
    "New Energy",
    "Shipbuilding",
    "Pharmaceutical Equipment",
    "Food Processing",
    "Rail Components",
]
PRODUCTS = [
    ("CNC Machining Center", 2_800_000.0),
    ("Industrial Air Compressor", 650_000.0),
    ("Automated Assembly Line", 5_200_000.0),
    ("Annual Maintenance Contract", 380_000.0),
]


class DemoGenerator:
    """The seed company's demo: its chart, history, potential, allocations and
    customer lifecycle, generated in ``env``."""

    def __init__(self, env):
        self.env = env

    def _demo_company(self):
        return self.env.ref("sale_regional_target.demo_company")

    def _load_chart(self):
        company = self._demo_company()
        if not company.chart_template:
            self.env["account.chart.template"]._load("generic_coa", company, False)
            # The generic chart brings its own currency; the seed company books in CNY.
            company.currency_id = self.env.ref("base.CNY")
        # Order dates count as days in Shanghai.
        company.partner_id.tz = "Asia/Shanghai"

    def _demo_potential(self):
        """Factor values per big region for last year and this one."""
        ref = self.env.ref
        year = fields.Date.context_today(self.env.user).year
        vals = []
        for region_xmlid, values in POTENTIAL.items():
            region = ref(f"sale_regional_target.{region_xmlid}")
            for factor_xmlid, value in zip(POTENTIAL_FACTORS, values, strict=True):
                factor = ref(f"sale_regional_target.{factor_xmlid}")
                for offset, scale in ((-1, 0.94), (0, 1.0)):
                    vals.append(
                        {
                            "region_id": region.id,
                            "factor_id": factor.id,
                            "year": year + offset,
                            "value": round(value * scale, 2)
                            if factor_xmlid != "factor_growth_rate"
                            else value,
                        }
                    )
        self.env["sale.region.factor.value"].create(vals)

    def _demo_allocations(self):
        """Next year's collections plan split among the regions by history (plan A)
        and by potential (plan B), each compared with the other in the wizard."""
        plans = [
            ("target_hq_next_history", "history", "potential"),
            ("target_hq_next_potential", "potential", "history"),
        ]
        for xmlid, method, compare in plans:
            target = self.env.ref(f"sale_regional_target.{xmlid}")
            wizard = self.env["sale.target.allocation.wizard"].create(
                {
                    "target_id": target.id,
                    "version": target.allocation_version,
                    "method": method,
                    "compare_method": compare,
                    "rounding_unit": "10000",
                    "growth_cap": 0.0,
                }
            )
            wizard.action_preview()
            wizard.action_confirm()

    def _generate_history(self, seed=2026):
        company = self._demo_company()
        env = (
            self.env["res.users"]
            .with_company(company)
            .with_context(
                tracking_disable=True,
                mail_create_nolog=True,
                mail_notrack=True,
                mail_auto_subscribe_no_notify=True,
            )
            .env
        )
        rng = random.Random(seed)
        today = fields.Date.context_today(self.env.user)
        products = env["product.product"].create(
            [
                {
                    "name": name,
                    "type": "service" if "Contract" in name else "consu",
                    "invoice_policy": "order",
                    "list_price": price,
                    "company_id": company.id,
                }
                for name, price in PRODUCTS
            ]
        )
        started = clock.monotonic()

        def progress(step):
            # about a minute and a half in all: say where it stands
            _logger.info("Demo history (%.0f s): %s", clock.monotonic() - started, step)

        reps = self._demo_reps(env)
        customers = self._demo_customers(env, rng, reps, company)
        progress(f"{len(customers)} customers of {len(reps)} salespeople")
        order_vals, plan = self._demo_order_plan(rng, reps, customers, products, today)
        orders = env["sale.order"].create(order_vals)
        progress(f"{len(orders)} orders over three years, confirming them")
        orders.action_confirm()
        for order, spec in zip(orders, plan, strict=True):
            order.date_order = datetime.combine(spec["date"], time(10, 0))
        progress("orders confirmed; invoicing and collecting payments")
        self._demo_invoice_and_pay(env, rng, orders, plan, today, progress)
        progress("invoices posted and payments registered")

    def _refresh_actuals(self):
        """Fill the demo targets' actuals at once rather than at the first cron run."""
        self.env["sale.target"].search(
            [("company_id", "=", self._demo_company().id)]
        )._refresh_actuals()

    def _demo_growing_customers(self, company, count=6):
        """Customers of the big regions' first salespeople that had gone quiet
        and buy again, more each quarter: the growing ones of the heat map."""
        today = fields.Date.context_today(self.env.user)
        since = datetime.combine(today - relativedelta(months=9), time.min)
        self.env.cr.execute(
            """
            SELECT p.id FROM res_partner p
             WHERE p.company_id = %s AND p.is_company AND p.user_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM sale_order so
                                WHERE so.partner_id = p.id AND so.date_order >= %s)
               AND EXISTS (SELECT 1 FROM sale_order so WHERE so.partner_id = p.id)
             ORDER BY p.id LIMIT %s
            """,
            [company.id, since, count],
        )
        partners = self.env["res.partner"].browse(
            [r[0] for r in self.env.cr.fetchall()]
        )
        product = self.env["product.product"].search(
            [("company_id", "=", company.id), ("sale_ok", "=", True)], limit=1
        )
        vals, days = [], []
        for i, partner in enumerate(partners):
            base = 2_000_000 + 500_000 * i
            for months_back, factor in ((8, 1.0), (5, 1.3), (2, 1.7)):
                days.append(today - relativedelta(months=months_back))
                vals.append(
                    {
                        "partner_id": partner.id,
                        "user_id": partner.user_id.id,
                        "team_id": partner.user_id.sale_team_id.id,
                        "company_id": company.id,
                        "order_line": [
                            fields.Command.create(
                                {
                                    "product_id": product.id,
                                    "product_uom_qty": 1,
                                    "price_unit": round(base * factor, -2),
                                    "tax_id": [fields.Command.clear()],
                                }
                            )
                        ],
                    }
                )
        orders = self.env["sale.order"].with_company(company).create(vals)
        orders.action_confirm()
        for order, day in zip(orders, days, strict=True):
            order.date_order = datetime.combine(day, time(10, 0))
        self._refresh_actuals()

    def _demo_lifecycle(self, weeks=4, done_rate=0.75, seed=18):
        """Classify the demo customers, confirm most stages ``weeks`` weeks ago
        (some left to review, some proposed by their salesperson), then play the
        weeks: each Monday the scheduler plans the packs and about ``done_rate``
        of the actions falling due that week are done, some late."""
        rng = random.Random(seed)
        company = self._demo_company()
        Lifecycle = self.env["sale.customer.lifecycle"].sudo()
        self._demo_growing_customers(company)
        Lifecycle._cron_classify()
        lifecycles = Lifecycle.search(
            [("company_id", "=", company.id), ("suggested_stage", "!=", False)],
            order="id",
        )
        to_review = lifecycles[::9]
        proposed = lifecycles[4::13] - to_review
        for record in proposed:
            choices = [s for s in STAGES if s != record.suggested_stage]
            record.write(
                {
                    "proposed_stage": rng.choice(choices),
                    "proposal_note": self.env._(
                        "Visited last week: their plans changed."
                    ),
                }
            )
        today = fields.Date.context_today(self.env.user)
        start = today - timedelta(days=today.weekday() + 7 * weeks)
        confirmed = lifecycles - to_review - proposed
        # confirmed a month before the first simulated week: work is due at once
        reviewed = start - timedelta(days=28)
        for stage, records in confirmed.grouped("suggested_stage").items():
            records.with_context(lifecycle_review=True).write(
                {
                    "stage": stage,
                    "review_state": "confirmed",
                    "reviewed_by_id": self.env.ref(
                        "sale_regional_target.user_director"
                    ).id,
                    "review_date": reviewed,
                }
            )
        Activity = self.env["mail.activity"].with_context(active_test=False)
        lagging = {
            self.env.ref(f"sale_regional_target.{xmlid}"): plan
            for xmlid, plan in LAGGING_WEEKS.items()
        }

        for week in range(weeks):
            monday = start + timedelta(days=7 * week)
            confirmed._schedule_action_packs(today=monday)
            due = Activity.search(
                [
                    ("action_pack_line_id", "!=", False),
                    ("active", "=", True),
                    ("date_deadline", "<", monday + timedelta(days=7)),
                ],
                order="date_deadline, id",
            )
            drawn = due.filtered(lambda a: rng.random() < done_rate)
            done = drawn.filtered(lambda a: a.user_id not in lagging)
            for user, shares in lagging.items():
                theirs = due.filtered(lambda a, user=user: a.user_id == user)
                share = shares[week] if week < len(shares) else done_rate
                done |= theirs[: int(share * len(theirs))]
            if not done:
                continue
            done.action_done()
            for activity in done:
                # done on a day of that week, never before it was planned
                day = monday + timedelta(days=rng.randrange(5))
                activity.date_done = max(day, monday)
        confirmed._schedule_action_packs(today=today)
        self.env["mail.activity"]._refresh_action_buckets(today)
        self.env["sale.action.completion"]._compute_weeks(start, today)

    def _demo_lag_warnings(self, weeks=4):
        """Play the weekly lag checks of the weeks ``_demo_lifecycle`` played
        (key actions only: the targets' figures are today's), then this week's
        check with every rule; the Shanghai team's leader acknowledges its
        target's pace warning with an improvement plan."""
        company = self._demo_company()
        Warning = self.env["sale.target.warning"]
        today = fields.Date.context_today(self.env.user)
        monday = today - timedelta(days=today.weekday())
        # the two weeks before this one: the first check needs two played weeks
        for back in range(weeks - 2, 0, -1):
            Warning._run_weekly_check(
                company,
                monday - timedelta(days=7 * back),
                refresh=False,
                rules=["actions"],
                digests=False,
            )
        Warning._run_weekly_check(company, today)
        leader = self.env.ref("sale_regional_target.user_chen_jie")
        team_target = self.env.ref("sale_regional_target.target_team_shanghai")
        warning = Warning.search(
            [
                ("target_id", "=", team_target.id),
                ("state", "=", "open"),
                ("rule", "=", "pace"),
            ],
            limit=1,
        )
        if warning:
            plan = self.env._(
                "Weekly visits to the three largest key accounts with a joint "
                "offer from the service team; Lao Wang brings the Q2 tender "
                "forward."
            )
            warning.with_user(leader)._acknowledge(
                plan, leader, today + timedelta(days=21)
            )

    def _demo_reps(self, env):
        """[(user, team, region xmlid, weight)] for every demo salesperson."""
        reps = []
        for region_xmlid in REGION_VOLUME:
            region = env.ref(f"sale_regional_target.{region_xmlid}")
            teams = env["crm.team"].search([("region_id", "child_of", region.id)])
            members = teams.crm_team_member_ids
            for member in members:
                reps.append((member.user_id, member.crm_team_id, region_xmlid))
        return reps

    def _demo_customers(self, env, rng, reps, company):
        """A handful of business customers per salesperson, in their team's region."""
        vals, owners = [], []
        profiles = self._demo_profiles(env)
        for user, team, _region in reps:
            states = team.region_id.state_ids or team.region_id.parent_id.state_ids
            count = profiles.get(user, {}).get("customers", rng.randint(3, 6))
            for _i in range(count):
                state = rng.choice(states) if states else False
                name = (
                    f"{rng.choice(CITY_WORDS)} {rng.choice(INDUSTRY_WORDS)} Co., Ltd."
                )
                vals.append(
                    {
                        "name": name,
                        "is_company": True,
                        "company_id": company.id,
                        "country_id": env.ref("base.cn").id,
                        "state_id": state.id if state else False,
                        "user_id": user.id,
                    }
                )
                owners.append(user)
        partners = env["res.partner"].create(vals)
        customers = defaultdict(list)
        for partner, user in zip(partners, owners, strict=True):
            customers[user].append(partner)
        return customers

    def _demo_profiles(self, env):
        """The seed's named salespeople behave as the case describes."""
        ref = env.ref
        return {
            # A new hire: three large manufacturers signed this year, no history.
            ref("sale_regional_target.user_xiao_li"): {
                "customers": 3,
                "new": True,
                "weight": 0.7,
            },
            # A veteran: five stable repeat buyers ordering every quarter.
            ref("sale_regional_target.user_lao_wang"): {
                "customers": 5,
                "quarterly": True,
                "weight": 1.6,
            },
        }

    def _demo_order_plan(self, rng, reps, customers, products, today):
        profiles = self._demo_profiles(self.env)
        per_region = defaultdict(list)
        for rep in reps:
            per_region[rep[2]].append(rep)
        vals, plan = [], []
        for region_xmlid, region_reps in per_region.items():
            weights = {
                rep[0]: profiles.get(rep[0], {}).get("weight", rng.uniform(0.7, 1.3))
                for rep in region_reps
            }
            total_weight = sum(weights.values())
            factors = {**YEAR_FACTOR, 0: THIS_YEAR_GROWTH[region_xmlid]}
            for offset, factor in factors.items():
                year = today.year + offset
                volume = REGION_VOLUME[region_xmlid] * factor
                for user, team, _r in region_reps:
                    profile = profiles.get(user, {})
                    if profile.get("new") and offset < 0:
                        continue
                    rep_volume = volume * weights[user] / total_weight
                    if profile.get("quarterly"):
                        dates = [
                            date(year, month, rng.randint(5, 25))
                            for month in (2, 5, 8, 11)
                            for _c in customers[user]
                        ]
                    else:
                        dates = [
                            self._demo_date(rng, year)
                            for _i in range(ORDERS_PER_REP_YEAR)
                        ]
                    # The current year counts only what has happened by today.
                    dates = [d for d in dates if d <= today]
                    slots = (
                        len(dates)
                        if offset < 0 or not dates
                        else max(len(dates), ORDERS_PER_REP_YEAR)
                    )
                    for i, day in enumerate(sorted(dates)):
                        partner = (
                            customers[user][i % len(customers[user])]
                            if profile.get("quarterly")
                            else rng.choice(customers[user])
                        )
                        amount = rep_volume / slots * rng.uniform(0.6, 1.4)
                        product = rng.choice(products)
                        qty = max(1, round(amount / product.list_price))
                        vals.append(
                            {
                                "partner_id": partner.id,
                                "user_id": user.id,
                                "team_id": team.id,
                                "company_id": partner.company_id.id,
                                "order_line": [
                                    fields.Command.create(
                                        {
                                            "product_id": product.id,
                                            "product_uom_qty": qty,
                                            "price_unit": round(amount / qty, -2),
                                            "tax_id": [fields.Command.clear()],
                                        }
                                    )
                                ],
                            }
                        )
                        plan.append({"date": day})
        return vals, plan

    @staticmethod
    def _demo_date(rng, year):
        """A day in ``year``, busier towards the end of the year (seasonality)."""
        month = rng.choices(
            range(1, 13), weights=[5, 4, 7, 8, 8, 9, 7, 7, 9, 9, 11, 14]
        )[0]
        return date(year, month, rng.randint(1, 28))

    def _demo_invoice_and_pay(self, env, rng, orders, plan, today, progress=None):
        invoice_dates = {
            order: spec["date"] + timedelta(days=rng.randint(0, 20))
            for order, spec in zip(orders, plan, strict=True)
        }
        # Orders invoiced after today stay to invoice.
        to_invoice = orders.filtered(lambda order: invoice_dates[order] <= today)
        invoices = to_invoice._create_invoices(grouped=True)
        payments = defaultdict(list)  # payment date -> [(invoice, share)]
        for invoice in invoices:
            invoice_date = invoice_dates[
                invoice.invoice_line_ids.sale_line_ids.order_id
            ]
            invoice.invoice_date = invoice_date
            if (today - invoice_date).days < 30:
                continue  # not due yet
            if (today - invoice_date).days < 100:
                # Recent invoices: a down payment now, the rest still owed.
                payments[today].append((invoice, 0.5))
                continue
            paid_on = invoice_date + timedelta(days=rng.choice([30, 45, 60, 90]))
            # Snap to the 10th or the 25th: customers pay in batches.
            paid_on = paid_on.replace(day=10 if paid_on.day <= 15 else 25)
            if rng.random() < 0.3:
                first = paid_on
                payments[first].append((invoice, 0.5))
                rest = first + timedelta(days=rng.choice([60, 90, 120]))
                payments[rest.replace(day=10 if rest.day <= 15 else 25)].append(
                    (invoice, 1.0)
                )
            else:
                payments[paid_on].append((invoice, 1.0))
        invoices.action_post()
        days = [day for day in sorted(payments) if day <= today]
        if progress:
            progress(f"{len(invoices)} invoices posted; payments on {len(days)} days")
        for i, paid_on in enumerate(days, start=1):
            if progress and i % 20 == 0:
                progress(f"payments: {i} of {len(days)} days")
            full = env["account.move"]
            for invoice, share in payments[paid_on]:
                if share >= 1.0:
                    full |= invoice
                else:
                    env["account.payment.register"].with_context(
                        active_model="account.move", active_ids=invoice.ids
                    ).create(
                        {
                            "payment_date": paid_on,
                            "amount": round(invoice.amount_residual * share, 2),
                            "payment_difference_handling": "open",
                        }
                    )._create_payments()
            full = full.filtered(
                lambda m: m.payment_state not in ("paid", "in_payment")
            )
            if full:
                env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=full.ids
                ).create(
                    {"payment_date": paid_on, "group_payment": True}
                )._create_payments()
