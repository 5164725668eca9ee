"""The lag warnings' settings are each company's own, and every setting the
addon reads goes through one accessor that falls back to the default on a value
stored out of range."""

import logging
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from ..models.lag_warning_check import WeeklyCheck
from ..tools import lag_warnings, lifecycle, pace
from .test_migrations import load_migration
from .test_war_room import TODAY, WarRoomCase

LOGGER = "odoo.addons.sale_regional_target.models.sale_target_settings_fields"
PREFIX = "sale_regional_target."


@tagged("post_install", "-at_install")
class TestCompanySettings(WarRoomCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other, cls.other_hq = cls._other_company_hq()
        cls.Fields = cls.env["sale.target.settings.fields"]

    def _lag(self, company):
        return self.Fields._lag_warning_settings(company)

    def test_another_company_hq_changes_only_his_own_thresholds(self):
        before = self._lag(self.company)
        values = {
            "sale_target_warning_completion_threshold": 55.0,
            "sale_target_warning_completion_weeks": 4,
            "sale_target_warning_silent_days": 40,
            "sale_target_warning_weekday": "3",
            "sale_target_warning_hour": "18",
            "sale_target_warning_top": lag_warnings.TEAM_LEADER,
            "sale_target_warning_pace": False,
            "sale_target_warning_hq_user_id": self.other_hq.id,
        }
        # the addon's own settings form, as the client sends it
        form = self.rpc(self.other_hq, "sale.target.settings", "create", values)
        self.rpc(self.other_hq, "sale.target.settings", "action_save", [form])
        theirs = self._lag(self.other)
        self.assertEqual(theirs["completion_threshold"], 55.0)
        self.assertEqual(theirs["completion_weeks"], 4)
        self.assertEqual(theirs["silent_days"], 40)
        self.assertEqual((theirs["weekday"], theirs["hour"]), (3, 18))
        self.assertEqual(theirs["top"], lag_warnings.TEAM_LEADER)
        self.assertFalse(theirs[lag_warnings.PACE])
        self.assertEqual(self.Fields._hq_user(self.other), self.other_hq)
        # this company's untouched
        self.assertEqual(self._lag(self.company), before)
        self.assertFalse(self.Fields._hq_user(self.company))
        # his form shows his company's, this company's HQ sees this company's
        shown = self.rpc(
            self.other_hq,
            "sale.target.settings",
            "default_get",
            list(values),
        )
        self.assertEqual(shown["sale_target_warning_silent_days"], 40)
        shown = self.rpc(self.hq, "sale.target.settings", "default_get", list(values))
        self.assertEqual(
            shown["sale_target_warning_silent_days"], before["silent_days"]
        )
        # nor can he write this company's settings on the company itself
        with self.assertRaises(AccessError):
            self.rpc(
                self.other_hq,
                "res.company",
                "write",
                self.company.ids,
                {"sale_target_warning_silent_days": 2},
            )
        self.assertEqual(self._lag(self.company), before)

    def test_odoo_settings_are_the_current_company_s(self):
        admin = new_test_user(
            self.env,
            "srt_other_admin",
            groups="base.group_system",
            company_id=self.other.id,
            company_ids=[(6, 0, self.other.ids)],
        )
        before = self._lag(self.company)
        shown = self.rpc(admin, "res.config.settings", "default_get", ["company_id"])
        self.assertEqual(shown["company_id"], self.other.id)
        settings = self.rpc(
            admin,
            "res.config.settings",
            "create",
            {"sale_target_warning_silent_days": 9, "sale_target_warning_hour": "5"},
        )
        self.rpc(admin, "res.config.settings", "execute", [settings])
        self.assertEqual(self._lag(self.other)["silent_days"], 9)
        self.assertEqual(self._lag(self.other)["hour"], 5)
        self.assertEqual(self._lag(self.company), before)

    def test_the_weekly_check_runs_on_each_company_s_own_weekday(self):
        self.other.sale_target_warning_weekday = "2"  # Wednesday
        Warning = self.env["sale.target.warning"]
        with freeze_time("2030-06-03 08:00:00"):  # Monday
            self.assertTrue(WeeklyCheck.due_day(Warning, self.company))
            self.assertFalse(WeeklyCheck.due_day(Warning, self.other))

    # ------------------------------------------------------------------
    # Values stored out of range
    # ------------------------------------------------------------------
    def _poison(self):
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE res_company
                  SET sale_target_warning_completion_weeks = 0,
                      sale_target_warning_silent_days = 2000000000,
                      sale_target_warning_completion_threshold = 'NaN',
                      sale_target_warning_weekday = '9',
                      sale_target_warning_hour = 'noon',
                      sale_target_warning_top = 'boss'
                WHERE id = %s""",
            [self.company.id],
        )
        self.env.invalidate_all()
        params = self.env["ir.config_parameter"].sudo()
        for key, value in {
            "pace_ahead": "inf",
            "pace_on_track": "nan",
            "pace_at_risk": "garbage",
            "pace_working_days": "maybe",
            "lifecycle_incubating_months": "1e12",
            "lifecycle_dormant_months": "0",
            "lifecycle_growth_rate": "-5",
            "lifecycle_decline_rate": "inf",
            "lifecycle_weight_growing": "0",
            "lifecycle_weight_stable": "0",
            "lifecycle_weight_incubating": "0",
            "lifecycle_weight_declining": "0",
            "allocation_unit": "abc",
        }.items():
            params.set_param(PREFIX + key, value)

    def test_values_stored_out_of_range_fall_back_to_the_defaults(self):
        self._poison()
        with self.assertLogs(LOGGER, logging.WARNING) as logs:
            lag = self._lag(self.company)
            thresholds, by_working_days = self.Fields._pace_settings()
            rules = self.Fields._lifecycle_rules()
            weights = self.Fields._stage_weights()
            unit = self.Fields._setting("sale_target_allocation_unit")
        defaults = lag_warnings.DEFAULTS
        self.assertEqual(lag["completion_weeks"], defaults["completion_weeks"])
        self.assertEqual(lag["silent_days"], defaults["silent_days"])
        self.assertEqual(lag["completion_threshold"], defaults["completion_threshold"])
        self.assertEqual(
            (lag["weekday"], lag["hour"], lag["top"]),
            (defaults["weekday"], defaults["hour"], defaults["top"]),
        )
        self.assertEqual(thresholds, pace.DEFAULT_THRESHOLDS)
        self.assertFalse(by_working_days)
        self.assertEqual(rules, lifecycle.Rules())
        self.assertEqual(weights, lifecycle.DEFAULT_WEIGHTS)
        self.assertEqual(unit, "100")
        self.assertTrue(
            any(
                "sale_target_warning_silent_days" in line and "2000000000" in line
                for line in logs.output
            )
        )
        # the same with weeks beyond any calendar in a parameter of old
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(PREFIX + "lifecycle_dormant_months", str(10**12))
        self.assertEqual(self.Fields._lifecycle_rules(), lifecycle.Rules())
        params.set_param(PREFIX + "lifecycle_weight_growing", "-1")
        self.assertEqual(self.Fields._setting("sale_target_weight_growing"), 40.0)

    def test_with_poisoned_settings_the_weekly_check_and_war_rooms_run(self):
        self._poison()
        Warning = self.env["sale.target.warning"]
        with self.assertLogs(LOGGER, logging.WARNING):
            check = Warning._run_weekly_check(self.company, date(2030, 6, 15))
        self.assertEqual(check.company.sale_target_lag_week, check.week)
        with freeze_time(TODAY):
            for user in (self.hq, self.east_manager, self.leader, self.rep_a):
                data = self.rpc(user, "sale.target.war.room", "get_data")
                self.assertTrue(data["scope"])
        # and the daily classification
        Lifecycle = self.env["sale.customer.lifecycle"]
        Lifecycle._cron_classify()
        self.assertFalse(
            Lifecycle.search(
                [("company_id", "=", self.company.id), ("classified_on", "=", False)]
            )
        )

    # ------------------------------------------------------------------
    # Migration
    # ------------------------------------------------------------------
    def test_1_5_copies_the_shared_parameters_to_every_company(self):
        migration = load_migration("18.0.1.5.0", "post-migrate")
        params = self.env["ir.config_parameter"].sudo()
        stored = {
            "warning_completion_threshold": "80",
            "warning_completion_weeks": "3",
            "warning_silent_days": "1e12",  # out of range: not copied
            "warning_weekday": "4",
            "warning_hour": "9",
            "warning_top": lag_warnings.REGION_MANAGER,
            "warning_floor": "False",
            "warning_hq_user_id": str(self.hq.id),
        }
        for key, value in stored.items():
            params.set_param(PREFIX + key, value)
        with self.assertLogs(migration.__name__, logging.WARNING):
            migration.migrate(self.env.cr, "18.0.1.4.0")
        self.env.invalidate_all()
        for company in (self.company, self.other):
            lag = self._lag(company)
            self.assertEqual(lag["completion_threshold"], 80.0)
            self.assertEqual(lag["completion_weeks"], 3)
            self.assertEqual(lag["silent_days"], lag_warnings.DEFAULTS["silent_days"])
            self.assertEqual((lag["weekday"], lag["hour"]), (4, 9))
            self.assertEqual(lag["top"], lag_warnings.REGION_MANAGER)
            self.assertFalse(lag[lag_warnings.FLOOR])
            self.assertTrue(lag[lag_warnings.PACE])
            self.assertEqual(self.Fields._hq_user(company), self.hq)
        for key in stored:
            self.assertFalse(params.get_param(PREFIX + key))

    def test_the_hq_user_chosen_takes_hq_s_warnings_first(self):
        second = new_test_user(
            self.env,
            "srt_hq_two",
            groups="sales_team.group_sale_manager",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        hq_users = self.env["sale.target.warning"]._hq_users
        self.assertEqual(hq_users(self.company)[0], self.hq)
        self.company.sale_target_warning_hq_user_id = second
        self.assertEqual(hq_users(self.company)[0], second)
        # another company's choice is not this one's
        self.other.sale_target_warning_hq_user_id = self.other_hq
        self.assertEqual(hq_users(self.company)[0], second)

    def test_hq_s_warnings_go_to_an_hq_administrator_of_the_company(self):
        """Over RPC, this company's HQ cannot hand HQ's warnings to another
        company's HQ, to an archived user, to the system user or to a
        salesperson; a colleague HQ administrator is taken."""
        archived = new_test_user(
            self.env,
            "srt_hq_gone",
            groups="sales_team.group_sale_manager",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        archived.active = False
        for user in (
            self.other_hq,
            archived,
            self.env.ref("base.user_root"),
            self.rep_a,
        ):
            with self.assertRaisesRegex(ValidationError, "cannot take HQ's warnings"):
                self.rpc(
                    self.hq,
                    "sale.target.settings",
                    "create",
                    {"sale_target_warning_hq_user_id": user.id},
                )
        self.assertFalse(self.Fields._hq_user(self.company))
        second = new_test_user(
            self.env,
            "srt_hq_three",
            groups="sales_team.group_sale_manager",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        form = self.rpc(
            self.hq,
            "sale.target.settings",
            "create",
            {"sale_target_warning_hq_user_id": second.id},
        )
        self.rpc(self.hq, "sale.target.settings", "action_save", [form])
        self.assertEqual(self.Fields._hq_user(self.company), second)
