from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .common import TargetCase

# 6 December: 340 days of the year are past, the "93 %" of the demo
TODAY = "2030-12-06 10:00:00"
SHARE = 340 / 365


@tagged("post_install", "-at_install")
class TestAllocationNextYear(TargetCase):
    """Next year's plan, split in December of this year.

    Revenue (confirmed orders): this year (2030, to 6 December) rep A 3,400
    (East), rep B 1,700 (West) and the team leader 1,000 (his first sales);
    last year (2029) rep A 1,000.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "UTC"
        product = cls.env["product.product"].create(
            {"name": "Machine", "type": "service", "taxes_id": [Command.clear()]}
        )
        customer = cls.env["res.partner"].create(
            {"name": "Buyer Co", "is_company": True}
        )
        for user, team, price, when in (
            (cls.rep_a, cls.team_sh, 3400, datetime(2030, 3, 10)),
            (cls.rep_b, cls.team_w, 1700, datetime(2030, 5, 10)),
            (cls.leader, cls.team_sh, 1000, datetime(2030, 7, 10)),
            (cls.rep_a, cls.team_sh, 1000, datetime(2029, 3, 10)),
        ):
            order = cls.env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "user_id": user.id,
                    "team_id": team.id,
                    "company_id": cls.company.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "price_unit": price})
                    ],
                }
            )
            order.action_confirm()
            order.date_order = when
        cls.plan = cls._target(
            amount=1_000_000.0, date_from=date(2031, 1, 1), date_to=date(2031, 12, 31)
        )
        Factor = cls.env["sale.region.factor"]
        capacity = Factor.create({"name": "Capacity", "weight": 3})
        growth = Factor.create(
            {"name": "Growth", "weight": 1, "normalisation": "minmax"}
        )
        cls.env["sale.region.factor.value"].create(
            [
                {"region_id": r.id, "factor_id": f.id, "year": 2030, "value": v}
                for r, f, v in (
                    (cls.east, capacity, 100),
                    (cls.west, capacity, 50),
                    (cls.east, growth, 1),
                    (cls.west, growth, 3),
                )
            ]
        )

    def _preview(self, user, target, **settings):
        action = self.rpc(user, "sale.target", "action_allocate", [target.id])
        wizard_id = action["res_id"]
        if settings:
            self.rpc(
                user, "sale.target.allocation.wizard", "write", [wizard_id], settings
            )
        self.rpc(user, "sale.target.allocation.wizard", "action_preview", [wizard_id])
        return self.env["sale.target.allocation.wizard"].browse(wizard_id)

    def _lines(self, wizard):
        return {line.name: line for line in wizard.line_ids}

    @freeze_time(TODAY)
    def test_this_year_to_date_is_scaled_to_a_full_year(self):
        wizard = self._preview(self.hq, self.plan, method="history")
        lines = self._lines(wizard)
        east, west = lines["Testland / East"], lines["Testland / West"]
        # East: rep A's 3,400 and the leader's 1,000
        self.assertAlmostEqual(east.last_year_amount, 4400 / SHARE, places=2)
        self.assertAlmostEqual(west.last_year_amount, 1700 / SHARE, places=2)
        # the change against last year is against a full year at this pace
        self.assertAlmostEqual(
            east.change_rate,
            100.0 * (east.amount - 4400 / SHARE) / (4400 / SHARE),
            places=1,
        )
        self.assertIn("last year is not over: 93% of it", east.explanation)
        self.assertIn("is not over", wizard.warning)
        self.assertIn("(93% of it)", wizard.warning)

    @freeze_time(TODAY)
    def test_no_growth_cap_reads_none(self):
        action = self.rpc(self.hq, "sale.target", "action_allocate", [self.plan.id])
        wizard = self.env["sale.target.allocation.wizard"].browse(action["res_id"])
        self.assertFalse(wizard.growth_cap_on)
        arch = self.env["sale.target.allocation.wizard"].get_views([(False, "form")])[
            "views"
        ]["form"]["arch"]
        self.assertIn('invisible="growth_cap_on">none</span>', arch)
        with Form(wizard.with_user(self.hq)) as form:
            form.growth_cap_on = True
            form.growth_cap = 20.0
        self.assertEqual(wizard.growth_cap, 20.0)
        with Form(wizard.with_user(self.hq)) as form:
            form.growth_cap_on = False
        self.assertEqual((wizard.growth_cap, wizard.growth_cap_on), (0.0, False))
        self.rpc(
            self.hq,
            "sale.target.allocation.wizard",
            "write",
            [wizard.id],
            {"method": "equal"},
        )
        self.rpc(
            self.hq, "sale.target.allocation.wizard", "action_preview", [wizard.id]
        )
        self.rpc(
            self.hq, "sale.target.allocation.wizard", "action_confirm", [wizard.id]
        )
        summary = self.plan.message_ids.filtered(lambda m: "Allocated by" in m.body)
        self.assertIn("growth cap: none", summary.body)

    @freeze_time(TODAY)
    def test_uneven_split_says_what_to_do(self):
        action = self.rpc(self.hq, "sale.target", "action_allocate", [self.plan.id])
        wizard = self.env["sale.target.allocation.wizard"].browse(action["res_id"])
        self.rpc(
            self.hq,
            "sale.target.allocation.wizard",
            "write",
            [wizard.id],
            {"method": "manual"},
        )
        typed = {"Testland / East": 950_000.0, "Testland / West": 50_000.0}
        for line in wizard.line_ids:
            self.rpc(
                self.hq,
                "sale.target.allocation.line",
                "write",
                [line.id],
                {"manual_value": typed[line.name]},
            )
        self.rpc(
            self.hq, "sale.target.allocation.wizard", "action_preview", [wizard.id]
        )
        self.assertIn("uneven", wizard.fairness_label)
        advice = wizard.fairness_advice
        self.assertIn("Far above their potential: Testland / East (×", advice)
        self.assertIn("Far below their potential: Testland / West (×", advice)
        self.assertIn("compare with the potential or blend method", advice)
        # with a comparison, it says which is more even
        self.rpc(
            self.hq,
            "sale.target.allocation.wizard",
            "write",
            [wizard.id],
            {"compare_method": "potential"},
        )
        self.rpc(
            self.hq, "sale.target.allocation.wizard", "action_preview", [wizard.id]
        )
        self.assertIn(
            "The compared method (Potential) is more even", wizard.fairness_advice
        )

    @freeze_time(TODAY)
    def test_newcomer_selling_this_year_is_no_newcomer_without_history(self):
        # the leader sells since July; rep A sold 1,000 last year
        self.leader.sale_target_start_date = date(2030, 6, 1)
        wizard = self._preview(
            self.east_manager,
            self.t_team_sh,
            method="history",
            rounding_unit="1",
            ramp_up=True,
        )
        lines = self._lines(wizard)
        leader, rep = lines["SH Leader"], lines["Rep A"]
        self.assertTrue(leader.basis_this_year)
        # his 1,000 at this year's pace (1,073.53) against rep A's 1,000
        self.assertEqual((leader.amount, rep.amount), (311.0, 289.0))
        self.assertEqual(leader.ramp_rate, 100.0)
        self.assertIn("no history:", leader.explanation)
        self.assertNotIn("sold nothing last year", wizard.warning or "")


@tagged("post_install", "-at_install")
class TestAllocationNextYearDemo(TargetCase):
    """On the demo, in December: next year's plan by history and the Shanghai
    team's split with its new hire."""

    def setUp(self):
        super().setUp()
        ref = self.env.ref
        self.plan = ref("sale_regional_target.target_hq_next_history", False)
        if not self.plan:
            self.skipTest("installed without demo data")
        self.director = self.env["res.users"].search([("login", "=", "director")])

    def _preview(self, user, target, **settings):
        action = self.rpc(user, "sale.target", "action_allocate", [target.id])
        wizard_id = action["res_id"]
        if settings:
            self.rpc(
                user, "sale.target.allocation.wizard", "write", [wizard_id], settings
            )
        self.rpc(user, "sale.target.allocation.wizard", "action_preview", [wizard_id])
        return self.env["sale.target.allocation.wizard"].browse(wizard_id)

    def test_next_year_by_history_annualises_this_year(self):
        today = date.today()
        if self.plan.date_from.year != today.year + 1 or today >= date(
            today.year, 12, 31
        ):
            self.skipTest("the demo's next year is not next year any more")
        wizard = self._preview(self.director, self.plan, method="history")
        self.assertIn("is not over", wizard.warning)
        line = wizard.line_ids[:1]
        self.assertIn("last year is not over", line.explanation)
        self.assertFalse(wizard.growth_cap_on)

    def test_new_hire_gets_her_share_from_this_year(self):
        team_target = self.env.ref("sale_regional_target.target_team_shanghai")
        xiao_li = self.env.ref("sale_regional_target.user_xiao_li")
        chen = self.env.ref("sale_regional_target.user_chen_jie")
        wizard = self._preview(chen, team_target, method="history")
        line = wizard.line_ids.filtered(lambda ln: ln.user_id == xiao_li)
        self.assertTrue(line.basis_this_year)
        self.assertGreater(line.amount, 0.0)
        self.assertNotIn("Xiao Li", wizard.warning or "")
