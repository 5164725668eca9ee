"""Every scheduled action of the addon runs with one poisoned record and one
poisoned company: the faulty one alone is left out (logged with its id,
flagged where a flag exists, retried on the next run) and the others finish."""

import logging
import re
from datetime import date, datetime
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.tests import new_test_user, tagged

from ..models.lag_warning_check import WeeklyCheck
from .test_war_room import WarRoomCase

LOGGER = "odoo.addons.sale_regional_target"


@tagged("post_install", "-at_install")
class TestCronIsolation(WarRoomCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a second company with a region, its manager and a running target
        cls.other = cls.env["res.company"].create(
            {"name": "Isolated Co", "currency_id": cls.env.ref("base.CNY").id}
        )
        cls.env.user.company_ids |= cls.other
        cls.other_manager = new_test_user(
            cls.env,
            "srt_iso_manager",
            groups="sales_team.group_sale_salesman_all_leads",
            name="North Manager",
            company_id=cls.other.id,
            company_ids=[(6, 0, cls.other.ids)],
            tz=cls.env.user.tz or "UTC",
        )
        here = cls.env["sale.target"].with_context(allowed_company_ids=cls.other.ids)
        cls.north = (
            cls.env["sale.region"]
            .with_context(allowed_company_ids=cls.other.ids)
            .create(
                {
                    "name": "North",
                    "code": "ISO-N",
                    "manager_id": cls.other_manager.id,
                }
            )
        )
        values = {
            "metric": "revenue",
            "date_from": cls.year_from,
            "date_to": cls.year_to,
        }
        cls.o_company = here.create({**values, "amount": 500.0})
        cls.o_north = here.create(
            {
                **values,
                "amount": 500.0,
                "parent_id": cls.o_company.id,
                "region_id": cls.north.id,
            }
        )
        (cls.o_company | cls.o_north).action_confirm()
        for company in cls.company | cls.other:
            company.partner_id.tz = "UTC"

    def _logged(self, logs, record):
        """The log lines naming ``record`` (by its id)."""
        return [
            line
            for line in logs.output
            if re.search(rf"{record._name} {record.id}\b|\b{record.id} \(", line)
            or re.search(rf"target {record.id}\b", line)
        ]

    # ------------------------------------------------------------------
    # Actuals
    # ------------------------------------------------------------------
    def test_refresh_actuals(self):
        Target = self.env["sale.target"]
        original = type(Target)._refresh_actuals
        bad = self.t_rep_b

        def failing(records):
            if bad in records or self.other in records.company_id:
                raise ZeroDivisionError("poisoned")
            return original(records)

        with (
            freeze_time("2030-06-16 09:00:00"),
            patch.object(type(Target), "_refresh_actuals", failing),
            self.assertLogs(LOGGER, logging.WARNING) as logs,
        ):
            Target._cron_refresh_actuals(batch_size=100_000)
        for faulty in bad | self.o_company | self.o_north:
            self.assertTrue(self._logged(logs, faulty))
            self.assertIn("poisoned", faulty.actuals_error)
        for good in self.tree - bad:
            self.assertFalse(good.actuals_error)
            self.assertEqual(good.actuals_date, datetime(2030, 6, 16, 9))
        # the next run retries them
        with freeze_time("2030-06-16 11:00:00"):
            Target._cron_refresh_actuals(batch_size=100_000)
        self.assertFalse(
            (bad | self.o_company | self.o_north).filtered("actuals_error")
        )

    # ------------------------------------------------------------------
    # Lifecycles and action packs
    # ------------------------------------------------------------------
    def _lifecycles(self):
        Lifecycle = self.env["sale.customer.lifecycle"]
        good, _line = self._planned_customer("Good Buyer")

        def lifecycle(name, company, user):
            partner = self.env["res.partner"].create({"name": name})
            return Lifecycle.create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "suggested_stage": "growing",
                    "stage": "growing",
                    "review_state": "confirmed",
                    "user_id": user.id,
                }
            )

        bad = lifecycle("Bad Buyer", self.company, self.rep_a)
        elsewhere = lifecycle("Elsewhere Buyer", self.other, self.other_manager)
        return good, bad, elsewhere

    def _poisoned(self, method, bad, elsewhere, done):
        Lifecycle = self.env["sale.customer.lifecycle"]
        original = getattr(type(Lifecycle), method)

        def failing(records, *args, **kwargs):
            if bad in records or elsewhere in records:
                raise ValueError("poisoned")
            done.extend(records.ids)
            return original(records, *args, **kwargs)

        return patch.object(type(Lifecycle), method, failing)

    def test_classify(self):
        Lifecycle = self.env["sale.customer.lifecycle"]
        good, bad, elsewhere = self._lifecycles()
        (good | bad | elsewhere).classified_on = False
        done = []
        with (
            self._poisoned("_classify", bad, elsewhere, done),
            self.assertLogs(LOGGER, logging.WARNING) as logs,
        ):
            Lifecycle._cron_classify()
        self.assertIn(good.id, done)
        for faulty in bad | elsewhere:
            self.assertNotIn(faulty.id, done)
            self.assertTrue(self._logged(logs, faulty))
        # left until the next run (tomorrow), which takes them again
        todo = Lifecycle.search([("classified_on", "<", fields.Date.today())])
        self.assertFalse(todo & (bad | elsewhere))

    def test_action_packs(self):
        Lifecycle = self.env["sale.customer.lifecycle"]
        good, bad, elsewhere = self._lifecycles()
        (good | bad | elsewhere).actions_planned_on = False
        done = []
        with (
            self._poisoned("_schedule_action_packs", bad, elsewhere, done),
            self.assertLogs(LOGGER, logging.WARNING) as logs,
        ):
            Lifecycle._cron_schedule_action_packs()
        self.assertIn(good.id, done)
        self.assertTrue(
            self.env["mail.activity"].search(
                [("res_model", "=", "res.partner"), ("res_id", "=", good.partner_id.id)]
            )
        )
        for faulty in bad | elsewhere:
            self.assertTrue(self._logged(logs, faulty))

    def test_action_packs_end_of_run_failing_keeps_the_plans(self):
        """The board's columns and the week counts after the last batch: if they
        fail, the planned activities stay and the failure is logged."""
        Lifecycle = self.env["sale.customer.lifecycle"]
        good, _bad, _elsewhere = self._lifecycles()
        good.actions_planned_on = False
        Activity = type(self.env["mail.activity"])
        with (
            patch.object(
                Activity,
                "_refresh_action_buckets",
                side_effect=ValueError("poisoned"),
                autospec=True,
            ),
            self.assertLogs(LOGGER, logging.WARNING) as logs,
        ):
            Lifecycle._cron_schedule_action_packs()
        self.assertTrue(any("poisoned" in line for line in logs.output))
        self.assertEqual(good.actions_planned_on, fields.Date.today())

    # ------------------------------------------------------------------
    # Forecast accuracy
    # ------------------------------------------------------------------
    def _backtests(self, failing_companies, calls):
        Accuracy = type(self.env["sale.target.forecast.accuracy"])

        def backtest(records, company, today=None, months=12):
            calls.append(company)
            if company in failing_companies:
                raise ValueError("poisoned backtest")
            company.sudo().sale_target_backtest_date = fields.Date.context_today(
                records
            )

        return patch.object(Accuracy, "_backtest", backtest)

    def test_backtest_one_failing_company_does_not_starve_the_others(self):
        Accuracy = self.env["sale.target.forecast.accuracy"]
        companies = self.env["sale.target"].search([]).company_id
        self.assertIn(self.other, companies)
        companies.sale_target_backtest_date = False
        calls = []
        with (
            self._backtests(self.other, calls),
            self.assertLogs(LOGGER, logging.WARNING) as logs,
        ):
            # as the scheduler calls it again while some are left
            for _call in range(len(companies) + 2):
                Accuracy._cron_backtest()
        self.assertEqual(calls.count(self.other), 1, "tried once, not every call")
        self.assertEqual(set(calls), set(companies))
        measured = companies - self.other
        self.assertFalse(measured.filtered(lambda c: not c.sale_target_backtest_date))
        self.assertFalse(self.other.sale_target_backtest_date)
        self.assertIn("poisoned backtest", self.other.sale_target_backtest_error)
        self.assertTrue(self._logged(logs, self.other))
        # retried on a later run, and the flag cleared once it works
        calls.clear()
        with (
            freeze_time(fields.Date.today() + relativedelta(days=1)),
            self._backtests(self.env["res.company"], calls),
        ):
            Accuracy._cron_backtest()
        self.assertEqual(calls, [self.other])
        self.assertTrue(self.other.sale_target_backtest_date)
        self.assertFalse(self.other.sale_target_backtest_error)

    def test_backtest_poisoned_target(self):
        """A target the replay fails on (its company's backtest raises): the
        other companies are measured for real."""
        Accuracy = self.env["sale.target.forecast.accuracy"]
        companies = self.env["sale.target"].search([]).company_id
        companies.sale_target_backtest_date = date(2031, 2, 1)
        (self.company | self.other).sale_target_backtest_date = False
        Target = type(self.env["sale.target"])
        original = Target._actuals_owner_keys

        def failing(records):
            if self.o_north in records:
                raise OverflowError("poisoned target")
            return original(records)

        with (
            freeze_time("2031-02-01 06:00:00"),
            patch.object(Target, "_actuals_owner_keys", failing),
            self.assertLogs(LOGGER, logging.WARNING) as logs,
        ):
            for _call in range(3):
                Accuracy._cron_backtest()
        self.assertTrue(self._logged(logs, self.other))
        self.assertEqual(self.company.sale_target_backtest_date, date(2031, 2, 1))
        self.assertTrue(Accuracy.search([("company_id", "=", self.company.id)]))
        self.assertFalse(self.other.sale_target_backtest_date)

    # ------------------------------------------------------------------
    # Weekly lag warnings
    # ------------------------------------------------------------------
    def test_weekly_lag_warnings(self):
        Warning = self.env["sale.target.warning"]
        bad = self.t_rep_b
        original = WeeklyCheck._target_figures

        def failing(check, targets):
            if bad in targets:
                raise ZeroDivisionError("poisoned target")
            return original(check, targets)

        # a company whose time zone is broken in the database
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET tz = 'Mars/Olympus' WHERE id = %s",
            [self.other.partner_id.id],
        )
        self.other.partner_id.invalidate_recordset(["tz"])
        with (
            freeze_time("2030-06-03 08:00:00"),
            patch.object(WeeklyCheck, "_target_figures", failing),
            self.assertLogs(LOGGER, logging.WARNING) as logs,
        ):
            Warning._cron_weekly_lag_warnings()
        self.assertTrue(self._logged(logs, bad))
        self.assertTrue(self._logged(logs, self.other))
        # this company's check finished, and its other targets were checked
        self.assertEqual(self.company.sale_target_lag_week, date(2030, 6, 3))
        self.assertTrue(
            Warning.search([("target_id", "in", (self.tree - bad).ids)]),
        )
        self.assertFalse(Warning.search([("target_id", "=", bad.id)]))
        self.assertFalse(self.other.sale_target_lag_week)
        # mended, the next hourly run checks it
        self.other.partner_id.tz = "UTC"
        with freeze_time("2030-06-03 09:00:00"):
            Warning._cron_weekly_lag_warnings()
        self.assertEqual(self.other.sale_target_lag_week, date(2030, 6, 3))

    def test_weekly_lag_warnings_failing_end_of_a_company_check(self):
        Warning = self.env["sale.target.warning"]
        original = WeeklyCheck.finish

        def failing(check):
            if check.company == self.other:
                raise ValueError("poisoned digest")
            return original(check)

        with (
            freeze_time("2030-06-03 08:00:00"),
            patch.object(WeeklyCheck, "finish", failing),
            self.assertLogs(LOGGER, logging.WARNING) as logs,
        ):
            Warning._cron_weekly_lag_warnings()
        self.assertTrue(self._logged(logs, self.other))
        self.assertEqual(self.company.sale_target_lag_week, date(2030, 6, 3))
        self.assertFalse(self.other.sale_target_lag_week)

    # ------------------------------------------------------------------
    # Monthly reviews
    # ------------------------------------------------------------------
    def _mailed(self, reviews):
        return self.env["mail.message"].search(
            [
                ("model", "=", "sale.target.review"),
                ("res_id", "in", reviews.ids),
                ("attachment_ids", "!=", False),
            ]
        )

    def test_monthly_review_a_manager_who_may_not_read_his_review(self):
        """A salesperson made manager of West may not read West's review: the
        other regions' and teams' reviews are still prepared and mailed, and
        West's is flagged, logged and retried on the next run."""
        self.west.manager_id = self.rep_b
        Review = self.env["sale.target.review"]
        with (
            freeze_time("2030-06-02 06:00:00"),
            self.assertLogs(LOGGER, logging.WARNING) as logs,
        ):
            Review._cron_monthly_review()
            Review._cron_monthly_review()  # the scheduler's next call
        reviews = Review.search([("company_id", "in", (self.company | self.other).ids)])
        west = reviews.filtered(lambda r: r.region_id == self.west)
        others = reviews - west
        self.assertEqual(
            sorted(others.mapped("owner_name")),
            ["North", "Team SH", "Testland / East"],
        )
        self.assertEqual(set(others.mapped("mail_state")), {"sent"})
        self.assertEqual(len(self._mailed(others)), 3)
        self.assertEqual(west.mail_state, "pending")
        self.assertTrue(west.mail_error)
        self.assertEqual(len(self._logged(logs, west)), 1, "tried once per run")
        self.assertFalse(self._mailed(west))
        # mended, the next run sends it
        self.west.manager_id = self.east_manager
        with freeze_time("2030-06-03 06:00:00"):
            Review._cron_monthly_review()
        self.assertEqual(west.mail_state, "sent")
        self.assertFalse(west.mail_error)
        self.assertEqual(len(self._mailed(west)), 1)

    def test_monthly_review_a_poisoned_company(self):
        Review = self.env["sale.target.review"]
        original = type(Review)._prepare

        def failing(records, owners, *args, **kwargs):
            if any(owner == self.north for _level, owner in owners):
                raise ValueError("poisoned region")
            return original(records, owners, *args, **kwargs)

        with (
            freeze_time("2030-06-02 06:00:00"),
            patch.object(type(Review), "_prepare", failing),
            self.assertLogs(LOGGER, logging.WARNING) as logs,
        ):
            Review._cron_monthly_review()
        self.assertTrue(self._logged(logs, self.north))
        reviews = Review.search([("company_id", "in", (self.company | self.other).ids)])
        self.assertEqual(
            sorted(reviews.mapped("owner_name")), ["Team SH", "Testland / East"]
        )
        self.assertEqual(set(reviews.mapped("mail_state")), {"sent"})

    def test_monthly_review_a_target_with_a_broken_amount(self):
        """A target whose amount is broken in the database (NaN): the other
        reviews are prepared and mailed."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_target SET amount = 'NaN' WHERE id = %s", [self.o_north.id]
        )
        self.o_north.invalidate_recordset()
        Review = self.env["sale.target.review"]
        with freeze_time("2030-06-02 06:00:00"):
            Review._cron_monthly_review()
        reviews = Review.search([("company_id", "=", self.company.id)])
        self.assertEqual(
            sorted(reviews.mapped("owner_name")), ["Team SH", "Testland / East"]
        )
        self.assertEqual(set(reviews.mapped("mail_state")), {"sent"})
