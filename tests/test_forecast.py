from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.addons.sale_regional_target.models import forecast_data
from odoo.addons.sale_regional_target.models.lag_warning_check import WeeklyCheck
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from .common import TargetCase

TODAY = "2030-06-15 09:00:00"


class ForecastCase(TargetCase):
    """The test company of ``TargetCase`` (UTC, year 2030) with a chart of
    accounts, a tax-free product, CRM stages and helpers for orders, invoices,
    payments and opportunities dated in the past."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", cls.company, install_demo=False
        )
        cls.company.currency_id = cls.env.ref("base.CNY")
        cls.product = cls.env["product.product"].create(
            {
                "name": "Machine",
                "type": "service",
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
            }
        )
        Stage = cls.env["crm.stage"]
        cls.s_new = Stage.create({"name": "F New", "sequence": 1})
        cls.s_offer = Stage.create({"name": "F Offer", "sequence": 2})
        cls.s_won = Stage.create({"name": "F Won", "sequence": 70, "is_won": True})

    @classmethod
    def _order(cls, user, team, partner, price, when, opportunity=None, pricelist=None):
        order = cls.env["sale.order"].create(
            {
                **({"pricelist_id": pricelist.id} if pricelist else {}),
                "partner_id": partner.id,
                "user_id": user.id,
                "team_id": team.id,
                "company_id": cls.company.id,
                "opportunity_id": opportunity.id if opportunity else False,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "price_unit": price,
                            "tax_id": False,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = datetime.combine(when, datetime.min.time()).replace(hour=10)
        return order

    @classmethod
    def _invoice(cls, order, day):
        invoice = order._create_invoices()
        invoice.invoice_date = day
        invoice.invoice_date_due = day
        invoice.action_post()
        return invoice

    @classmethod
    def _opportunity(cls, user, team, stage, amount, created, closed=None, **vals):
        lead = cls.env["crm.lead"].create(
            {
                "name": f"Deal {amount}",
                "type": "opportunity",
                "user_id": user.id,
                "team_id": team.id,
                "company_id": cls.company.id,
                "stage_id": stage.id,
                "expected_revenue": amount,
                **vals,
            }
        )
        if closed and not stage.is_won:
            lead.action_set_lost()
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                "UPDATE crm_lead SET create_date = %s, date_closed = %s WHERE id = %s",
                datetime.combine(created, datetime.min.time()),
                datetime.combine(closed, datetime.min.time()) if closed else None,
                lead.id,
            )
        )
        lead.invalidate_recordset()
        return lead


@tagged("post_install", "-at_install")
class TestForecastFigures(ForecastCase):
    """Each part of the forecast, computed by hand, on 15 June 2030."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.cust = Partner.create({"name": "Steady Buyer", "is_company": True})
        cls.late_payer = Partner.create({"name": "Late Payer", "is_company": True})
        cls.bad_payer = Partner.create({"name": "Bad Payer", "is_company": True})
        cls.prospect = Partner.create({"name": "Prospect", "is_company": True})
        sh, w = cls.team_sh, cls.team_w
        # Rep A (team SH): history 2028 and 2029 without opportunity; this year
        # 1,000 in March and 800 in June, neither invoiced.
        cls._order(cls.rep_a, sh, cls.cust, 200, date(2028, 8, 1))
        cls._order(cls.rep_a, sh, cls.cust, 400, date(2029, 8, 1))
        cls._order(cls.rep_a, sh, cls.cust, 1000, date(2030, 3, 1))
        cls._order(cls.rep_a, sh, cls.cust, 800, date(2030, 6, 1))
        # Team SH closed 5 opportunities in the last 12 months: 3 won in 20, 30
        # and 40 days, 2 lost in the offer stage.
        for days in (20, 30, 40):
            cls._opportunity(
                cls.rep_a,
                sh,
                cls.s_won,
                100,
                date(2030, 1, 1),
                date(2030, 1, 1) + timedelta(days=days),
            )
        for _i in range(2):
            cls._opportunity(
                cls.rep_a, sh, cls.s_offer, 100, date(2030, 1, 1), date(2030, 2, 1)
            )
        # Rep A's open pipeline: 1,000 expected on 10 July, 500 without a date
        # created on 5 June (30 days of median cycle: 5 July), both in the offer
        # stage (3 won of 5 closed: 60 %).
        cls.deal = cls._opportunity(
            cls.rep_a,
            sh,
            cls.s_offer,
            1000,
            date(2030, 5, 1),
            date_deadline=date(2030, 7, 10),
            partner_id=cls.prospect.id,
        )
        cls._opportunity(cls.rep_a, sh, cls.s_offer, 500, date(2030, 6, 5))
        # Rep B (team W): a customer who paid 10, 12 and 14 days after the due
        # day, a 500 invoice due on 10 June still open, and a 300 invoice of a
        # bad payer overdue by 200 days.
        for month, late in ((1, 10), (2, 12), (3, 14)):
            order = cls._order(cls.rep_b, w, cls.late_payer, 100, date(2030, month, 10))
            invoice = cls._invoice(order, date(2030, month, 10))
            cls._pay(invoice, 100, date(2030, month, 10 + late))
        cls.open_invoice = cls._invoice(
            cls._order(cls.rep_b, w, cls.late_payer, 500, date(2030, 6, 10)),
            date(2030, 6, 10),
        )
        cls.doubtful = cls._invoice(
            cls._order(cls.rep_b, w, cls.bad_payer, 300, date(2029, 11, 27)),
            date(2029, 11, 27),
        )
        cls.c_rep_b = cls._target(
            metric="collected",
            team_id=w.id,
            user_id=cls.rep_b.id,
            amount=2000.0,
            floor_amount=1500.0,
        )
        cls.i_rep_a = cls._target(
            metric="invoiced", team_id=sh.id, user_id=cls.rep_a.id, amount=3000.0
        )
        cls.n_rep_a = cls._target(
            metric="new_customers", team_id=sh.id, user_id=cls.rep_a.id, amount=5.0
        )
        targets = cls.t_company | cls.t_east | cls.t_team_sh | cls.t_rep_a | cls.t_rep_b
        for target in targets | cls.c_rep_b | cls.i_rep_a | cls.n_rep_a:
            target.action_confirm()

    def _refresh(self, *targets):
        targets = self.env["sale.target"].concat(*targets)
        with freeze_time(TODAY):
            targets._refresh_actuals()
        return targets

    def test_revenue_parts_by_hand(self):
        self._refresh(self.t_rep_a)
        target = self.t_rep_a
        self.assertEqual(target.achieved_amount, 1800.0)
        # 60 % of 1,000 and of 500
        self.assertEqual(target.forecast_pipeline, 900.0)
        # the same days of 2029 (one year of history before 16 June 2029)
        self.assertEqual(target.forecast_run_rate, 400.0)
        self.assertEqual(target.forecast_committed, 0.0)
        self.assertEqual(target.forecast_amount, 1800.0 + 900.0 + 400.0)
        self.assertEqual(target.forecast_rate, round(3100 / 300 * 100, 1))
        self.assertEqual(target.forecast_confidence, "high")
        self.assertLessEqual(target.achieved_amount, target.forecast_low)
        self.assertLess(target.forecast_low, target.forecast_amount)
        self.assertGreater(target.forecast_high, target.forecast_amount)
        # never more than everything arriving
        self.assertLessEqual(target.forecast_high, 1800.0 + 1500.0 + 400.0)

    def test_weeks_place_each_part_on_its_day(self):
        self._refresh(self.t_rep_a)
        weeks = dict(self.t_rep_a.forecast_weeks)
        self.assertEqual(len(weeks), 13)
        self.assertEqual(min(weeks), "2030-06-16")
        # week of 30 June holds 5 July (300), week of 7 July holds 10 July (600)
        self.assertEqual(weeks["2030-06-30"], 300.0)
        self.assertEqual(weeks["2030-07-07"], 600.0)
        # 1 August 2029 moved a year: the week of 28 July
        self.assertEqual(weeks["2030-07-28"], 400.0)
        self.assertEqual(sum(weeks.values()), 1300.0)

    def test_levels_above_add_their_owners(self):
        self._refresh(self.t_team_sh, self.t_east, self.t_company)
        for target in (self.t_team_sh, self.t_east):
            self.assertEqual(target.forecast_pipeline, 900.0, target.name)
        # Rep B's history is of 2030 only (run-rate none) and no opportunity
        self.assertEqual(self.t_company.forecast_pipeline, 900.0)

    def test_invoiced_is_orders_to_invoice_and_revenue_to_come(self):
        self._refresh(self.i_rep_a)
        target = self.i_rep_a
        self.assertEqual(target.achieved_amount, 0.0)
        # both orders of this year are still to invoice; the company's order to
        # invoice delay is 0 days (Rep B's invoices): expected from tomorrow
        # invoice delay is 0 days (Rep B's invoices): expected from tomorrow; so
        # is last August's order, never invoiced
        self.assertEqual(target.forecast_committed, 1800.0 + 400.0)
        self.assertEqual(target.forecast_pipeline, 900.0)
        self.assertEqual(target.forecast_run_rate, 400.0)
        self.assertEqual(target.forecast_amount, 3500.0)

    def test_collected_receivable_lands_after_the_customer_delay(self):
        self._refresh(self.c_rep_b)
        target = self.c_rep_b
        self.assertEqual(target.achieved_amount, 300.0)
        # due 10 June, 12 days late on average: 22 June, inside the year
        self.assertEqual(target.forecast_committed, 500.0)
        weeks = dict(target.forecast_weeks)
        self.assertEqual(weeks["2030-06-16"], 500.0)
        # overdue 200 days: doubtful, listed, not counted
        self.assertEqual(target.forecast_doubtful, 300.0)
        # the 300 ordered on 27 November 2029 comes again, is invoiced the same
        # day (the company's delay) and paid 12 days later (team W's): 9 December
        self.assertEqual(target.forecast_run_rate, 300.0)
        self.assertEqual(target.forecast_amount, 300.0 + 500.0 + 300.0)
        self.assertTrue(target.forecast_below_floor)
        with freeze_time(TODAY):
            action = target.action_view_doubtful()
        self.assertEqual(
            self.env["account.move"].search(action["domain"]), self.doubtful
        )

    def test_new_customers_count_prospects(self):
        self._refresh(self.n_rep_a)
        # the 1,000 deal is with a partner who never ordered, 60 % to win; the
        # date-less one has no partner: a prospect of its own, 60 % too
        self.assertAlmostEqual(self.n_rep_a.forecast_pipeline, 1.2)
        self.assertEqual(self.n_rep_a.achieved_amount, 0.0)
        self.assertAlmostEqual(self.n_rep_a.forecast_amount, 1.2)

    def test_a_team_without_closed_opportunities_uses_the_company_rate(self):
        self._opportunity(
            self.rep_b,
            self.team_w,
            self.s_offer,
            1000,
            date(2030, 6, 1),
            date_deadline=date(2030, 8, 1),
        )
        self._refresh(self.t_rep_b)
        self.assertEqual(self.t_rep_b.forecast_pipeline, 600.0)

    def test_no_forecast_before_confirmation_or_after_the_period(self):
        draft = self.t_west
        self._refresh(draft)
        self.assertFalse(draft.forecast_date)
        self.assertFalse(draft.forecast_amount)
        with freeze_time("2031-01-05 09:00:00"):
            self.t_rep_a._refresh_actuals()
        self.assertFalse(self.t_rep_a.forecast_date)

    def test_the_opportunity_says_which_target_it_feeds(self):
        self._refresh(self.t_rep_a)
        with freeze_time(TODAY):
            self.assertEqual(
                self.deal.with_user(self.rep_a).sale_target_id, self.t_rep_a
            )
            mine = (
                self.env["crm.lead"]
                .with_user(self.rep_a)
                .search([("sale_target_feeds_mine", "=", True)])
            )
            self.assertIn(self.deal, mine)
            self.assertFalse(mine.filtered(lambda lead: lead.user_id != self.rep_a))
            theirs = (
                self.env["crm.lead"]
                .with_user(self.rep_b)
                .search([("sale_target_feeds_mine", "=", True)])
            )
            self.assertNotIn(self.deal, theirs)
            # the leader's team target: all of team SH's open opportunities
            led = (
                self.env["crm.lead"]
                .with_user(self.leader)
                .search([("sale_target_feeds_mine", "=", True)])
            )
            self.assertIn(self.deal, led)
            # HQ's company target: every opportunity of the company
            hq = self.env["crm.lead"].with_user(self.hq)
            self.assertIn(self.deal, hq.search([("sale_target_feeds_mine", "=", True)]))
            # without a target of its salesperson or team, the nearest above it
            # that is confirmed: the company's
            unowned = self._opportunity(
                self.env["res.users"],
                self.team_w,
                self.s_offer,
                50,
                date(2030, 6, 1),
                date_deadline=date(2030, 9, 1),
            )
            self.assertEqual(
                unowned.with_user(self.east_manager).sale_target_id, self.t_company
            )
            self.t_west.action_confirm()
            unowned.invalidate_recordset()
            self.assertEqual(unowned.with_user(self.hq).sale_target_id, self.t_west)
            # the east manager reads no West target: the company's again
            self.assertEqual(
                unowned.with_user(self.east_manager).sale_target_id, self.t_company
            )
            # the other ways of asking the same
            Lead = self.env["crm.lead"].with_user(self.rep_a)
            self.assertEqual(
                Lead.search([("sale_target_feeds_mine", "in", [True])]), mine
            )
            others = Lead.search([("sale_target_feeds_mine", "!=", True)])
            self.assertFalse(others & mine)
            self.assertEqual(
                Lead.search([("sale_target_feeds_mine", "not in", [True, False])]),
                Lead,
            )
        action = self.t_rep_a.action_view_feeding_opportunities()
        self.assertIn(self.deal, self.env["crm.lead"].search(action["domain"]))

    def test_floor_rule_uses_a_confident_forecast(self):
        self._refresh(self.t_rep_a)
        self.t_rep_a.sudo().write({"floor_amount": 250.0, "change_reason": "floor set"})
        check = WeeklyCheck(
            self.env["sale.target.warning"], self.company, date(2030, 6, 17)
        )
        figures = check._target_figures(self.t_rep_a)[self.t_rep_a]
        self.assertEqual(figures["projected_amount"], self.t_rep_a.forecast_amount)

    def test_company_and_currency_rules_as_for_actuals(self):
        # another company's opportunity of the same salesperson does not count
        other = self.env["crm.lead"].create(
            {
                "name": "Elsewhere",
                "type": "opportunity",
                "company_id": self.env.ref("base.main_company").id,
                "expected_revenue": 99999.0,
                "date_deadline": date(2030, 7, 1),
            }
        )
        self.env.cr.execute(
            SQL(
                "UPDATE crm_lead SET user_id = %s WHERE id = %s",
                self.rep_a.id,
                other.id,
            )
        )
        # an order in USD still to invoice counts at its own rate: 140 USD at
        # 0.14 USD per CNY is 1,000 CNY
        usd = self.env.ref("base.USD")
        usd.active = True
        self.env["res.currency.rate"].create(
            {
                "currency_id": usd.id,
                "name": "2020-01-01",
                "rate": 0.14,
                "company_id": self.company.id,
            }
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "USD", "currency_id": usd.id, "company_id": self.company.id}
        )
        self._order(
            self.rep_a,
            self.team_sh,
            self.cust,
            140,
            date(2030, 6, 12),
            pricelist=pricelist,
        )
        self._refresh(self.t_rep_a, self.i_rep_a)
        self.assertEqual(self.t_rep_a.forecast_pipeline, 900.0)
        self.assertEqual(self.i_rep_a.forecast_committed, 2200.0 + 1000.0)

    # -- what is learnt from the history is kept an hour on the company: the
    # -- batches of one refresh share it; the Refresh button learns again
    def test_history_learnt_once_an_hour(self):
        self._refresh(self.t_rep_a)
        self.assertEqual(self.t_rep_a.forecast_pipeline, 900.0)
        fit = forecast_data.latest_fit(self.env, self.company)
        self.assertEqual(fit["day"], "2030-06-15")
        # five more lost in the offer stage: 3 won of 10 closed, 30 %
        self._lose_five_more()
        self._refresh(self.t_rep_a)
        self.assertEqual(self.t_rep_a.forecast_pipeline, 900.0)
        with freeze_time("2030-06-15 11:00:00"):
            self.t_rep_a._refresh_actuals()
        self.assertEqual(self.t_rep_a.forecast_pipeline, 450.0)

    def _lose_five_more(self):
        """Five more lost in the offer stage: 3 won of 10 closed, 30 %."""
        for _i in range(5):
            self._opportunity(
                self.rep_a,
                self.team_sh,
                self.s_offer,
                100,
                date(2030, 1, 1),
                date(2030, 3, 1),
            )

    def test_what_was_learnt_is_kept_apart_and_forgotten(self):
        self._refresh(self.t_rep_a)
        self._refresh(self.t_rep_a)
        Fit = self.env["sale.target.forecast.fit"]
        fits = Fit.search(
            [("company_id", "=", self.company.id), ("day", "=", date(2030, 6, 15))]
        )
        # learnt once, read by the second refresh
        self.assertEqual(len(fits), 1)
        with freeze_time("2030-06-18 09:00:00"):
            Fit._gc_old_fits()
        self.assertFalse(fits.exists())
        # nobody but the refresh writes it; users other than HQ do not read it
        with self.assertRaises(AccessError):
            Fit.with_user(self.leader).search([])
        with self.assertRaises(AccessError):
            Fit.with_user(self.hq).create(
                {"company_id": self.company.id, "day": date.today()}
            )

    def test_refresh_button_learns_again(self):
        self._refresh(self.t_rep_a)
        self._lose_five_more()
        with freeze_time(TODAY):
            self.t_rep_a.with_user(self.leader).action_refresh_actuals()
        self.assertEqual(self.t_rep_a.forecast_pipeline, 450.0)

    # -- access ---------------------------------------------------------
    def test_nobody_writes_a_forecast(self):
        self._refresh(self.t_rep_a)
        for user in (self.rep_a, self.leader, self.east_manager, self.hq):
            with self.assertRaises(AccessError, msg=user.login):
                self.t_rep_a.with_user(user).write({"forecast_amount": 1e9})
        self.assertEqual(self.t_rep_a.forecast_amount, 3100.0)

    def test_each_role_reads_the_forecasts_it_may(self):
        self._refresh(self.t_rep_a, self.t_rep_b)
        fields = ["forecast_amount", "forecast_low", "forecast_weeks"]
        self.assertEqual(
            self.t_rep_a.with_user(self.rep_a).read(fields)[0]["forecast_amount"],
            3100.0,
        )
        with self.assertRaises(AccessError):
            self.t_rep_b.with_user(self.rep_a).read(fields)
        self.assertTrue(self.t_rep_a.with_user(self.leader).read(fields))
        self.assertTrue(self.t_rep_a.with_user(self.east_manager).read(fields))
        with self.assertRaises(AccessError):
            self.t_rep_b.with_user(self.east_manager).read(fields)
        self.assertTrue(self.t_rep_b.with_user(self.hq).read(fields))

    def test_form_shows_the_forecast(self):
        self._refresh(self.t_rep_a)
        form = Form(self.t_rep_a.with_user(self.rep_a))
        self.assertEqual(form.forecast_amount, 3100.0)
        html = str(self.t_rep_a.forecast_weeks_html)
        self.assertIn("o_srt_forecast_weeks", html)
        self.assertEqual(html.count("<tr>"), 14)


@tagged("post_install", "-at_install")
class TestForecastBacktest(ForecastCase):
    """Rep B orders 100 on the 15th of every month from June 2027, except in
    March 2030. Replayed on 15 June 2030 (month starts June 2029 to May 2030,
    quarters ended: June 2029 to March 2030, ten forecasts), the run-rate is
    exact everywhere but in the first quarter of 2030, which it sees at 300
    three times when it lands at 200."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cust = cls.env["res.partner"].create(
            {"name": "Monthly", "is_company": True}
        )
        month = date(2027, 6, 15)
        while month < date(2030, 6, 1):
            if month != date(2030, 3, 15):
                cls._order(cls.rep_b, cls.team_w, cls.cust, 100, month)
            month = month.replace(
                year=month.year + month.month // 12, month=month.month % 12 + 1
            )
        cls.t_rep_b.action_confirm()

    def test_backtest_with_a_known_outcome(self):
        Accuracy = self.env["sale.target.forecast.accuracy"]
        with freeze_time(TODAY):
            Accuracy._backtest(self.company, date(2030, 6, 15))
        record = Accuracy.search([("company_id", "=", self.company.id)])
        self.assertEqual(len(record), 1)
        self.assertEqual((record.metric, record.level), ("revenue", "user"))
        self.assertEqual(record.samples, 10)
        # |error| 3 x 100 over 7 x 300 + 3 x 200 = 2,700
        self.assertAlmostEqual(record.wape, 100 * 300 / 2700, places=1)
        self.assertAlmostEqual(record.bias, 100 * 300 / 2700, places=1)
        self.assertEqual(record.date_from, date(2029, 6, 1))
        self.assertEqual(record.date_to, date(2030, 3, 1))
        self.assertIn("11", self.t_rep_b.forecast_accuracy)
        self.assertEqual(round(self.t_rep_b.forecast_wape, 1), 11.1)

    def test_only_hq_measures_and_nobody_writes(self):
        Accuracy = self.env["sale.target.forecast.accuracy"]
        for user in (self.rep_b, self.leader, self.east_manager):
            with self.assertRaises(AccessError, msg=user.login):
                Accuracy.with_user(user).action_backtest()
            with self.assertRaises(AccessError, msg=user.login):
                Accuracy.with_user(user).create(
                    {
                        "company_id": self.company.id,
                        "metric": "revenue",
                        "level": "user",
                    }
                )
        with freeze_time(TODAY):
            result = (
                Accuracy.with_user(self.hq).with_company(self.company).action_backtest()
            )
        self.assertEqual(result["params"]["type"], "success")
        record = Accuracy.search([("company_id", "=", self.company.id)])
        self.assertTrue(record)
        with self.assertRaises(AccessError):
            record.with_user(self.hq).write({"wape": 0.0})
        for user in (self.hq, self.leader, self.rep_b):
            with self.assertRaises(AccessError, msg=user.login):
                record.with_user(user).unlink()
        self.assertTrue(record.with_user(self.rep_b).read(["wape"]))

    def test_cron_measures_a_company_per_call(self):
        Accuracy = self.env["sale.target.forecast.accuracy"]
        others = self.env["sale.target"].search([]).company_id - self.company
        others.write({"sale_target_backtest_date": date(2030, 6, 10)})
        cron = self.env.ref("sale_regional_target.ir_cron_forecast_backtest")
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": cron.id, "remaining": 0, "done": 0}
        )
        Scheduled = Accuracy.with_context(ir_cron_progress_id=progress.id)
        with freeze_time(TODAY):
            Scheduled._cron_backtest()
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertEqual(self.company.sale_target_backtest_date, date(2030, 6, 15))
        record = Accuracy.search([("company_id", "=", self.company.id)])
        self.assertEqual(record.samples, 10)
        # measured less than 20 days ago: nothing left to do
        with freeze_time("2030-06-30 09:00:00"):
            Scheduled._cron_backtest()
        self.assertEqual((progress.done, progress.remaining), (0, 0))

    def test_backtest_queries_do_not_grow_with_the_owners(self):
        Accuracy = self.env["sale.target.forecast.accuracy"]

        def queries():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with freeze_time(TODAY):
                Accuracy._backtest(self.company, date(2030, 6, 15))
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        # each run rewrites the records of the last one: compare runs that do
        queries()
        one = queries()
        (self.t_team_w | self.t_west | self.t_rep_a).action_confirm()
        queries()
        self.assertEqual(queries(), one)

    def test_another_company_accuracy_is_not_seen(self):
        other = self.env["res.company"].create({"name": "Other Forecast Co"})
        theirs = (
            self.env["sale.target.forecast.accuracy"]
            .sudo()
            .create(
                {
                    "company_id": other.id,
                    "metric": "revenue",
                    "level": "user",
                    "wape": 5,
                }
            )
        )
        Accuracy = self.env["sale.target.forecast.accuracy"]
        for user in (self.rep_b, self.leader, self.hq):
            self.assertFalse(
                Accuracy.with_user(user).search([("id", "=", theirs.id)]), user.login
            )
            with self.assertRaises(AccessError, msg=user.login):
                theirs.with_user(user).read(["wape"])
