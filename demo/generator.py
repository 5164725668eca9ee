"""Demo data that XML cannot express well: three years of sales history, and the
CRM opportunities behind it (won, lost, and this year's open pipeline).

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
from odoo.tools import SQL

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
# The seed company's customers are Chinese companies, named in Chinese: a city,
# an industry and the company form.
CITY_WORDS = [
    "苏州",
    "宁波",
    "无锡",
    "合肥",
    "济南",
    "青岛",
    "杭州",
    "南京",
    "天津",
    "石家庄",
    "东莞",
    "佛山",
    "武汉",
    "长沙",
    "成都",
    "重庆",
    "西安",
    "沈阳",
    "大连",
    "哈尔滨",
    "郑州",
    "南宁",
]
INDUSTRY_WORDS = [
    "精密机械",
    "汽车零部件",
    "钢铁",
    "电子",
    "包装",
    "化工",
    "纺织机械",
    "新能源",
    "造船",
    "制药设备",
    "食品加工",
    "轨道交通配件",
]
COMPANY_FORM = "有限公司"
PROSPECT_WORDS = ["集团", "控股", "科技"]
# (name, list price, a service): the annual maintenance contract is a service
PRODUCTS = [
    ("数控加工中心", 2_800_000.0, False),
    ("工业空气压缩机", 650_000.0, False),
    ("自动化装配线", 5_200_000.0, False),
    ("年度维保合同", 380_000.0, True),
]
# The language the seed company's people read, where it is installed.
DEMO_LANG = "zh_CN"
# Customers pay within 30 days of the invoice (Odoo's "30 Days" payment term).
PAYMENT_DAYS = 30
# A few customers pay late every time: this many days after the due date.
LATE_PAYERS = 3
LATE_DAYS = (60, 120)
LATE_SEED = 60
# Everybody else has paid an invoice in full before it is this many days overdue
# (the forecast calls receivables overdue by more than 180 days doubtful).
PAID_BY = 170
# The CRM behind the history: the share of the last two years' orders won through
# an opportunity, the days from creation to closing of won and lost ones, the
# range of the teams' win rates (won / closed), and the share of closed
# opportunities whose expected revenue was revised midway.
WON_SHARE = 0.4
WON_CYCLE = (20, 90)
LOST_CYCLE = (15, 80)
WIN_RATES = (0.35, 0.65)
REVISED_SHARE = 0.35
# This year's open pipeline: opportunities per salesperson, each a share of the
# salesperson's last twelve months of orders, created this many days ago; the
# share of them for new prospects (companies that never ordered).
OPEN_PER_REP = (1, 3)
OPEN_SHARE = (0.03, 0.15)
OPEN_AGE = (14, 56)
PROSPECT_SHARE = 0.3
# Lao Wang's fixed tender: his first customer's order of the second quarter.
TENDER_MONTHS = (4, 5, 6)
# The opportunities' names: the customer, then what they buy (or the tender).
LEAD_NAME = "{partner}：{product}"
TENDER_NAME = "{partner}：{year}年二季度招标"


class DemoGenerator:
    """The seed company's demo: its chart, history, potential, allocations and
    customer lifecycle, generated in ``env``."""

    def __init__(self, env):
        self.env = env

    def _demo_company(self):
        return self.env.ref("sale_regional_target.demo_company")

    def _demo_languages(self):
        """Where Chinese is installed (``make demo`` installs it), the seed
        company and its people read Chinese from the start, so that what the
        demo and the weekly checks write to them (activities, notes, plans,
        chatter) is written in Chinese. This addon's Chinese terms are loaded
        at once (Odoo loads them only after the demo data), and again once the
        demo's records with translated names (regions, teams, packs) exist."""
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        if DEMO_LANG not in installed:
            return
        self.env["ir.module.module"].search(
            [("name", "=", "sale_regional_target")]
        )._update_translations([DEMO_LANG])
        company = self._demo_company()
        self.env["res.users"].search([("company_id", "=", company.id)]).write(
            {"lang": DEMO_LANG}
        )
        company.partner_id.lang = DEMO_LANG

    def _env_of(self, user):
        """The environment in the language of ``user`` (or partner): what they
        write or are written is in it."""
        return self.env(context=dict(self.env.context, lang=user.lang or "en_US"))

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
        # allocated by HQ: its note on the plan reads in the company's language
        env = self._env_of(self._demo_company().partner_id)
        for xmlid, method, compare in plans:
            target = env.ref(f"sale_regional_target.{xmlid}")
            wizard = env["sale.target.allocation.wizard"].create(
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

    def _quiet_env(self, company):
        """An environment in ``company`` that writes no chatter of its own: the
        demo's documents are created in bulk and dated afterwards."""
        return (
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

    def _generate_history(self, seed=2026):
        company = self._demo_company()
        env = self._quiet_env(company)
        rng = random.Random(seed)
        today = fields.Date.context_today(self.env.user)
        products = env["product.product"].create(
            [
                {
                    "name": name,
                    "type": "service" if service else "consu",
                    "invoice_policy": "order",
                    "list_price": price,
                    "company_id": company.id,
                }
                for name, price, service in PRODUCTS
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
        # the history was just written: the forecast learns from it again (as
        # the Refresh Actuals button does), not from what it saw before it
        self.env["sale.target"].search(
            [("company_id", "=", self._demo_company().id)]
        ).with_context(sale_target_refit=True)._refresh_actuals()

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
                    # written by the salesperson, in their language
                    "proposal_note": self._env_of(record.user_id)._(
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
            # the note that says so is written in the salesperson's language
            for lang, theirs in done.grouped(lambda a: a.user_id.lang).items():
                theirs.with_context(lang=lang or "en_US").action_done()
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
            env = self._env_of(leader)
            plan = env._(
                "Weekly visits to the three largest key accounts with a joint "
                "offer from the service team; Lao Wang brings the Q2 tender "
                "forward."
            )
            warning.with_env(env).with_user(leader)._acknowledge(
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
                city, industry = rng.choice(CITY_WORDS), rng.choice(INDUSTRY_WORDS)
                name = f"{city}{industry}{COMPANY_FORM}"
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
        """Invoice the orders on a day of the following three weeks, due 30 days
        later, and collect payments: most customers pay within three months, in
        batches, some in two parts; the late payers pay two to four months after
        the due date and owe the most recent ones, and two of their invoices are
        left unpaid more than half a year after they fell due (doubtful)."""
        invoice_dates = {
            order: spec["date"] + timedelta(days=rng.randint(0, 20))
            for order, spec in zip(orders, plan, strict=True)
        }
        # Orders invoiced after today stay to invoice.
        to_invoice = orders.filtered(lambda order: invoice_dates[order] <= today)
        invoices = to_invoice._create_invoices(grouped=True)
        dated = {
            invoice: invoice_dates[invoice.invoice_line_ids.sale_line_ids.order_id]
            for invoice in invoices
        }
        late_payers = self._demo_late_payers(env, dated, today)
        doubtful = self._demo_doubtful(dated, late_payers, today)
        # the late payers draw from their own generator: the others' payments are
        # those they always were
        late_rng = random.Random(LATE_SEED)
        term = env.ref("account.account_payment_term_30days", raise_if_not_found=False)
        payments = defaultdict(list)  # payment date -> [(invoice, share)]
        for invoice, invoice_date in dated.items():
            vals = {"invoice_date": invoice_date}
            if term:
                vals["invoice_payment_term_id"] = term.id
            else:
                vals["invoice_date_due"] = invoice_date + timedelta(days=PAYMENT_DAYS)
            invoice.write(vals)
            schedule = self._demo_payment_schedule(rng, invoice_date, today)
            if invoice in doubtful:
                schedule = doubtful[invoice]
            elif invoice.partner_id in late_payers:
                due = invoice_date + timedelta(days=PAYMENT_DAYS)
                schedule = [(due + timedelta(days=late_rng.randint(*LATE_DAYS)), 1.0)]
            for day, share in schedule:
                payments[day].append((invoice, share))
        invoices.action_post()
        days = [day for day in sorted(payments) if day <= today]
        if progress:
            progress(
                f"{len(invoices)} invoices posted; payments on {len(days)} days; "
                f"late payers: {', '.join(late_payers.mapped('name'))}"
            )
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

    @staticmethod
    def _demo_pay_day(day):
        """Snap to the 10th or the 25th: customers pay in batches."""
        return day.replace(day=10 if day.day <= 15 else 25)

    def _demo_payment_schedule(self, rng, invoice_date, today):
        """[(day, share of what is left)] of an invoice of a customer who pays
        on time, more or less."""
        age = (today - invoice_date).days
        if age < PAYMENT_DAYS:
            return []  # not due yet
        if age < 100:
            # Recent invoices: a down payment now, the rest still owed.
            return [(today, 0.5)]
        paid_on = self._demo_pay_day(
            invoice_date + timedelta(days=rng.choice([30, 45, 60, 90]))
        )
        if rng.random() < 0.3:
            rest = paid_on + timedelta(days=rng.choice([60, 90, 120]))
            # the rest comes before the invoice is half a year overdue
            rest = min(rest, invoice_date + timedelta(days=PAYMENT_DAYS + PAID_BY))
            return [(paid_on, 0.5), (self._demo_pay_day(rest), 1.0)]
        return [(paid_on, 1.0)]

    def _demo_late_payers(self, env, dated, today, count=LATE_PAYERS):
        """The customers who pay late: one per salesperson, none of the seed's
        named salespeople (Lao Wang's buyers are stable, Xiao Li's are new),
        with an invoice fallen due in the last two months (it is still owed) and
        one due more than 200 days ago (doubtful), the most invoiced first."""
        profiles = self._demo_profiles(env)
        invoices = defaultdict(list)
        for invoice, day in dated.items():
            invoices[invoice.partner_id].append(day)

        def fits(partner):
            dues = [day + timedelta(days=PAYMENT_DAYS) for day in invoices[partner]]
            return any(
                today - timedelta(days=60) <= due < today for due in dues
            ) and any(due <= today - timedelta(days=200) for due in dues)

        chosen = env["res.partner"]
        for partner in sorted(invoices, key=lambda p: (-len(invoices[p]), p.id)):
            if (
                partner.user_id in profiles
                or partner.user_id in chosen.user_id
                or not fits(partner)
            ):
                continue
            chosen |= partner
            if len(chosen) == count:
                break
        return chosen

    def _demo_doubtful(self, dated, late_payers, today):
        """{invoice: payment schedule} of the doubtful invoices: the latest
        invoice of each of the first two late payers that fell due more than 200
        days ago, the first never paid, the second paid 40 % three months late."""
        doubtful = {}
        for i, partner in enumerate(late_payers[:2]):
            old = [
                (day, invoice.id, invoice)
                for invoice, day in dated.items()
                if invoice.partner_id == partner
                and day + timedelta(days=PAYMENT_DAYS + 200) <= today
            ]
            if not old:
                continue
            day, _id, invoice = max(old)
            due = day + timedelta(days=PAYMENT_DAYS)
            doubtful[invoice] = [] if i == 0 else [(due + timedelta(days=90), 0.4)]
        return doubtful

    # ------------------------------------------------------------------
    # CRM: the opportunities behind the history, and this year's pipeline
    # ------------------------------------------------------------------
    def _demo_crm(self, seed=2027):
        """Opportunities of the last two years and the open pipeline.

        About 40 % of the last two years' confirmed orders were won through an
        opportunity (Lao Wang's Q2 tenders always), each team lost about as many
        as it won, and every closed opportunity has its stage changes (and, for
        some, a revised expected revenue) in its chatter, dated, so that the
        forecast's backtest reads each one's stage and amount at any past day.
        This year every salesperson has one to three open opportunities, some
        for new prospects; Lao Wang has next year's Q2 tender.
        """
        company = self._demo_company()
        env = self._quiet_env(company)
        rng = random.Random(seed)
        today = fields.Date.context_today(self.env.user)
        started = clock.monotonic()
        stages = env["crm.stage"].search(
            [("team_id", "=", False)], order="sequence, id"
        )
        won_stage = stages.filtered("is_won")[:1]
        steps = stages.filtered(lambda s: not s.is_won)
        since = today - relativedelta(years=2)
        orders = env["sale.order"].search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "sale"),
                ("date_order", ">=", datetime.combine(since, time.min)),
            ],
            order="date_order, id",
        )
        lao_wang = env.ref("sale_regional_target.user_lao_wang")
        tender_partner = env["res.partner"].search(
            [("user_id", "=", lao_wang.id), ("company_id", "=", company.id)],
            order="id",
            limit=1,
        )
        specs = self._demo_won_specs(
            rng, orders, tender_partner, won_stage, steps, today
        )
        specs += self._demo_lost_specs(env, rng, specs, steps, since, today)
        closed = len(specs)
        specs += self._demo_open_specs(
            env, rng, company, orders, steps, tender_partner, today
        )
        leads = env["crm.lead"].create([spec["vals"] for spec in specs])
        self._demo_date_leads(env, leads, specs)
        messages = self._demo_lead_messages(env, company, leads, specs)
        _logger.info(
            "Demo history (%.0f s): %s closed and %s open opportunities, "
            "%s messages in their chatter",
            clock.monotonic() - started,
            closed,
            len(specs) - closed,
            messages,
        )

    @staticmethod
    def _demo_window(moment, today):
        """0 for a moment of the year before last (365 to 730 days back), 1 for
        the last 365 days."""
        return 0 if moment.date() <= today - timedelta(days=365) else 1

    @staticmethod
    def _demo_stage_path(rng, steps, last):
        """The stages an opportunity went through up to ``steps[last]``, from the
        first one; now and then it skipped one on the way."""
        path = [steps[0]]
        for stage in steps[1 : last + 1]:
            if stage != steps[last] and rng.random() < 0.2:
                continue
            path.append(stage)
        return path

    @staticmethod
    def _demo_moments(rng, start, end, count):
        """``count`` sorted moments between ``start`` and ``end``."""
        span = (end - start).total_seconds()
        return [
            start + timedelta(seconds=round(span * share / 60) * 60)
            for share in sorted(rng.uniform(0.1, 0.9) for _i in range(count))
        ]

    def _demo_won_specs(self, rng, orders, tender_partner, won_stage, steps, today):
        """A won opportunity for 40 % of each team's ``orders`` of each of the two
        years (so that every team has some to learn its win rate from every
        year), Lao Wang's tender customer's Q2 orders always among them."""
        groups = defaultdict(list)
        tenders = set()
        for order in orders:
            groups[order.team_id, self._demo_window(order.date_order, today)].append(
                order
            )
            if (
                order.partner_id == tender_partner
                and order.date_order.month in TENDER_MONTHS
            ):
                tenders.add(order)
        won = set(tenders)
        for group in groups.values():
            others = [order for order in group if order not in tenders]
            count = round(WON_SHARE * len(group)) - (len(group) - len(others))
            won.update(rng.sample(others, max(0, min(count, len(others)))))
        specs = []
        for order in orders:
            if order not in won:
                continue
            tender = order in tenders
            closed_at = order.date_order
            created_at = closed_at - timedelta(
                days=rng.randint(*WON_CYCLE), hours=rng.randint(0, 8)
            )
            path = [*self._demo_stage_path(rng, steps, len(steps) - 1), won_stage]
            moments = self._demo_moments(rng, created_at, closed_at, len(path) - 2)
            product = order.order_line[:1].product_id
            name = (
                TENDER_NAME.format(partner=order.partner_id.name, year=closed_at.year)
                if tender
                else LEAD_NAME.format(
                    partner=order.partner_id.name, product=product.name
                )
            )
            # the expected closing day was about right
            deadline = closed_at.date() + timedelta(days=rng.randint(-20, 20))
            specs.append(
                {
                    "vals": {
                        "name": name,
                        "type": "opportunity",
                        "partner_id": order.partner_id.id,
                        "user_id": order.user_id.id,
                        "team_id": order.team_id.id,
                        "company_id": order.company_id.id,
                        "stage_id": won_stage.id,
                        "probability": 100.0,
                        "expected_revenue": order.amount_untaxed,
                        "date_deadline": deadline,
                        "order_ids": [fields.Command.link(order.id)],
                    },
                    "created": created_at,
                    "closed": closed_at,
                    "path": path,
                    "moments": [*moments, closed_at],
                    "revised": self._demo_revision(
                        rng,
                        order.amount_untaxed,
                        created_at,
                        (moments or [closed_at])[-1],
                    ),
                }
            )
        return specs

    @staticmethod
    def _demo_revision(rng, amount, created_at, before):
        """(moment, first estimate) of a revised expected revenue, for about a
        third of the opportunities, between their creation and ``before``; None
        for the others."""
        if rng.random() >= REVISED_SHARE:
            return None
        first = round(amount * rng.uniform(0.7, 1.3), -3)
        if abs(first - amount) < 1000:
            first = round(amount * 0.8, -3)
        moment = created_at + (before - created_at) * rng.uniform(0.3, 0.9)
        return moment.replace(microsecond=0), first

    def _demo_lost_specs(self, env, rng, won, steps, since, today):
        """About as many lost opportunities per team as it won: each team's win
        rate is drawn between 35 % and 65 %; each lost one is like one of the
        team's won ones (salesperson, size, time of year), for one of that
        salesperson's customers, lost in an early stage more often than in a
        late one."""
        reasons = env["crm.lost.reason"].search([], order="id")
        customers = defaultdict(list)
        for partner in env["res.partner"].search(
            [("company_id", "=", self._demo_company().id), ("is_company", "=", True)],
            order="id",
        ):
            customers[partner.user_id].append(partner)
        by_team = defaultdict(lambda: defaultdict(list))
        for spec in won:
            window = self._demo_window(spec["closed"], today)
            by_team[spec["vals"]["team_id"]][window].append(spec)
        year_ago = datetime.combine(today - timedelta(days=365), time(17, 0))
        bounds = {
            0: (datetime.combine(since, time(9, 0)), year_ago),
            1: (
                year_ago + timedelta(hours=18),
                datetime.combine(today - timedelta(days=1), time(17, 0)),
            ),
        }
        # lost in the second stage most often, in the last one least
        later = list(range(1, len(steps)))
        weights = [len(steps) - i for i in later]
        specs = []
        for team_id in sorted(by_team):
            rate = rng.uniform(*WIN_RATES)
            for window, team_won in sorted(by_team[team_id].items()):
                for _i in range(round(len(team_won) * (1 - rate) / rate)):
                    like = rng.choice(team_won)
                    path = self._demo_stage_path(
                        rng, steps, rng.choices(later, weights=weights)[0]
                    )
                    specs.append(
                        self._demo_lost_spec(
                            env, rng, like, customers, bounds[window], path, reasons
                        )
                    )
        return specs

    def _demo_lost_spec(self, env, rng, like, customers, bounds, path, reasons):
        """A lost opportunity like the won one ``like``: same salesperson, a
        close size, lost within 45 days of it, between ``bounds``, after going
        through ``path``."""
        vals = like["vals"]
        first, last = bounds
        user = env["res.users"].browse(vals["user_id"])
        partner = rng.choice(
            customers.get(user) or [env["res.partner"].browse(vals["partner_id"])]
        )
        closed_at = like["closed"] + timedelta(
            days=rng.randint(-45, 45), hours=rng.randint(-2, 6)
        )
        if not first <= closed_at <= last:
            # in the same year as the won one: as long before it (after it) instead
            closed_at = like["closed"] - (closed_at - like["closed"])
        closed_at = min(max(closed_at, first), last)
        created_at = closed_at - timedelta(
            days=rng.randint(*LOST_CYCLE), hours=rng.randint(0, 8)
        )
        amount = round(vals["expected_revenue"] * rng.uniform(0.6, 1.4), -3)
        moments = self._demo_moments(rng, created_at, closed_at, len(path) - 1)
        product = rng.choice(PRODUCTS)[0]
        return {
            "vals": {
                "name": LEAD_NAME.format(partner=partner.name, product=product),
                "type": "opportunity",
                "partner_id": partner.id,
                "user_id": user.id,
                "team_id": vals["team_id"],
                "company_id": vals["company_id"],
                "stage_id": path[-1].id,
                "active": False,
                "probability": 0.0,
                "expected_revenue": amount,
                "date_deadline": (
                    created_at + timedelta(days=rng.randint(30, 90))
                ).date(),
                "lost_reason_id": rng.choice(reasons).id if reasons else False,
            },
            "created": created_at,
            "closed": closed_at,
            "path": path,
            "moments": moments,
            "revised": self._demo_revision(
                rng, amount, created_at, (moments or [closed_at])[-1]
            ),
        }

    def _demo_open_specs(self, env, rng, company, orders, steps, tender_partner, today):
        """This year's open pipeline: one to three opportunities per salesperson,
        each a few percent to 15 % of their last twelve months' orders, expected
        within 90 days (a few already late, some without a day), some for new
        prospects; Lao Wang's first one is his customer's next Q2 tender."""
        now = min(datetime.combine(today, time(9, 0)), fields.Datetime.now())
        # open in a later stage than the first (each has moved once at least),
        # the second most often
        later = list(range(1, len(steps)))
        weights = [len(steps) - i for i in later]
        volume = defaultdict(float)
        for order in orders:
            if order.date_order.date() > today - timedelta(days=365):
                volume[order.user_id] += order.amount_untaxed
        customers = defaultdict(list)
        names = set()
        for partner in env["res.partner"].search(
            [("company_id", "=", company.id), ("is_company", "=", True)], order="id"
        ):
            customers[partner.user_id].append(partner)
            names.add(partner.name)
        lao_wang = env.ref("sale_regional_target.user_lao_wang")
        tender_year = today.year + 1 if today.month >= 6 else today.year
        last_tender = orders.filtered(
            lambda o: (
                o.partner_id == tender_partner and o.date_order.month in TENDER_MONTHS
            )
        )[-1:]
        drafts, prospects = [], []
        for user, team, _region in self._demo_reps(env):
            for i in range(rng.randint(*OPEN_PER_REP)):
                amount = round(volume[user] * rng.uniform(*OPEN_SHARE), -3)
                stage = rng.choices(later, weights=weights)[0]
                age = rng.randint(*OPEN_AGE)
                created_at = now - timedelta(days=age, hours=rng.randint(0, 6))
                draw = rng.random()
                if draw < 0.15:
                    deadline = False  # placed by the team's cycle time
                elif draw < 0.3:
                    # late: expected a week after it was created at the soonest
                    deadline = today - timedelta(days=rng.randint(3, min(30, age - 7)))
                else:
                    deadline = today + timedelta(days=rng.randint(7, 90))
                product = rng.choice(PRODUCTS)[0]
                spec = {
                    "user": user,
                    "team": team,
                    "amount": amount,
                    "stage": stage,
                    "deadline": deadline,
                    "created": created_at,
                    "product": product,
                    "partner": None,
                    "name": None,
                }
                if user == lao_wang and i == 0 and tender_partner:
                    spec.update(
                        partner=tender_partner,
                        name=TENDER_NAME.format(
                            partner=tender_partner.name, year=tender_year
                        ),
                        deadline=date(tender_year, 5, 20),
                        amount=round((last_tender.amount_untaxed or amount) * 1.08, -3),
                        stage=1,
                    )
                elif rng.random() < PROSPECT_SHARE or not customers.get(user):
                    prospects.append(spec)
                else:
                    spec["partner"] = rng.choice(customers[user])
                drafts.append(spec)
        self._demo_prospects(env, rng, company, prospects, names)
        specs = []
        for spec in drafts:
            partner = spec["partner"]
            path = self._demo_stage_path(rng, steps, spec["stage"])
            moments = self._demo_moments(rng, spec["created"], now, len(path) - 1)
            specs.append(
                {
                    "vals": {
                        "name": spec["name"]
                        or LEAD_NAME.format(
                            partner=partner.name, product=spec["product"]
                        ),
                        "type": "opportunity",
                        "partner_id": partner.id,
                        "user_id": spec["user"].id,
                        "team_id": spec["team"].id,
                        "company_id": company.id,
                        "stage_id": path[-1].id,
                        "expected_revenue": spec["amount"],
                        "date_deadline": spec["deadline"],
                    },
                    "created": spec["created"],
                    "closed": None,
                    "path": path,
                    "moments": moments,
                    "revised": None,
                }
            )
        return specs

    def _demo_prospects(self, env, rng, company, prospects, names):
        """A new company, in the salesperson's region, for each of
        ``prospects``: they never ordered."""
        vals = []
        for spec in prospects:
            states = spec["team"].region_id.state_ids or (
                spec["team"].region_id.parent_id.state_ids
            )
            name = None
            while not name or name in names:
                name = (
                    f"{rng.choice(CITY_WORDS)}{rng.choice(INDUSTRY_WORDS)}"
                    f"{rng.choice(PROSPECT_WORDS)}{COMPANY_FORM}"
                )
            names.add(name)
            state = rng.choice(states) if states else False
            vals.append(
                {
                    "name": name,
                    "is_company": True,
                    "company_id": company.id,
                    "country_id": env.ref("base.cn").id,
                    "state_id": state.id if state else False,
                    "user_id": spec["user"].id,
                }
            )
        partners = env["res.partner"].create(vals)
        for spec, partner in zip(prospects, partners, strict=True):
            spec["partner"] = partner

    def _demo_date_leads(self, env, leads, specs):
        """Date the opportunities as their history says (the ORM dates them
        now): created and assigned, last moved, last written, closed."""
        env.flush_all()
        env.cr.execute(
            SQL(
                """
                UPDATE crm_lead l
                   SET create_date = v.created, date_open = v.created,
                       date_last_stage_update = v.moved,
                       write_date = COALESCE(v.closed, v.moved),
                       date_closed = v.closed, day_open = 0,
                       day_close = DATE_PART('day', v.closed - v.created)
                  FROM unnest(%s::int[], %s::timestamp[], %s::timestamp[],
                              %s::timestamp[]) AS v(id, created, moved, closed)
                 WHERE l.id = v.id
                """,
                leads.ids,
                [spec["created"] for spec in specs],
                [max([spec["created"], *spec["moments"]]) for spec in specs],
                [spec["closed"] for spec in specs],
            )
        )
        leads.invalidate_recordset(
            [
                "create_date",
                "write_date",
                "date_open",
                "date_last_stage_update",
                "date_closed",
                "day_open",
                "day_close",
            ]
        )

    def _demo_lead_messages(self, env, company, leads, specs):
        """The chatter of the opportunities, back-dated: one message per stage
        change (with its tracking value, old and new stage), one for a revised
        expected revenue, one for the loss; created in bulk."""
        tracked = env["ir.model.fields"]._get_ids("crm.lead")
        subtypes = {
            "stage": env.ref("crm.mt_lead_stage").id,
            "won": env.ref("crm.mt_lead_won").id,
            "lost": env.ref("crm.mt_lead_lost").id,
            "note": env.ref("mail.mt_note").id,
        }
        messages, trackings = [], []

        def add(lead, spec, moment, subtype, values):
            author = env["res.users"].browse(spec["vals"]["user_id"]).partner_id
            messages.append(
                {
                    "model": "crm.lead",
                    "res_id": lead.id,
                    "record_name": spec["vals"]["name"],
                    "message_type": "notification",
                    "subtype_id": subtypes[subtype],
                    "date": moment,
                    "author_id": author.id,
                    "email_from": author.email_formatted,
                    "reply_to": author.email_formatted,
                    "body": "",
                }
            )
            trackings.append(values)

        for lead, spec in zip(leads, specs, strict=True):
            path = spec["path"]
            for old, new, moment in zip(
                path[:-1], path[1:], spec["moments"], strict=True
            ):
                add(
                    lead,
                    spec,
                    moment,
                    "won" if new.is_won else "stage",
                    {
                        "field_id": tracked["stage_id"],
                        "old_value_integer": old.id,
                        "new_value_integer": new.id,
                        "old_value_char": old.name,
                        "new_value_char": new.name,
                    },
                )
            if spec["revised"]:
                moment, first = spec["revised"]
                add(
                    lead,
                    spec,
                    moment,
                    "note",
                    {
                        "field_id": tracked["expected_revenue"],
                        "old_value_float": first,
                        "new_value_float": spec["vals"]["expected_revenue"],
                        "currency_id": company.currency_id.id,
                    },
                )
            if spec["vals"].get("active") is False:
                add(
                    lead,
                    spec,
                    spec["closed"],
                    "lost",
                    {
                        "field_id": tracked["active"],
                        "old_value_integer": 1,
                        "new_value_integer": 0,
                    },
                )
        created = env["mail.message"].create(messages)
        env["mail.tracking.value"].create(
            [
                dict(values, mail_message_id=message.id)
                for message, values in zip(created, trackings, strict=True)
            ]
        )
        return len(created)
