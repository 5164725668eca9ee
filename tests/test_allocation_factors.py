"""A region without its own potential factor values borrows its nearest
ancestor's (same factor, same year), and the allocation line says so; with no
ancestor holding one, the split is refused in words as before."""

from datetime import date

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import TargetCase

WIZARD = "sale.target.allocation.wizard"
LINE = "sale.target.allocation.line"


class AllocateOverRpc:
    """The allocation wizard driven over RPC, the way its form does."""

    def _preview(self, user, target, **vals):
        action = self.rpc(user, "sale.target", "action_allocate", target.ids)
        wizard_id = action["res_id"]
        self.rpc(user, WIZARD, "write", [wizard_id], vals)
        self.rpc(user, WIZARD, "action_preview", [wizard_id])
        return {
            line["name"]: line
            for line in self.rpc(
                user,
                LINE,
                "search_read",
                [("wizard_id", "=", wizard_id)],
                ["name", "amount", "potential_score", "explanation", "depth"],
            )
        }


@tagged("post_install", "-at_install")
class TestFactorFallback(AllocateOverRpc, TargetCase):
    """East has values for 2030, Shanghai (under it) none; West has its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Factor = cls.env["sale.region.factor"]
        cls.capacity = Factor.create({"name": "Capacity", "weight": 3})
        cls.growth = Factor.create({"name": "Growth", "weight": 1})
        cls.env["sale.region.factor.value"].create(
            [
                {"region_id": r.id, "factor_id": f.id, "year": 2030, "value": v}
                for r, f, v in (
                    (cls.east, cls.capacity, 100),
                    (cls.east, cls.growth, 2),
                    (cls.west, cls.capacity, 50),
                    (cls.west, cls.growth, 4),
                )
            ]
        )
        # customers in Shanghai: two of rep A's, one of the leader's
        cls.env["res.partner"].create(
            [
                {
                    "name": f"Shanghai Buyer {i}",
                    "is_company": True,
                    "user_id": user.id,
                    "region_id": cls.shanghai.id,
                }
                for i, user in enumerate((cls.rep_a, cls.rep_a, cls.leader))
            ]
        )

    def test_12_leader_allocates_by_potential_with_the_parents_values(self):
        lines = self._preview(
            self.leader, self.t_team_sh, method="potential", rounding_unit="1"
        )
        self.assertEqual(lines["Rep A"]["amount"], 400.0)
        self.assertEqual(lines["SH Leader"]["amount"], 200.0)
        for name in ("Rep A", "SH Leader"):
            self.assertGreater(lines[name]["potential_score"], 0.0)
            self.assertIn(
                "Capacity, Growth of Shanghai borrowed from East",
                lines[name]["explanation"],
            )

    def test_12_leader_allocates_by_blend_with_the_note(self):
        lines = self._preview(
            self.leader,
            self.t_team_sh,
            method="blend",
            blend_history_weight=50,
            rounding_unit="1",
        )
        self.assertEqual(sum(line["amount"] for line in lines.values()), 600.0)
        self.assertIn(
            "Capacity, Growth of Shanghai borrowed from East",
            lines["Rep A"]["explanation"],
        )

    def test_12_sub_region_line_borrows_from_its_region(self):
        # East's manager splits East among its teams: Team SH, in Shanghai
        lines = self._preview(
            self.east_manager, self.t_east, method="potential", rounding_unit="1"
        )
        self.assertEqual(lines["Team SH"]["amount"], 600.0)
        self.assertIn(
            "Capacity, Growth of Shanghai borrowed from East",
            lines["Team SH"]["explanation"],
        )
        # and next year's plan of East among its sub-regions: Shanghai
        plan = self._east_plan()
        lines = self._preview(
            self.east_manager, plan, method="potential", rounding_unit="1"
        )
        shanghai = lines["Testland / East / Shanghai"]
        self.assertEqual(shanghai["amount"], 600.0)
        self.assertIn(
            "Capacity, Growth of Shanghai borrowed from East", shanghai["explanation"]
        )
        # the regions' own values: no note
        lines = self._preview(
            self.hq, self.t_company, method="potential", rounding_unit="1"
        )
        self.assertIn("Capacity", lines["Testland / East"]["explanation"])
        self.assertNotIn("borrowed", lines["Testland / East"]["explanation"])

    def _east_plan(self):
        return self._target(
            region_id=self.east.id,
            amount=600.0,
            date_from=date(2031, 1, 1),
            date_to=date(2031, 12, 31),
        )

    def test_12_nearest_ancestor_wins_and_own_values_stay(self):
        # the country holds Growth too: Shanghai takes East's, the nearer
        self.env["sale.region.factor.value"].create(
            {
                "region_id": self.country.id,
                "factor_id": self.growth.id,
                "year": 2030,
                "value": 99,
            }
        )
        # Shanghai's own Capacity is kept; only Growth is borrowed
        self.env["sale.region.factor.value"].create(
            {
                "region_id": self.shanghai.id,
                "factor_id": self.capacity.id,
                "year": 2030,
                "value": 10,
            }
        )
        lines = self._preview(self.east_manager, self._east_plan(), method="potential")
        note = lines["Testland / East / Shanghai"]["explanation"]
        self.assertIn("Growth of Shanghai borrowed from East", note)
        self.assertNotIn("Capacity", note.split("Growth of")[1])
        self.assertNotIn("Testland;", note)

    def test_12_no_ancestor_holds_it_still_refused(self):
        outlets = self.env["sale.region.factor"].create(
            {"name": "Outlets", "weight": 1}
        )
        self.env["sale.region.factor.value"].create(
            {
                "region_id": self.east.id,
                "factor_id": outlets.id,
                "year": 2030,
                "value": 7,
            }
        )
        with self.assertRaisesRegex(
            UserError, "no value of Outlets for Testland / West"
        ):
            self._preview(self.hq, self.t_company, method="potential")
        # Shanghai borrows East's: the leader goes through
        lines = self._preview(self.leader, self.t_team_sh, method="potential")
        self.assertIn(
            "Capacity, Growth, Outlets of Shanghai borrowed from East",
            lines["Rep A"]["explanation"],
        )

    def test_12_values_read_in_one_query_whatever_the_regions(self):
        Value = self.env["sale.region.factor.value"]
        Region = self.env["sale.region"]
        factors = self.capacity | self.growth

        def queries(regions):
            self.env.invalidate_all()
            regions.mapped("parent_path")
            before = self.env.cr.sql_log_count
            Value._inherited_values(regions, factors, 2030)
            return self.env.cr.sql_log_count - before

        one = queries(self.shanghai)
        many = Region.create(
            [
                {"name": f"District {i}", "code": f"T-E-SH-{i}", "parent_id": p.id}
                for i, p in enumerate([self.shanghai] * 5 + [self.west] * 5)
            ]
        )
        self.env.flush_all()
        self.assertEqual(queries(self.shanghai | many), one)


@tagged("post_install", "-at_install")
class TestDemoLeaderAllocates(AllocateOverRpc, TransactionCase):
    """On the demo: Chen Jie, leader of Shanghai Key Accounts, splits his
    team's target by potential and by blend."""

    rpc = TargetCase.rpc

    def setUp(self):
        super().setUp()
        if not self.env.ref(
            "sale_regional_target.demo_company", raise_if_not_found=False
        ):
            self.skipTest("installed without demo data")

    def test_12_demo_leader_previews_by_potential_and_blend(self):
        ref = self.env.ref
        chen_jie = ref("sale_regional_target.user_chen_jie")
        target = ref("sale_regional_target.target_team_shanghai")
        for vals in ({"method": "potential"}, {"method": "blend"}):
            lines = self._preview(chen_jie, target, **vals)
            self.assertEqual(
                set(lines), set(target.team_id.member_ids.mapped("name")), vals
            )
            self.assertAlmostEqual(
                sum(line["amount"] for line in lines.values()), target.amount, 2
            )
            self.assertTrue(
                any(line["potential_score"] > 0 for line in lines.values()), vals
            )

    def test_12_demo_fills_the_factors_of_every_region_its_teams_cover(self):
        company = self.env.ref("sale_regional_target.demo_company")
        teams = self.env["crm.team"].search([("company_id", "=", company.id)])
        factors = self.env["sale.region.factor"].search(
            [("company_id", "=", company.id)]
        )
        year = (
            self.env["sale.region.factor.value"]
            .search([("company_id", "=", company.id)], order="year desc", limit=1)
            .year
        )
        values = self.env["sale.region.factor.value"].search(
            [("company_id", "=", company.id), ("year", "=", year)]
        )
        have = {(v.region_id, v.factor_id) for v in values}
        for region in teams.region_id:
            for factor in factors:
                self.assertIn((region, factor), have, (region.name, factor.name))
