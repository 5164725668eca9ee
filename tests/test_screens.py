"""The everyday screens: figures that mean one thing."""

import io
from datetime import datetime

import openpyxl
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from ..wizards import allocation_xlsx
from .common import TargetCase


@tagged("post_install", "-at_install")
class TestTotals(TargetCase):
    """Company 1,000; East 600 and West 400; Team SH 600 and Team W 400; Rep A 300
    and Rep B 400 (revenue, 2030)."""

    def _achieve(self, figures):
        self.env["sale.target"]._write_actuals(
            {target.id: value for target, value in figures.items()},
            fields.Datetime.now(),
        )

    def test_totals_never_add_unlike_things(self):
        self._achieve({self.t_east: 300.0, self.t_west: 100.0, self.t_company: 400.0})
        Target = self.env["sale.target"].with_user(self.hq)
        domain = [("company_id", "=", self.company.id)]
        measures = ["amount:sum", "achieved_amount:sum", "achievement_rate:avg"]
        [total] = Target.read_group(domain, measures, [])
        # the four levels count the same sales four times: no grand total
        for name in ("amount", "achieved_amount", "achievement_rate"):
            self.assertIs(total[name], False, name)
        groups = {
            (g["metric"], g["level"]): g
            for g in Target.read_group(
                domain, measures, ["metric", "level"], lazy=False
            )
        }
        self.assertEqual(
            {key: g["amount"] for key, g in groups.items()},
            {
                ("revenue", "company"): 1000.0,
                ("revenue", "region"): 1000.0,
                ("revenue", "team"): 1000.0,
                ("revenue", "user"): 700.0,
            },
        )
        regions = groups[("revenue", "region")]
        self.assertEqual(regions["achieved_amount"], 400.0)
        # achieved over target of the group (400 / 1,000), not the average of
        # East's 50% and West's 25%
        self.assertEqual(regions["achievement_rate"], 40.0)
        # a sub-region's target beside its region's: counted twice, no sum
        shanghai = self.env["sale.target"].create(
            {
                "metric": "revenue",
                "date_from": self.year_from,
                "date_to": self.year_to,
                "parent_id": self.t_east.id,
                "region_id": self.shanghai.id,
                "amount": 600.0,
            }
        )
        nested = Target.read_group(
            [*domain, ("level", "=", "region")], ["amount:sum"], ["metric"]
        )
        self.assertIs(nested[0]["amount"], False)
        shanghai.unlink()
        # a new-customers target among revenue ones: no sum for their level
        self.env["sale.target"].create(
            {
                "metric": "new_customers",
                "date_from": self.year_from,
                "date_to": self.year_to,
                "parent_id": False,
                "region_id": self.east.id,
                "amount": 12,
            }
        )
        by_level = {
            g["level"]: g for g in Target.read_group(domain, measures, ["level"])
        }
        self.assertIs(by_level["region"]["amount"], False)
        self.assertEqual(by_level["company"]["amount"], 1000.0)
        # the list grouped by level, as the web client asks for it
        listed = Target.web_read_group(domain, ["amount:sum"], ["level"])
        region_row = next(g for g in listed["groups"] if g["level"] == "region")
        self.assertIs(region_row["amount"], False)

    def test_grouped_totals_cost_the_same_for_any_number_of_groups(self):
        """The checks behind the totals are made in the grouped query and one
        more, not per group (a pivot by owner has thousands of groups)."""
        Target = self.env["sale.target"].with_user(self.hq)
        domain = [("company_id", "=", self.company.id)]
        measures = ["amount:sum", "achieved_amount:sum", "achievement_rate:avg"]

        def queries(groupby):
            Target.env.invalidate_all()
            before = self.env.cr.sql_log_count
            groups = Target.read_group(domain, measures, [groupby], lazy=False)
            return self.env.cr.sql_log_count - before, len(groups)

        Target.read_group(domain, measures, ["name"], lazy=False)  # warm caches
        few, few_groups = queries("metric")
        many, many_groups = queries("name")
        self.assertGreater(many_groups, few_groups + 3)
        self.assertEqual(many, few)

    def test_views_do_not_total_unlike_rows(self):
        Target = self.env["sale.target"].with_user(self.east_manager)
        views = Target.get_views([(False, "list"), (False, "pivot"), (False, "graph")])
        listed = etree.fromstring(views["views"]["list"]["arch"])
        for name in ("amount", "achieved_amount", "gap_amount"):
            [node] = listed.xpath(f"//field[@name='{name}']")
            self.assertFalse(node.get("sum"), f"{name} has a grand total")
        pivot = etree.fromstring(views["views"]["pivot"]["arch"])
        self.assertEqual(
            [node.get("name") for node in pivot.xpath("//field[@type='row']")],
            ["metric", "level"],
        )
        graph = etree.fromstring(views["views"]["graph"]["arch"])
        self.assertEqual(graph.get("stacked"), "0")
        self.assertEqual(
            graph.xpath("//field[@type='measure']/@name"), ["achievement_rate"]
        )
        completion = etree.fromstring(
            self.env["sale.action.completion"].get_view(view_type="graph")["arch"]
        )
        self.assertEqual(completion.get("stacked"), "0")

    def test_years_read_as_years(self):
        for model, view_type in (
            ("sale.target.allocation.wizard", "form"),
            ("sale.region.factor.value", "list"),
        ):
            arch = etree.fromstring(
                self.env[model].get_view(view_type=view_type)["arch"]
            )
            for node in arch.xpath("//field[@name='year' or @name='potential_year']"):
                self.assertIn("'enable_formatting': false", node.get("options", ""))

    def test_progress_bars_over_100_draw_full(self):
        arch = self.env["sale.target"].get_view(view_type="form")["arch"]
        form = etree.fromstring(arch)
        [rate] = form.xpath("//group//field[@name='achievement_rate']")
        self.assertIn("'overflow_class': 'bg-success'", rate.get("options"))
        [allocated] = form.xpath("//field[@name='allocated_rate']")
        self.assertIn("'overflow_class': 'bg-danger'", allocated.get("options"))
        listed = etree.fromstring(
            self.env["sale.target"].get_view(view_type="list")["arch"]
        )
        [rate] = listed.xpath("//field[@name='achievement_rate']")
        self.assertIn("bg-success", rate.get("options"))

    def test_figures_in_their_currency(self):
        count = self.env["sale.target"].create(
            {
                "metric": "new_customers",
                "date_from": self.year_from,
                "date_to": self.year_to,
                "user_id": self.rep_b.id,
                "amount": 5,
            }
        )
        self.assertEqual(self.t_rep_a.figure_currency_id, self.t_rep_a.currency_id)
        self.assertFalse(count.figure_currency_id)
        listed = etree.fromstring(
            self.env["sale.target"].get_view(view_type="list")["arch"]
        )
        for name in ("amount", "achieved_amount", "gap_amount"):
            [node] = listed.xpath(f"//field[@name='{name}']")
            self.assertIn("figure_currency_id", node.get("options"))

    def test_confirmation_shows_figures_at_once(self):
        self.company.partner_id.tz = "UTC"
        product = self.env["product.product"].create(
            {"name": "Drill", "type": "service", "taxes_id": [Command.clear()]}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "Buyer"}).id,
                "user_id": self.rep_a.id,
                "team_id": self.team_sh.id,
                "company_id": self.company.id,
                "order_line": [
                    Command.create({"product_id": product.id, "price_unit": 150.0})
                ],
            }
        )
        order.action_confirm()
        order.date_order = datetime(2030, 5, 5, 10)
        self.t_rep_a.with_user(self.leader).action_confirm()
        self.assertEqual(self.t_rep_a.achieved_amount, 150.0)
        self.assertEqual(self.t_rep_a.achievement_rate, 50.0)
        self.assertTrue(self.t_rep_a.actuals_date)


@tagged("post_install", "-at_install")
class TestWhereToStart(TargetCase):
    def test_targets_app_opens_where_each_role_starts(self):
        app = self.env.ref("sale_regional_target.menu_targets_app")
        self.assertTrue(app.web_icon)
        Menu = self.env["ir.ui.menu"]
        for user in (self.rep_a, self.leader, self.east_manager, self.hq):
            self.assertIn(app.id, Menu.with_user(user)._visible_menu_ids(), user.name)
        outsider = self._user("srt_outsider", "base.group_user", "Accountant")
        self.assertNotIn(app.id, Menu.with_user(outsider)._visible_menu_ids())
        home = self.env.ref("sale_regional_target.action_targets_home")
        for user in (self.east_manager, self.leader, self.hq):
            action = home.with_user(user).run()
            self.assertEqual(action["res_model"], "sale.target", user.name)
            self.assertEqual(
                action["context"],
                {"search_default_current_period": 1, "search_default_group_level": 1},
            )
        action = home.with_user(self.rep_a).run()
        self.assertEqual(action["res_model"], "mail.activity")
        self.assertEqual(
            action["id"],
            self.env.ref("sale_regional_target.mail_activity_action_plan").id,
        )
        # the Sales and CRM entries stay
        for xmlid in ("menu_sale_target", "menu_crm_sale_target_targets"):
            self.assertTrue(self.env.ref(f"sale_regional_target.{xmlid}").action)


@tagged("post_install", "-at_install")
class TestSettingsForHq(TargetCase):
    def test_hq_administrators_reach_the_settings(self):
        self.assertFalse(self.hq.has_group("base.group_system"))
        Settings = self.env["sale.target.settings"].with_user(self.hq)
        form = Settings.create({})
        # the form starts from what is stored
        self.assertEqual(form.sale_target_pace_ahead, 1.10)
        self.assertEqual(form.sale_target_weight_growing, 40.0)
        form.write(
            {
                "sale_target_pace_ahead": 1.25,
                "sale_target_allocation_unit": "10000",
                "sale_target_weight_declining": 0.0,
            }
        )
        form.action_save()
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("sale_regional_target.pace_ahead"), "1.25")
        self.assertEqual(
            params.get_param("sale_regional_target.allocation_unit"), "10000"
        )
        self.assertEqual(
            params.get_param("sale_regional_target.lifecycle_weight_declining"), "0.0"
        )
        self.assertEqual(Settings.create({}).sale_target_pace_ahead, 1.25)
        self.assertEqual(self.env["sale.target"]._pace_settings()[0]["ahead"], 1.25)
        # the same checks as Odoo's Settings
        with self.assertRaisesRegex(Exception, "0 < at risk < on track < ahead"):
            Settings.create({"sale_target_pace_on_track": 1.5})
        with self.assertRaisesRegex(Exception, "must be a number"):
            Settings.create({"sale_target_pace_ahead": float("nan")})
        # for HQ only
        for user in (self.east_manager, self.rep_a):
            with self.assertRaises(AccessError):
                self.env["sale.target.settings"].with_user(user).create({})
        # Odoo's Settings link to it
        arch = self.env["res.config.settings"].get_view(view_type="form")["arch"]
        action = self.env.ref("sale_regional_target.sale_target_settings_action")
        self.assertIn(f'name="{action.id}"', arch)


@tagged("post_install", "-at_install")
class TestGovernanceOnScreen(TargetCase):
    def test_close_comes_last_and_asks_first(self):
        form = etree.fromstring(
            self.env["sale.target"].get_view(view_type="form")["arch"]
        )
        buttons = form.xpath("//header/button/@name")
        self.assertEqual(buttons[0], "action_negotiate")
        self.assertEqual(buttons[-2:], ["action_close", "action_reset_draft"])
        for name in ("action_close", "action_reset_draft"):
            [button] = form.xpath(f"//header/button[@name='{name}']")
            self.assertTrue(button.get("confirm"))

    def test_each_change_asks_its_own_reason(self):
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.t_rep_b.action_confirm()
        self.t_rep_b.write({"amount": 420.0, "change_reason": "Bigger territory"})
        with Form(self.t_rep_b.with_user(self.hq)) as form:
            self.assertEqual(form.change_reason, "Bigger territory")
            form.amount = 430.0
            self.assertFalse(form.change_reason)
            form.change_reason = "One more account"
        self.assertEqual(self.t_rep_b.change_reason, "One more account")

    def test_allocation_tells_each_owner_what_changed(self):
        self.env.flush_all()
        self.env.cr.precommit.run()
        (self.t_east | self.t_west).action_confirm()
        action = self.t_company.with_user(self.hq).action_allocate()
        wizard = (
            self.env[action["res_model"]].browse(action["res_id"]).with_user(self.hq)
        )
        wizard.write({"method": "equal", "rounding_unit": "1", "reason": "New split"})
        wizard.action_preview()
        wizard.action_confirm()
        self.assertEqual((self.t_east.amount, self.t_west.amount), (500.0, 500.0))
        told = self.t_east.message_ids.filtered(
            lambda m: "changes this target" in (m.body or "")
        )
        self.assertEqual(len(told), 1)
        self.assertIn("600.00", told.body)
        self.assertIn("500.00", told.body)
        self.assertIn("New split", told.body)
        self.assertEqual(told.partner_ids, self.east_manager.partner_id)
        # West has no manager: nobody to tell, the message stays on the target
        told_west = self.t_west.message_ids.filtered(
            lambda m: "changes this target" in (m.body or "")
        )
        self.assertFalse(told_west.partner_ids)
        summary = self.t_company.message_ids.filtered(
            lambda m: "Allocated by" in (m.body or "")
        )
        self.assertIn("600.00", summary.body)  # the amount before


@tagged("post_install", "-at_install")
class TestActionBoard(TargetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        kind = cls.env["mail.activity.type"].create({"name": "Board Visit"})
        cls.env["sale.action.pack"].create(
            {
                "name": "Growing",
                "stage": "growing",
                "company_id": cls.company.id,
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
        cls.customer = cls.env["res.partner"].create(
            {"name": "Board Steel", "is_company": True, "user_id": cls.rep_a.id}
        )
        cls.lifecycle = cls.env["sale.customer.lifecycle"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "suggested_stage": "growing",
            }
        )
        cls.lifecycle._set_stage("growing", note=False)
        cls.visit = cls.env["mail.activity"].search(
            [("res_id", "=", cls.customer.id), ("action_pack_line_id", "!=", False)]
        )

    def _done_form(self, activity):
        action = activity.with_user(self.rep_a).action_done_with_outcome()
        self.assertEqual(action["res_model"], "sale.action.done")
        return (
            self.env["sale.action.done"]
            .with_user(self.rep_a)
            .with_context(**action["context"])
        )

    def test_done_asks_an_outcome_and_why_when_early(self):
        # due in a month: early
        self.assertGreater(self.visit.date_deadline, fields.Date.today())
        form = self._done_form(self.visit).create({"outcome": "Met them"})
        self.assertTrue(form.is_early)
        with self.assertRaisesRegex(UserError, "say why it is done now"):
            form.action_confirm()
        self.assertTrue(self.visit.active)
        # nor around the form, over RPC
        with self.assertRaisesRegex(UserError, "due in a later week"):
            self.visit.with_user(self.rep_a).action_done()
        form.early_reason = "The buyer travels next month"
        form.action_confirm()
        self.assertFalse(self.visit.active)
        note = self.customer.message_ids.filtered(
            lambda m: "The buyer travels next month" in (m.body or "")
        )
        self.assertIn("Met them", note.body)

    def test_done_within_its_week_needs_only_the_outcome(self):
        self.visit.sudo().date_deadline = fields.Date.today()
        form = self._done_form(self.visit).create({"outcome": "  "})
        self.assertFalse(form.is_early)
        with self.assertRaisesRegex(UserError, "what came of the action"):
            form.action_confirm()
        form.outcome = "Signed the renewal"
        form.action_confirm()
        self.assertFalse(self.visit.active)

    def test_a_card_opens_its_customer(self):
        action = self.visit.with_user(self.rep_a).action_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("res.partner", self.customer.id)
        )
        arch = etree.fromstring(
            self.env.ref(
                "sale_regional_target.mail_activity_view_kanban_action_plan"
            ).arch
        )
        self.assertEqual(
            (arch.get("action"), arch.get("type")), ("action_open_document", "object")
        )

    def test_my_completion_on_my_board(self):
        Completion = self.env["sale.action.completion"].with_user(self.rep_a)
        summary = Completion.get_my_summary()
        self.assertEqual(summary["this_week"], {"done": 0, "counted": 0, "rate": False})
        self.assertFalse(summary["trend"])
        self.visit.sudo().date_deadline = fields.Date.today()
        self.assertEqual(
            Completion.get_my_summary()["this_week"],
            {"done": 0, "counted": 1, "rate": 0},
        )
        self._done_form(self.visit).create({"outcome": "Done"}).action_confirm()
        self.assertEqual(
            Completion.get_my_summary()["this_week"],
            {"done": 1, "counted": 1, "rate": 100},
        )
        # someone else's actions are not mine
        self.assertEqual(
            self.env["sale.action.completion"]
            .with_user(self.rep_b)
            .get_my_summary()["this_week"]["counted"],
            0,
        )
        arch = self.env.ref(
            "sale_regional_target.mail_activity_view_kanban_action_plan"
        ).arch
        self.assertIn('js_class="sale_action_plan_kanban"', arch)


@tagged("post_install", "-at_install")
class TestCustomerBoard(TargetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        Lifecycle = cls.env["sale.customer.lifecycle"]
        cls.growing, cls.waiting, cls.other = (
            Lifecycle.create(
                {
                    "partner_id": Partner.create(
                        {"name": name, "is_company": True, "user_id": user.id}
                    ).id,
                    "company_id": cls.company.id,
                    "suggested_stage": "growing",
                }
            )
            for name, user in (
                ("Growing Co", cls.rep_a),
                ("Waiting Co", cls.rep_a),
                ("Other Co", cls.rep_b),
            )
        )

    def test_to_classify_first_and_empty_stages_folded(self):
        self.growing._set_stage("growing", note=False)
        self.assertEqual(self.waiting.board_column, "to_classify")
        Lifecycle = self.env["sale.customer.lifecycle"].with_user(self.rep_a)
        domain = [("company_id", "=", self.company.id), ("user_id", "=", self.rep_a.id)]
        groups = Lifecycle.web_read_group(domain, ["board_column"], ["board_column"])
        columns = {g["board_column"]: g for g in groups["groups"]}
        self.assertEqual(
            list(columns),
            ["to_classify", "incubating", "growing", "stable", "declining"],
        )
        self.assertEqual(
            {key: g["__fold"] for key, g in columns.items()},
            {
                "to_classify": False,
                "incubating": True,
                "growing": False,
                "stable": True,
                "declining": True,
            },
        )
        labels = dict(
            Lifecycle.fields_get(["board_column"])["board_column"]["selection"]
        )
        self.assertEqual(labels["to_classify"], "To Classify")
        arch = Lifecycle.get_view(view_type="kanban")["arch"]
        self.assertIn('default_group_by="board_column"', arch)

    def test_the_board_opens_on_customers_for_every_role(self):
        home = self.env.ref("sale_regional_target.action_customers_board")
        mine = home.with_user(self.rep_a).run()
        self.assertEqual(mine["context"], {"search_default_my_customers": 1})
        for manager in (self.hq, self.leader):
            action = home.with_user(manager).run()
            self.assertEqual(action["context"], {})
            self.assertTrue(
                self.env["sale.customer.lifecycle"]
                .with_user(manager)
                .search_count([("company_id", "=", self.company.id)]),
                manager.name,
            )
        # nobody creates a blank lifecycle from the board
        for user in (self.rep_a, self.east_manager, self.hq):
            self.assertFalse(
                self.env["sale.customer.lifecycle"].with_user(user).has_access("create")
            )

    def test_propose_stage_from_a_button(self):
        action = self.waiting.with_user(self.rep_a).action_propose_stage()
        Proposal = (
            self.env[action["res_model"]]
            .with_user(self.rep_a)
            .with_context(**action["context"])
        )
        proposal = Proposal.create({"stage": "stable", "note": "  "})
        self.assertEqual(proposal.lifecycle_id, self.waiting)
        with self.assertRaisesRegex(ValidationError, "Say why"):
            proposal.action_apply()
        proposal.note = "Orders flattened"
        proposal.action_apply()
        self.assertEqual(
            (self.waiting.proposed_stage, self.waiting.review_state),
            ("stable", "proposed"),
        )
        form = etree.fromstring(
            self.env["sale.customer.lifecycle"].get_view(view_type="form")["arch"]
        )
        [field] = form.xpath("//field[@name='proposed_stage']")
        self.assertEqual(field.get("readonly"), "1")
        self.assertTrue(form.xpath("//header/button[@name='action_propose_stage']"))

    def test_bulk_confirmation_says_what_it_applied(self):
        self.waiting.write({"proposed_stage": "stable"})
        result = (self.growing | self.waiting).with_user(self.hq).action_confirm_stage()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(
            result["params"]["message"],
            "Stages confirmed for 2 customers: Growing × 1, Stable × 1.",
        )


@tagged("post_install", "-at_install")
class TestAllocationWizardScreen(TargetCase):
    """East (600) holds Team SH's target already (600, a team of its sub-region
    Shanghai); rep A sold 1,000 in 2029, the team leader nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "UTC"
        product = cls.env["product.product"].create(
            {"name": "Press", "type": "service", "taxes_id": [Command.clear()]}
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "Old Buyer"}).id,
                "user_id": cls.rep_a.id,
                "team_id": cls.team_sh.id,
                "company_id": cls.company.id,
                "order_line": [
                    Command.create({"product_id": product.id, "price_unit": 1000.0})
                ],
            }
        )
        order.action_confirm()
        order.date_order = datetime(2029, 6, 1, 10)

    def _wizard(self, target, **vals):
        action = target.with_user(self.hq).action_allocate()
        self.assertEqual(action["context"]["dialog_size"], "extra-large")
        self.assertEqual(action["name"], f"Allocate {target.display_name}")
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        wizard = wizard.with_user(self.hq)
        wizard.write(dict({"rounding_unit": "1"}, **vals))
        return wizard

    def test_a_second_layer_is_told_not_added_silently(self):
        # East's target is split among teams already (Team SH, in its sub-region
        # Shanghai): the split starts on that layer and updates it
        wizard = self._wizard(self.t_east, method="equal")
        self.assertEqual(wizard.region_split, "teams")
        action = wizard.action_preview()
        self.assertEqual(action["name"], f"Allocate {self.t_east.display_name}")
        [line] = wizard.line_ids
        self.assertEqual((line.name, line.change_kind), ("Team SH", "same"))
        self.assertFalse(wizard.warning)
        # choosing the sub-regions instead would add a second layer: told
        wizard.region_split = "structure"
        self.assertEqual(wizard.state, "setup")
        wizard.action_preview()
        [line] = wizard.line_ids
        self.assertEqual(
            (line.name, line.change_kind), ("Testland / East / Shanghai", "create")
        )
        self.assertIn("2030 Revenue · Team SH", wizard.warning)
        self.assertIn("200%", wizard.warning)
        # a second team of the region, without a target yet, is in the team split
        second = self.env["crm.team"].create(
            {
                "name": "Team East Direct",
                "company_id": self.company.id,
                "region_id": self.east.id,
            }
        )
        wizard.region_split = "teams"
        wizard.action_preview()
        kinds = {line.name: line.change_kind for line in wizard.line_ids}
        self.assertEqual(kinds, {"Team SH": "update", second.name: "create"})
        wizard.action_confirm()
        self.assertEqual(
            set(self.t_east.child_ids.mapped("level")), {"team"}, "no second layer"
        )
        self.assertEqual(sum(self.t_east.child_ids.mapped("amount")), 600.0)

    def test_what_exists_changes_or_stays(self):
        wizard = self._wizard(self.t_company, method="manual")
        wizard.action_preview()
        kinds = {line.name: line.change_kind for line in wizard.line_ids}
        self.assertEqual(kinds, {"Testland / East": "same", "Testland / West": "same"})
        wizard.line_ids[0].manual_value = 550.0
        wizard.line_ids[1].manual_value = 450.0
        wizard.action_preview()
        self.assertEqual(set(wizard.line_ids.mapped("change_kind")), {"update"})
        self.assertFalse(wizard.warning)

    def test_cascade_reads_as_a_tree_with_subtotals(self):
        self.t_company.amount = 4000.0  # East gets 2,000 against 1,000 last year
        wizard = self._wizard(
            self.t_company,
            method="equal",
            cascade=True,
            region_children_method="equal",
            team_children_method="history",
        )
        wizard.action_preview()
        for line in wizard.line_ids:
            self.assertTrue(line.indented_name.endswith(line.name))
            self.assertEqual(len(line.indented_name) - len(line.name), 2 * line.depth)
            kids = wizard.line_ids.filtered(lambda ln, p=line: ln.parent_line_id == p)
            self.assertEqual(line.children_amount, sum(kids.mapped("amount")))
        team = wizard.line_ids.filtered(lambda ln: ln.name == "Team SH")
        self.assertEqual(team.children_amount, team.amount)
        # the team leader sold nothing last year: a newcomer? Ramp-up is offered
        self.assertRegex(wizard.warning, r"SH Leader.* sold nothing last year")
        # equal split against a history of 1,000: far beyond +-50%
        self.assertTrue(
            wizard.line_ids.filtered("big_change"), "large changes are flagged"
        )
        self.assertIn("Changes of more than 50%", wizard.warning)
        self.assertIn("0 = every child gets the same target", wizard.fairness_label)

    def test_spreadsheet_checks_each_parent(self):
        wizard = self._wizard(
            self.t_company,
            method="equal",
            compare_method="history",
            cascade=True,
            region_children_method="equal",
            team_children_method="equal",
        )
        wizard.action_preview()
        book = openpyxl.load_workbook(
            io.BytesIO(allocation_xlsx.export_preview(wizard))
        )
        sheet = book["Allocation"]
        self.assertIn("compared with History", sheet["A2"].value)
        # East's subtree takes rows 5 to 9 (Shanghai, Team SH, its two members)
        self.assertEqual(sheet["G3"].value.replace(" ", ""), "=SUM(G5,G10)")
        self.assertIn('"OK"', sheet["M3"].value)
        rows = {row[0].value: row for row in sheet.iter_rows(min_row=5) if row[0].value}
        east = rows[f"/region,{self.east.id}"]
        self.assertTrue(east[11].value.startswith("=SUM("))
        self.assertIn("IF(ROUND(", east[12].value)
        self.assertIsInstance(east[13].value, int | float)  # the compared amount
        self.assertEqual(east[15].value, "Testland / East")
        shanghai = rows[f"/region,{self.east.id}/region,{self.shanghai.id}"]
        self.assertEqual(
            shanghai[15].value, "Testland / East > Testland / East / Shanghai"
        )
        self.assertTrue(sheet.column_dimensions["P"].hidden)
        self.assertTrue(sheet.column_dimensions["A"].hidden)
