import base64
import io
from datetime import date, datetime

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from ..wizards import allocation_xlsx
from .common import TargetCase


@tagged("post_install", "-at_install")
class TestAllocation(TargetCase):
    """The allocation wizard on a 2031 plan, with 2029 and 2030 as history.

    Revenue history (confirmed orders, CNY):
      2030: East 4,000 (rep A 3,000 + leader 1,000), West 1,000 (rep B)
      2029: East 1,000 (rep A), West 3,000 (rep B)
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "UTC"
        cls.product = cls.env["product.product"].create(
            {"name": "Machine", "type": "service", "taxes_id": [Command.clear()]}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Buyer Co", "is_company": True}
        )
        for user, team, price, when in (
            (cls.rep_a, cls.team_sh, 3000, datetime(2030, 3, 10)),
            (cls.leader, cls.team_sh, 1000, datetime(2030, 7, 10)),
            (cls.rep_b, cls.team_w, 1000, datetime(2030, 5, 10)),
            (cls.rep_a, cls.team_sh, 1000, datetime(2029, 3, 10)),
            (cls.rep_b, cls.team_w, 3000, datetime(2029, 5, 10)),
        ):
            order = cls.env["sale.order"].create(
                {
                    "partner_id": cls.customer.id,
                    "user_id": user.id,
                    "team_id": team.id,
                    "company_id": cls.company.id,
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
            order.date_order = when
        cls.plan = cls._target(
            amount=1_000_000.0,
            floor_amount=900_000.0,
            stretch_amount=1_200_000.0,
            date_from=date(2031, 1, 1),
            date_to=date(2031, 12, 31),
        )
        Factor = cls.env["sale.region.factor"]
        cls.capacity = Factor.create({"name": "Capacity", "weight": 3})
        cls.growth = Factor.create(
            {"name": "Growth", "weight": 1, "normalisation": "minmax"}
        )
        cls.env["sale.region.factor.value"].create(
            [
                {"region_id": r.id, "factor_id": f.id, "year": 2025, "value": v}
                for r, f, v in (
                    (cls.east, cls.capacity, 100),
                    (cls.west, cls.capacity, 50),
                    (cls.east, cls.growth, 1),
                    (cls.west, cls.growth, 3),
                )
            ]
        )

    def _wizard(self, target=None, user=None, **vals):
        target = target or self.plan
        if user:
            target = target.with_user(user)
        action = target.action_allocate()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        if user:
            wizard = wizard.with_user(user)
        if vals:
            wizard.write(vals)
        return wizard

    def _amounts(self, wizard, depth=0):
        return {
            line.name: line.amount for line in wizard.line_ids if line.depth == depth
        }

    # ------------------------------------------------------------------
    def test_history_one_year_as_hq(self):
        wizard = self._wizard(user=self.hq)
        with Form(wizard) as form:
            form.method = "history"
            form.rounding_unit = "100"
        wizard.action_preview()
        self.assertEqual(wizard.state, "preview")
        self.assertEqual(
            self._amounts(wizard),
            {"Testland / East": 800_000.0, "Testland / West": 200_000.0},
        )
        east = wizard.line_ids.filtered(lambda line: line.region_id == self.east)
        self.assertEqual(east.last_year_amount, 4000.0)
        self.assertAlmostEqual(east.share, 80.0)
        self.assertIn("80.0%", east.explanation)
        # floor and stretch follow the parent's ratios, adding up to the parent's
        self.assertEqual(east.floor_amount, 720_000.0)
        self.assertEqual(sum(wizard.line_ids.mapped("floor_amount")), 900_000.0)
        self.assertEqual(sum(wizard.line_ids.mapped("stretch_amount")), 1_200_000.0)
        wizard.action_confirm()
        children = self.plan.child_ids
        self.assertEqual(sorted(children.mapped("amount")), [200_000.0, 800_000.0])
        self.assertEqual(set(children.mapped("state")), {"draft"})
        self.assertEqual(self.plan.allocation_method, "history")
        self.assertEqual(self.plan.allocation_version, 1)
        east_target = children.filtered(lambda t: t.region_id == self.east)
        # own seasonality: East sold in March and July 2030 only
        phased = {
            line.date.month: line.amount for line in east_target.line_ids if line.amount
        }
        self.assertEqual(phased, {3: 600_000.0, 7: 200_000.0})
        self.assertIn("History", self.plan.message_ids[0].body)

    def test_rounding_unit_from_settings(self):
        settings = Form(self.env["res.config.settings"])
        settings.sale_target_allocation_unit = "10000"
        settings.save().execute()
        wizard = self._wizard(method="equal")
        self.assertEqual(wizard.rounding_unit, "10000")
        self.plan.amount = 1_005_000.0
        wizard.action_preview()
        amounts = sorted(wizard.line_ids.mapped("amount"))
        # whole tens of thousands that still add up to the parent
        self.assertEqual(amounts, [500_000.0, 505_000.0])

    def test_history_two_years_weighted(self):
        wizard = self._wizard(
            history_years="2", weight_year1=60, weight_year2=40, rounding_unit="100"
        )
        wizard.action_preview()
        # East 0.6*4000 + 0.4*1000 = 2800, West 0.6*1000 + 0.4*3000 = 1800
        self.assertEqual(
            self._amounts(wizard),
            {"Testland / East": 608_700.0, "Testland / West": 391_300.0},
        )

    def test_potential_and_comparison(self):
        wizard = self._wizard(method="potential", compare_method="history")
        wizard.action_preview()
        # the latest year with values, up to the plan's
        self.assertEqual(wizard.potential_year, 2025)
        # capacity (weight 3): East 1, West 0; growth (weight 1): East 0, West 1
        east = wizard.line_ids.filtered(lambda line: line.region_id == self.east)
        self.assertAlmostEqual(east.potential_score, 75.0)
        self.assertEqual(east.amount, 750_000.0)
        self.assertEqual(east.compare_amount, 800_000.0)
        self.assertIn("Capacity", east.explanation)
        # by potential the target per potential point is even: fairness 0
        self.assertAlmostEqual(wizard.fairness, 0.0, places=6)
        self.assertGreater(wizard.compare_fairness, 0.0)
        self.assertEqual(self.east.potential_score, 75.0)

    def test_blend_equal_and_manual(self):
        wizard = self._wizard(method="blend", blend_history_weight=50)
        wizard.action_preview()
        self.assertEqual(self._amounts(wizard)["Testland / East"], 775_000.0)
        wizard.method = "equal"
        wizard.action_preview()
        self.assertEqual(set(self._amounts(wizard).values()), {500_000.0})
        wizard.write({"method": "manual", "manual_mode": "percent"})
        for line, value in zip(wizard.line_ids, (30, 70), strict=True):
            line.manual_value = value
        wizard.action_preview()
        self.assertEqual(sorted(self._amounts(wizard).values()), [300_000.0, 700_000.0])
        wizard.line_ids[0].manual_value = 20
        with self.assertRaisesRegex(UserError, "add up to 90%"):
            wizard.action_preview()

    def test_adjustments(self):
        wizard = self._wizard()
        wizard.action_preview()
        west = wizard.line_ids.filtered(lambda line: line.region_id == self.west)
        west.write({"locked": True, "amount": 350_000.0})
        wizard.action_preview()
        self.assertEqual(self._amounts(wizard)["Testland / West"], 350_000.0)
        west = wizard.line_ids.filtered(lambda line: line.region_id == self.west)
        self.assertIn("locked", west.explanation)
        # locked above the total
        wizard.line_ids.filtered(lambda line: line.region_id == self.west).write(
            {"locked": True, "amount": 2_000_000.0}
        )
        with self.assertRaisesRegex(UserError, "locked amounts of Testland / West"):
            wizard.action_preview()
        wizard.line_ids.write({"locked": False})
        # a growth cap of 50% holds East at 6,000 and West at 1,500: far too little
        wizard.growth_cap = 50
        with self.assertRaisesRegex(UserError, "raise a maximum or the growth cap"):
            wizard.action_preview()
        wizard.growth_cap = 0
        east = wizard.line_ids.filtered(lambda line: line.region_id == self.east)
        east.maximum_amount = 700_000.0
        wizard.action_preview()
        self.assertEqual(
            self._amounts(wizard),
            {"Testland / East": 700_000.0, "Testland / West": 300_000.0},
        )
        east = wizard.line_ids.filtered(lambda line: line.region_id == self.east)
        self.assertIn("maximum", east.explanation)

    def test_ramp_up_for_a_new_region(self):
        self.west.opened_on = date(2031, 1, 1)
        wizard = self._wizard(method="equal", ramp_up=True, ramp_schedule="25, 50, 75")
        wizard.action_preview()
        west = wizard.line_ids.filtered(lambda line: line.region_id == self.west)
        # (0.25 + 0.5 + 0.75 + 9 * 1) / 12 of a full share
        self.assertAlmostEqual(west.ramp_rate, 100 * 10.5 / 12, places=0)
        self.assertLess(west.amount, 500_000.0)
        self.assertEqual(sum(wizard.line_ids.mapped("amount")), 1_000_000.0)
        wizard.ramp_schedule = "25, fifty"
        with self.assertRaisesRegex(UserError, "percents separated by commas"):
            wizard.action_preview()

    def test_cascade_down_to_salespeople(self):
        wizard = self._wizard(
            method="history",
            cascade=True,
            region_children_method="equal",
            team_children_method="equal",
        )
        wizard.action_preview()
        levels = sorted(set(wizard.line_ids.mapped("depth")))
        self.assertEqual(levels, [0, 1, 2, 3])
        wizard.action_confirm()
        east = self.plan.child_ids.filtered(lambda t: t.region_id == self.east)
        shanghai = east.child_ids
        self.assertEqual(shanghai.region_id, self.shanghai)
        team = shanghai.child_ids
        self.assertEqual(team.team_id, self.team_sh)
        self.assertEqual(sorted(team.child_ids.mapped("amount")), [400_000.0] * 2)
        self.assertEqual(team.child_ids.user_id, self.leader | self.rep_a)
        # each salesperson follows their new target; no creation note per target
        for rep_target in team.child_ids:
            self.assertIn(rep_target.user_id.partner_id, rep_target.message_partner_ids)
            self.assertFalse(rep_target.message_ids)
            self.assertEqual(len(rep_target.line_ids), 12)
            self.assertEqual(rep_target.line_ids.company_id, self.company)
        west_reps = self.plan.child_ids.filtered(
            lambda t: t.region_id == self.west
        ).child_ids.child_ids
        self.assertEqual(west_reps.user_id, self.rep_b)
        self.assertEqual(west_reps.amount, 200_000.0)
        # every level adds up exactly
        for target in self.env["sale.target"].search(
            [("id", "child_of", self.plan.id), ("child_ids", "!=", False)]
        ):
            self.assertEqual(sum(target.child_ids.mapped("amount")), target.amount)
        # run again: children updated in place, never duplicated
        count = self.env["sale.target"].search_count([("id", "child_of", self.plan.id)])
        again = self._wizard(method="equal", cascade=True, team_children_method="equal")
        again.action_preview()
        again.action_confirm()
        self.assertEqual(
            self.env["sale.target"].search_count([("id", "child_of", self.plan.id)]),
            count,
        )
        self.assertEqual(set(self.plan.child_ids.mapped("amount")), {500_000.0})

    def test_cascade_through_groups_without_history(self):
        """Deeper levels never stop the run: a team whose members have no history
        is split evenly, and a team that got nothing passes nothing on."""
        rep_c = self._user("srt_rep_c", "sales_team.group_sale_salesman", "Rep C")
        rep_d = self._user("srt_rep_d", "sales_team.group_sale_salesman", "Rep D")
        rep_e = self._user("srt_rep_e", "sales_team.group_sale_salesman", "Rep E")
        Team = self.env["crm.team"]
        # Team N sold in 2030, but through Rep B, who is not one of its members.
        team_n = Team.create(
            {
                "name": "Team N",
                "company_id": self.company.id,
                "region_id": self.west.id,
                "member_ids": [Command.set((rep_c | rep_d).ids)],
            }
        )
        Team.create(
            {
                "name": "Team Z",
                "company_id": self.company.id,
                "region_id": self.west.id,
                "member_ids": [Command.set(rep_e.ids)],
            }
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.rep_b.id,
                "team_id": team_n.id,
                "company_id": self.company.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "price_unit": 1000})
                ],
            }
        )
        order.action_confirm()
        order.date_order = datetime(2030, 6, 1)
        wizard = self._wizard(
            method="history",
            cascade=True,
            region_children_method="history",
            team_children_method="history",
        )
        wizard.action_preview()
        lines = {line.name: line for line in wizard.line_ids}
        # West's 2030 history: Team W 1,000 and Team N 1,000; Team Z none.
        # West gets 333,300 (a third of the plan, in hundreds): halves within a unit
        self.assertEqual(lines["Team N"].amount + lines["Team W"].amount, 333_300.0)
        self.assertAlmostEqual(
            lines["Team N"].amount, lines["Team W"].amount, delta=100.0
        )
        self.assertEqual(lines["Team Z"].amount, 0.0)
        self.assertEqual(
            lines["Rep C"].amount + lines["Rep D"].amount, lines["Team N"].amount
        )
        self.assertAlmostEqual(lines["Rep C"].amount, lines["Rep D"].amount, delta=100)
        self.assertIn("No basis for this method", lines["Rep C"].explanation)
        self.assertEqual(lines["Rep E"].amount, 0.0)
        self.assertIn("level above got no target", lines["Rep E"].explanation)
        wizard.action_confirm()
        rep_e_target = self.env["sale.target"].search(
            [("id", "child_of", self.plan.id), ("user_id", "=", rep_e.id)]
        )
        self.assertEqual(rep_e_target.amount, 0.0)

    def test_bulk_phasing_check_catches_a_wrong_month(self):
        """The one-query check behind bulk creation refuses what the per-record
        constraint refuses."""
        self.plan._check_phasing_in_bulk()  # a correct phasing passes
        line = self.plan.line_ids[:1]
        self.assertTrue(line)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_target_line SET amount = amount + 1 WHERE id = %s", [line.id]
        )
        self.plan.invalidate_recordset(["line_ids"])
        line.invalidate_recordset(["amount"])
        with self.assertRaisesRegex(ValidationError, "monthly phasing adds up to"):
            self.plan._check_phasing_in_bulk()

    def test_confirmed_children_change_only_with_a_reason(self):
        wizard = self._wizard()
        wizard.action_preview()
        wizard.action_confirm()
        self.plan.child_ids.action_confirm()
        again = self._wizard(method="equal")
        again.action_preview()
        with self.assertRaisesRegex(UserError, "give a reason. Nothing was written"):
            again.action_confirm()
        self.assertEqual(
            sorted(self.plan.child_ids.mapped("amount")), [200_000.0, 800_000.0]
        )
        again.reason = "Board decision: equal split"
        again.action_confirm()
        self.assertEqual(set(self.plan.child_ids.mapped("amount")), {500_000.0})

    def test_concurrent_confirmation(self):
        first = self._wizard(method="history")
        second = self._wizard(method="equal")
        first.action_preview()
        second.action_preview()
        first.action_confirm()
        with self.assertRaisesRegex(UserError, "allocated by someone else"):
            second.action_confirm()
        self.assertEqual(
            sorted(self.plan.child_ids.mapped("amount")), [200_000.0, 800_000.0]
        )

    def test_bad_input(self):
        zero = self._target(
            amount=0.0, date_from=date(2032, 1, 1), date_to=date(2032, 12, 31)
        )
        with self.assertRaisesRegex(UserError, "no positive amount"):
            self._wizard(zero).action_preview()
        rep_plan = self._target(
            team_id=self.team_sh.id,
            user_id=self.rep_a.id,
            amount=10.0,
            date_from=date(2031, 1, 1),
            date_to=date(2031, 12, 31),
        )
        with self.assertRaisesRegex(UserError, "bottom of the tree"):
            self._wizard(rep_plan).action_preview()
        empty_team = self.env["crm.team"].create(
            {"name": "Empty", "company_id": self.company.id, "region_id": self.west.id}
        )
        team_plan = self._target(
            team_id=empty_team.id,
            amount=10.0,
            date_from=date(2031, 1, 1),
            date_to=date(2031, 12, 31),
        )
        with self.assertRaisesRegex(UserError, "has no members"):
            self._wizard(team_plan).action_preview()
        no_history = self._target(
            amount=10.0, date_from=date(2041, 1, 1), date_to=date(2041, 12, 31)
        )
        with self.assertRaisesRegex(
            UserError, "has any Revenue \\(confirmed sales\\) in the history"
        ):
            self._wizard(no_history).action_preview()
        wizard = self._wizard(weight_year1=0)
        with self.assertRaisesRegex(UserError, "add up to zero"):
            wizard.action_preview()
        wizard = self._wizard(method="potential")
        wizard.potential_year = 2029
        with self.assertRaisesRegex(UserError, "no value of Capacity, Growth"):
            wizard.action_preview()
        (self.capacity | self.growth).weight = 0
        wizard.potential_year = 2025
        with self.assertRaisesRegex(UserError, "weights of the potential factors"):
            wizard.action_preview()
        with self.assertRaisesRegex(UserError, "in a stage weighted above 0"):
            self._wizard(method="lifecycle").action_preview()

    def test_lifecycle_mix(self):
        """Buyer Co is growing (confirmed); Fading Co only suggested declining.
        2030: East 4,000 growing; West 1,000 growing + 2,000 declining.
        Bases with the default weights: East 0.40 x 4,000 = 1,600; West
        0.40 x 1,000 + 0.05 x 2,000 = 500; shares 1,600/2,100 and 500/2,100."""
        fading = self.env["res.partner"].create(
            {"name": "Fading Co", "is_company": True}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": fading.id,
                "user_id": self.rep_b.id,
                "team_id": self.team_w.id,
                "company_id": self.company.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "price_unit": 2000,
                            "tax_id": False,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = datetime(2030, 6, 10)
        Lifecycle = self.env["sale.customer.lifecycle"]
        Lifecycle.create(
            [
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "stage": "growing",
                    "suggested_stage": "stable",
                },
                {
                    "partner_id": fading.id,
                    "company_id": self.company.id,
                    "suggested_stage": "declining",
                },
            ]
        )
        wizard = self._wizard(user=self.hq, method="lifecycle", rounding_unit="100")
        wizard.action_preview()
        # 761,904.76 and 238,095.24: the remainder goes to the larger fraction
        self.assertEqual(
            self._amounts(wizard),
            {"Testland / East": 761_900.0, "Testland / West": 238_100.0},
        )
        west = wizard.line_ids.filtered(lambda line: line.region_id == self.west)
        self.assertIn("Growing", west.explanation)
        self.assertIn("Declining", west.explanation)
        self.assertIn("23.8%", west.explanation)
        # stage weights are settings: stable customers only count now
        self.env["res.config.settings"].create(
            {
                "sale_target_weight_growing": 0.0,
                "sale_target_weight_declining": 0.0,
                "sale_target_weight_stable": 30.0,
                "sale_target_weight_incubating": 15.0,
            }
        ).execute()
        self.assertEqual(
            self.env["sale.customer.lifecycle"]._stage_weights(),
            {"incubating": 0.15, "growing": 0.0, "stable": 0.30, "declining": 0.0},
        )
        with self.assertRaisesRegex(UserError, "in a stage weighted above 0"):
            self._wizard(user=self.hq, method="lifecycle").action_preview()

    # ------------------------------------------------------------------
    def test_regional_manager_allocates_own_region_only(self):
        east_plan = self._target(
            self.plan,
            region_id=self.east.id,
            amount=600_000.0,
            date_from=date(2031, 1, 1),
            date_to=date(2031, 12, 31),
        )
        west_plan = self._target(
            self.plan,
            region_id=self.west.id,
            amount=400_000.0,
            date_from=date(2031, 1, 1),
            date_to=date(2031, 12, 31),
        )
        wizard = self._wizard(east_plan, user=self.east_manager)
        with Form(wizard) as form:
            form.method = "equal"
            form.cascade = True
            form.team_children_method = "history"
        wizard.action_preview()
        self.assertEqual(
            wizard.line_ids.mapped("name"),
            ["Testland / East / Shanghai", "Team SH", "Rep A", "SH Leader"],
        )
        # history under team SH: rep A 3,000, leader 1,000 in 2030
        self.assertEqual(
            {line.name: line.amount for line in wizard.line_ids if line.depth == 2},
            {"Rep A": 450_000.0, "SH Leader": 150_000.0},
        )
        wizard.action_confirm()
        team_target = east_plan.child_ids.child_ids
        self.assertEqual(team_target.team_id, self.team_sh)
        self.assertEqual(team_target.child_ids.create_uid, self.east_manager)
        with self.assertRaises(AccessError):
            west_plan.with_user(self.east_manager).action_allocate()
        with self.assertRaises(AccessError):
            self._wizard(east_plan, user=self.rep_a)

    def test_xlsx_round_trip(self):
        wizard = self._wizard(cascade=True, team_children_method="equal")
        wizard.action_preview()
        content = allocation_xlsx.export_preview(wizard)
        book = openpyxl.load_workbook(io.BytesIO(content))
        sheet = book["Allocation"]
        header = [cell.value for cell in sheet[4]]
        self.assertEqual(header[0], "Key")
        self.assertEqual(header[6], "Amount")
        rows = {row[0].value: row for row in sheet.iter_rows(min_row=5)}
        self.assertEqual(len(rows), len(wizard.line_ids))
        east_key = f"/region,{self.east.id}"
        self.assertEqual(rows[east_key][6].value, 800_000.0)
        self.assertEqual(rows[east_key][3].value, 4000.0)  # last year, an input

        def upload(edit):
            book = openpyxl.load_workbook(io.BytesIO(content))
            sheet = book["Allocation"]
            edit(sheet, {row[0].value: row for row in sheet.iter_rows(min_row=5)})
            out = io.BytesIO()
            book.save(out)
            wizard.xlsx_file = base64.b64encode(out.getvalue())
            wizard.action_import_xlsx()

        before = {line.id: line.amount for line in wizard.line_ids}

        def bad(sheet, rows):
            rows[east_key][6].value = "lots"
            rows[f"/region,{self.west.id}"][6].value = -5
            sheet.append(["/region,999999", "", "Nowhere", 0, 0, 0, 10])

        with self.assertRaises(UserError) as caught:
            upload(bad)
        message = str(caught.exception)
        self.assertIn("Nothing was imported", message)
        self.assertRegex(
            message, r"Row \d+ \(Testland / East\): the amount is not a number"
        )
        self.assertRegex(
            message, r"Row \d+ \(Testland / West\): the amount is negative"
        )
        self.assertRegex(message, r"Row \d+: unknown child “/region,999999”")
        self.assertEqual({line.id: line.amount for line in wizard.line_ids}, before)

        def mismatch(sheet, rows):
            rows[east_key][6].value = 700_000

        with self.assertRaisesRegex(UserError, "add up to"):
            upload(mismatch)
        self.assertEqual({line.id: line.amount for line in wizard.line_ids}, before)

        def good(sheet, rows):
            # East 700k down its tree, West 300k
            for key, row in rows.items():
                if key.startswith(east_key):
                    row[6].value = 700_000
                elif key.startswith(f"/region,{self.west.id}"):
                    row[6].value = 300_000
            members = [k for k in rows if k.startswith(east_key) and k.count("/") == 4]
            for key in members:
                rows[key][6].value = 350_000

        upload(good)
        self.assertEqual(
            self._amounts(wizard),
            {"Testland / East": 700_000.0, "Testland / West": 300_000.0},
        )
        wizard.action_confirm()
        self.assertEqual(
            sorted(self.plan.child_ids.mapped("amount")), [300_000.0, 700_000.0]
        )
