from datetime import date, datetime

from odoo import Command, fields
from odoo.addons.sale_regional_target.tools import pace
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import TargetCase


@tagged("post_install", "-at_install")
class TestActuals(TargetCase):
    """Each metric at each level against figures computed by hand.

    The company books in CNY, in the Asia/Shanghai time zone (UTC+8). Year 2030.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cny = cls.env.ref("base.CNY")
        cls.env["account.chart.template"].try_loading(
            "generic_coa", cls.company, install_demo=False
        )
        cls.company.currency_id = cny
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.usd = cls.env.ref("base.USD")
        cls.usd.active = True
        cls.env["res.currency.rate"].create(
            {
                "currency_id": cls.usd.id,
                "name": "2020-01-01",
                "rate": 0.14,
                "company_id": cls.company.id,
            }
        )
        cls.usd_pricelist = cls.env["product.pricelist"].create(
            {"name": "USD", "currency_id": cls.usd.id, "company_id": cls.company.id}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Machine",
                "type": "service",
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
            }
        )
        Partner = cls.env["res.partner"]
        cls.cust1 = Partner.create({"name": "Cust 1", "is_company": True})
        cls.cust1_contact = Partner.create({"name": "Buyer", "parent_id": cls.cust1.id})
        cls.cust2 = Partner.create({"name": "Cust 2", "is_company": True})
        cls.cust3 = Partner.create({"name": "Cust 3", "is_company": True})
        cls.leader_target = cls._target(
            cls.t_team_sh, team_id=cls.team_sh.id, user_id=cls.leader.id, amount=100.0
        )
        T = datetime
        # Revenue, 2030, local time UTC+8.
        cls.o1 = cls._order(cls.rep_a, cls.team_sh, cls.cust1, 1000, T(2030, 1, 1, 2))
        # 2029-12-31 17:00 UTC is 2030-01-01 01:00 in Shanghai: inside the year.
        cls.o2 = cls._order(
            cls.rep_a, cls.team_sh, cls.cust1_contact, 500, T(2029, 12, 31, 17)
        )
        # 2030-12-31 16:30 UTC is 2031-01-01 00:30 in Shanghai: outside.
        cls.o3 = cls._order(
            cls.rep_a, cls.team_sh, cls.cust1, 300, T(2030, 12, 31, 16, 30)
        )
        cls.o4 = cls._order(cls.rep_b, cls.team_w, cls.cust2, 700, T(2030, 6, 15, 3))
        # 140 USD at 0.14 USD per CNY: 1000 CNY.
        cls.o5 = cls._order(
            cls.rep_b,
            cls.team_w,
            cls.cust2,
            140,
            T(2030, 6, 20, 3),
            pricelist=cls.usd_pricelist,
        )
        # Reassigned after confirmation: counts for its current salesperson.
        cls.o6 = cls._order(cls.rep_a, cls.team_sh, cls.cust3, 200, T(2030, 3, 1, 3))
        cls.o6.user_id = cls.leader
        # Cust 2 bought before 2030: not a new customer in 2030.
        cls.o7 = cls._order(cls.rep_b, cls.team_w, cls.cust2, 50, T(2029, 6, 1, 3))
        # A quotation never counts.
        cls.env["sale.order"].create(
            {
                "partner_id": cls.cust3.id,
                "user_id": cls.rep_a.id,
                "team_id": cls.team_sh.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "price_unit": 9999,
                            "tax_id": False,
                        }
                    )
                ],
            }
        )
        # Another company's order never counts.
        other = cls.env["res.company"].create(
            {"name": "Other Co", "currency_id": cny.id}
        )
        cls.env["sale.order"].with_company(other).create(
            {
                "partner_id": cls.cust1.id,
                "user_id": cls.rep_a.id,
                "team_id": False,
                "company_id": other.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "price_unit": 5555,
                            "tax_id": False,
                        }
                    )
                ],
            }
        ).action_confirm()

    @classmethod
    def _order(cls, user, team, partner, price, when, pricelist=None):
        vals = {
            "partner_id": partner.id,
            "user_id": user.id,
            "team_id": team.id,
            "company_id": cls.company.id,
            "order_line": [
                Command.create(
                    {"product_id": cls.product.id, "price_unit": price, "tax_id": False}
                )
            ],
        }
        if pricelist:
            vals["pricelist_id"] = pricelist.id
        order = cls.env["sale.order"].create(vals)
        order.action_confirm()
        order.date_order = when
        return order

    def _invoice(self, order, day):
        invoice = order._create_invoices()
        invoice.invoice_date = day
        invoice.action_post()
        return invoice

    def _achieved(self, *targets):
        targets = self.env["sale.target"].concat(*targets)
        targets._refresh_actuals()
        return [t.achieved_amount for t in targets]

    def test_revenue_each_level(self):
        self.assertEqual(
            self._achieved(
                self.t_rep_a,
                self.leader_target,
                self.t_team_sh,
                self.t_east,
                self.t_rep_b,
                self.t_team_w,
                self.t_west,
                self.t_company,
            ),
            [1500.0, 200.0, 1700.0, 1700.0, 1700.0, 1700.0, 1700.0, 3400.0],
        )
        # A region target also counts the teams of its sub-regions only once.
        root = self._target(region_id=self.country.id, amount=1)
        self.assertEqual(self._achieved(root), [3400.0])

    def test_rates_and_months(self):
        self.t_rep_a.write(
            {"amount": 3000.0, "floor_amount": 2000.0, "stretch_amount": 5000.0}
        )
        self._achieved(self.t_rep_a)
        self.assertEqual(self.t_rep_a.achievement_rate, 50.0)
        self.assertEqual(self.t_rep_a.floor_rate, 75.0)
        self.assertEqual(self.t_rep_a.stretch_rate, 30.0)
        self.assertEqual(self.t_rep_a.gap_amount, 1500.0)
        months = {
            line.date.month: line.achieved_amount for line in self.t_rep_a.line_ids
        }
        self.assertEqual(months[1], 1500.0)
        self.assertEqual(sum(months.values()), 1500.0)
        self.assertEqual(months[12], 0.0)
        self.assertTrue(self.t_rep_a.actuals_date)

    def test_bulk_write_agrees_with_the_compute_methods(self):
        """The refresh writes rates, gap and pace in bulk; recomputing them through
        the ORM from the stored achieved amounts must give the same values."""
        self.t_rep_a.write(
            {"amount": 2999.0, "floor_amount": 1001.0, "stretch_amount": 7777.0}
        )
        ongoing = self._target(
            user_id=self.rep_b.id,
            amount=333.0,
            date_from=date(2020, 1, 1),
            date_to=date(2099, 12, 31),
        )
        targets = self.t_rep_a | self.t_team_sh | self.t_east | self.t_company | ongoing
        targets._refresh_actuals()
        names = [
            "achievement_rate",
            "floor_rate",
            "stretch_rate",
            "gap_amount",
            "expected_rate",
            "pace_status",
        ]
        stored = targets.read(names)
        self.assertTrue(any(row["achievement_rate"] for row in stored))
        for name in names:
            self.env.add_to_compute(targets._fields[name], targets)
        targets._recompute_recordset(names)
        self.assertEqual(targets.read(names), stored)

    def test_period_edges(self):
        jan_first = self._target(
            user_id=self.rep_a.id, date_from=date(2030, 1, 1), date_to=date(2030, 1, 1)
        )
        last_day = self._target(
            user_id=self.rep_a.id,
            date_from=date(2030, 12, 31),
            date_to=date(2030, 12, 31),
        )
        next_year = self._target(
            user_id=self.rep_a.id, date_from=date(2031, 1, 1), date_to=date(2031, 1, 31)
        )
        self.assertEqual(
            self._achieved(jan_first, last_day, next_year), [1500.0, 0.0, 300.0]
        )

    def test_invoiced(self):
        invoice = self._invoice(self.o1, date(2030, 2, 10))
        refund = invoice._reverse_moves([{"invoice_date": date(2030, 3, 1)}])
        refund.invoice_line_ids.price_unit = 300
        # A credit note counts for its own salesperson, like any document.
        refund.invoice_user_id = self.rep_a
        refund.action_post()
        self._invoice(self.o4, date(2031, 1, 1))  # next year
        t_rep = self._target(metric="invoiced", user_id=self.rep_a.id)
        t_team = self._target(metric="invoiced", team_id=self.team_sh.id)
        t_b = self._target(metric="invoiced", user_id=self.rep_b.id)
        t_co = self._target(metric="invoiced")
        t_east = self._target(metric="invoiced", region_id=self.east.id)
        t_west = self._target(metric="invoiced", region_id=self.west.id)
        self.assertEqual(
            self._achieved(t_rep, t_team, t_b, t_co, t_east, t_west),
            [700.0, 700.0, 0.0, 700.0, 700.0, 0.0],
        )

    def test_collected(self):
        invoice = self._invoice(self.o1, date(2030, 2, 10))
        self._pay(invoice, 400, date(2030, 3, 10))
        self._pay(invoice, 600, date(2031, 1, 5))
        # An invoice settled by a credit note: no cash.
        invoice2 = self._invoice(self.o6, date(2030, 3, 5))
        refund = invoice2._reverse_moves([{"invoice_date": date(2030, 3, 6)}])
        refund.action_post()
        # Posting the reversal reconciles it with the invoice.
        self.assertEqual(invoice2.amount_residual, 0.0)
        # USD invoice paid in full: 1000 CNY.
        invoice_usd = self._invoice(self.o5, date(2030, 6, 20))
        self._pay(invoice_usd, 140, date(2030, 7, 1))
        t_a = self._target(metric="collected", user_id=self.rep_a.id)
        t_leader = self._target(metric="collected", user_id=self.leader.id)
        t_b = self._target(metric="collected", user_id=self.rep_b.id)
        t_co = self._target(metric="collected")
        t_q1 = self._target(
            metric="collected", date_from=date(2030, 1, 1), date_to=date(2030, 3, 31)
        )
        t_2031 = self._target(
            metric="collected", date_from=date(2031, 1, 1), date_to=date(2031, 12, 31)
        )
        t_team_sh = self._target(metric="collected", team_id=self.team_sh.id)
        t_west = self._target(metric="collected", region_id=self.west.id)
        self.assertEqual(
            self._achieved(t_a, t_leader, t_b, t_co, t_q1, t_2031, t_team_sh, t_west),
            [400.0, 0.0, 1000.0, 1400.0, 400.0, 600.0, 400.0, 1000.0],
        )

    def test_new_customers(self):
        t_a = self._target(metric="new_customers", user_id=self.rep_a.id)
        t_b = self._target(metric="new_customers", user_id=self.rep_b.id)
        t_leader = self._target(metric="new_customers", user_id=self.leader.id)
        t_co = self._target(metric="new_customers")
        # Cust 1 (with its contact) first bought on 2030-01-01 local, from rep A;
        # Cust 2 bought in 2029; Cust 3's first order is now the leader's.
        t_team_sh = self._target(metric="new_customers", team_id=self.team_sh.id)
        t_east = self._target(metric="new_customers", region_id=self.east.id)
        t_west = self._target(metric="new_customers", region_id=self.west.id)
        self.assertEqual(
            self._achieved(t_a, t_b, t_leader, t_co, t_team_sh, t_east, t_west),
            [1.0, 0.0, 1.0, 2.0, 2.0, 2.0, 0.0],
        )

    def test_pace_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        # A long period, partly elapsed today; rep A's 1,800 is a tiny share of it.
        target = self._target(
            user_id=self.rep_a.id,
            amount=1_000_000.0,
            date_from=date(2020, 1, 1),
            date_to=date(2099, 12, 31),
        )
        target._refresh_actuals()
        self.assertEqual(target.achieved_amount, 1800.0)
        self.assertEqual(target.pace_status, "behind")
        # Thresholds out of order are refused with a message.
        with self.assertRaisesRegex(ValidationError, "0 < at risk < on track < ahead"):
            self.env["res.config.settings"].create(
                {"sale_target_pace_on_track": 1.2, "sale_target_pace_ahead": 1.1}
            )
        settings = self.env["res.config.settings"].create(
            {
                "sale_target_pace_ahead": 2.0,
                "sale_target_pace_on_track": 0.002,
                "sale_target_pace_at_risk": 0.001,
                "sale_target_pace_working_days": True,
            }
        )
        settings.execute()
        self.assertEqual(
            params.get_param("sale_regional_target.pace_on_track"), "0.002"
        )
        self.assertEqual(
            params.get_param("sale_regional_target.pace_working_days"), "True"
        )
        target._refresh_actuals()
        self.assertEqual(target.pace_status, "on_track")
        today = fields.Date.context_today(target)
        self.assertAlmostEqual(
            target.expected_rate,
            pace.expected_rate(target.date_from, target.date_to, today, True),
            places=1,
        )
        self.assertNotAlmostEqual(
            target.expected_rate,
            pace.expected_rate(target.date_from, target.date_to, today, False),
            places=3,
        )

    def test_pace(self):
        target = self._target(
            user_id=self.rep_a.id,
            amount=3000.0,
            date_from=date(2030, 1, 1),
            date_to=date(2030, 12, 31),
        )
        target.with_context(tz="UTC")._refresh_actuals()
        # 2030 has not started yet on the day the tests run: nothing expected.
        self.assertEqual(target.expected_rate, 0.0)
        self.assertEqual(target.pace_status, "ahead")
        past = self._target(
            user_id=self.rep_a.id,
            amount=3000.0,
            date_from=date(2020, 1, 1),
            date_to=date(2020, 12, 31),
        )
        past._refresh_actuals()
        self.assertEqual((past.expected_rate, past.achieved_amount), (100.0, 0.0))
        self.assertEqual(past.pace_status, "behind")

    def test_cron_in_batches(self):
        Target = self.env["sale.target"]
        open_targets = Target.search([("state", "!=", "closed")])
        self.assertGreater(len(open_targets), 3)
        open_targets.write({"actuals_date": False})  # all stale, demo ones included
        remaining = Target._cron_refresh_actuals(batch_size=3)
        self.assertEqual(remaining, len(open_targets) - 3)
        while remaining:
            before = remaining
            remaining = Target._cron_refresh_actuals(batch_size=3)
            self.assertEqual(remaining, max(before - 3, 0))
        self.assertFalse(open_targets.filtered(lambda t: not t.actuals_date))
        self.assertEqual(self.t_rep_a.achieved_amount, 1500.0)
        # A second run right after finds nothing to do.
        self.assertEqual(Target._cron_refresh_actuals(batch_size=3), 0)

    def test_scheduled_refresh_reports_progress(self):
        """In a scheduled run, the refresh reports each batch to the cron (so that
        it is called again, by any worker) through the shared batching helper."""
        Target = self.env["sale.target"]
        open_targets = Target.search([("state", "!=", "closed")])
        open_targets.write({"actuals_date": False})
        cron = self.env.ref("sale_regional_target.ir_cron_refresh_actuals")
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": cron.id, "remaining": 0, "done": 0}
        )
        Scheduled = Target.with_context(ir_cron_progress_id=progress.id)
        remaining = Scheduled._cron_refresh_actuals(batch_size=3)
        self.assertEqual(remaining, len(open_targets) - 3)
        self.assertEqual((progress.done, progress.remaining), (3, remaining))
        while remaining:
            remaining = Scheduled._cron_refresh_actuals(batch_size=3)
        self.assertEqual(progress.remaining, 0)
        self.assertFalse(open_targets.filtered(lambda t: not t.actuals_date))

    def test_refresh_button_as_manager(self):
        self.t_east.with_user(self.east_manager).action_refresh_actuals()
        self.assertEqual(self.t_east.achieved_amount, 1700.0)

    def test_pending_changes_are_counted(self):
        order = self._order(
            self.rep_a, self.team_sh, self.cust3, 250, datetime(2030, 5, 5, 3)
        )
        order.order_line.price_unit = 260  # not yet written to the database
        self.assertEqual(self._achieved(self.t_rep_a), [1760.0])
