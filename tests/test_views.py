from datetime import date

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import TargetCase


@tagged("post_install", "-at_install")
class TestViews(TargetCase):
    def test_all_views_load(self):
        for model, types in (
            (
                "sale.target",
                ["list", "form", "kanban", "pivot", "graph", "hierarchy", "search"],
            ),
            ("sale.region", ["list", "form", "hierarchy", "search"]),
            ("sale.target.line", ["list", "pivot"]),
        ):
            views = (
                self.env[model]
                .with_user(self.rep_a)
                .get_views([(False, view_type) for view_type in types])
            )
            self.assertEqual(sorted(views["views"]), sorted(types), model)

    def test_target_form_as_hq(self):
        with Form(self.env["sale.target"].with_user(self.hq)) as form:
            form.metric = "collected"
            form.date_from = date(2031, 1, 1)
            form.date_to = date(2031, 6, 30)
            form.amount = 6000.0
            form.floor_amount = 5000.0
            form.stretch_amount = 7000.0
        target = form.record
        self.assertEqual(target.level, "company")
        self.assertEqual(
            target.name, f"2031-01..2031-06 Collections · {self.company.name}"
        )
        self.assertEqual(len(target.line_ids), 6)
        self.assertAlmostEqual(target.phasing_total, 6000.0, places=2)

    def test_team_target_form_as_manager(self):
        # a second team in Shanghai (Team SH has its target under East already)
        team_pd = self.env["crm.team"].create(
            {
                "name": "Team PD",
                "company_id": self.company.id,
                "region_id": self.shanghai.id,
            }
        )
        action = self.t_east.with_user(self.east_manager).action_view_children()
        Target = self.env["sale.target"].with_user(self.east_manager)
        with Form(Target.with_context(**action["context"])) as form:
            self.assertEqual(form.parent_id, self.t_east)
            form.team_id = team_pd
            self.assertEqual(form.region_id, self.shanghai)
            self.assertEqual(form.level, "team")
            form.amount = 120.0
        self.assertEqual(form.record.parent_id, self.t_east)
        self.assertEqual(self.t_east.child_count, 2)

    def test_form_shows_gap(self):
        with Form(self.t_company.with_user(self.hq)) as form:
            self.assertEqual(form.children_gap, 0.0)
            form.amount = 1200.0
            self.assertEqual(form.children_gap, 200.0)

    def test_confirmed_form_needs_reason(self):
        self.t_west.action_confirm()
        form = Form(self.t_west.with_user(self.hq))
        form.amount = 450.0
        with self.assertRaisesRegex(UserError, "give a reason"):
            form.save()
        form.change_reason = "Distributor lost"
        form.save()
        self.assertEqual(self.t_west.amount, 450.0)

    def test_salesperson_form_is_readonly(self):
        form = Form(self.t_rep_a.with_user(self.rep_a))
        self.assertEqual(form.amount, 300.0)
        # No workflow button for a salesperson (groups-restricted in the view).
        arch = (
            self.env["sale.target"].with_user(self.rep_a).get_views([(False, "form")])
        )
        self.assertNotIn("action_confirm", arch["views"]["form"]["arch"])

    def test_region_form(self):
        with Form(self.env["sale.region"].with_user(self.hq)) as form:
            form.name = "North"
            form.code = "T-N"
            form.parent_id = self.country
            form.region_type = "emerging"
            form.manager_id = self.east_manager
            form.zip_prefixes = "100, 101"
        region = form.record
        self.assertEqual(region.complete_name, "Testland / North")
        self.assertIn(
            region,
            self.env["sale.region"].search(
                [("manager_user_ids", "in", self.east_manager.id)]
            ),
        )

    def test_team_form_region(self):
        with Form(self.team_w.with_user(self.hq)) as form:
            form.region_id = self.east
        self.assertEqual(self.team_w.region_id, self.east)
