from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import TargetCase

AS_OF = date(2030, 6, 30)


@tagged("post_install", "-at_install")
class TestLifecycle(TargetCase):
    """Classification at the rules' edges, and the review by salesperson and
    manager. Orders are dated around 30 June 2030 (the classification day):
    quarters are 1 Apr-30 Jun (q1), 31 Dec-31 Mar (q2) and 1 Oct-30 Dec (q3)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Pump", "type": "service", "taxes_id": [Command.clear()]}
        )
        cls.Lifecycle = cls.env["sale.customer.lifecycle"]
        orders = {
            # name: (salesperson, [(day, amount)])
            "Incubating": (cls.rep_a, [(date(2030, 1, 30), 500)]),
            "Six Months Ago": (cls.rep_a, [(date(2029, 12, 30), 500)]),
            "Quiet Five Months": (
                cls.rep_a,
                [(date(2029, 1, 10), 300), (date(2030, 1, 1), 300)],
            ),
            "Growing": (
                cls.rep_b,
                [
                    (date(2029, 11, 15), 1000),
                    (date(2030, 2, 15), 1160),
                    (date(2030, 5, 15), 1340),
                ],
            ),
            "Growing Exactly 15": (
                cls.rep_b,
                [
                    (date(2029, 11, 15), 1000),
                    (date(2030, 2, 15), 1150),
                    (date(2030, 5, 15), 1400),
                ],
            ),
            "Falling": (
                cls.rep_b,
                [
                    (date(2029, 11, 15), 1000),
                    (date(2030, 2, 15), 900),
                    (date(2030, 5, 15), 790),
                ],
            ),
            "Falling Exactly 20": (
                cls.rep_b,
                [
                    (date(2029, 11, 15), 1000),
                    (date(2030, 2, 15), 900),
                    (date(2030, 5, 15), 800),
                ],
            ),
        }
        cls.customers = {}
        for name, (user, rows) in orders.items():
            partner = cls.env["res.partner"].create(
                {"name": name, "is_company": True, "user_id": user.id}
            )
            cls.customers[name] = partner
            for day, amount in rows:
                cls._order(
                    partner,
                    user,
                    amount,
                    datetime.combine(day, datetime.min.time().replace(hour=12)),
                )
        # a contact of "Growing" orders too: it counts for its company
        contact = cls.env["res.partner"].create(
            {"name": "Buyer at Growing", "parent_id": cls.customers["Growing"].id}
        )
        cls._order(contact, cls.rep_b, 0.0, datetime(2030, 5, 16, 12))
        cls.never = cls.env["res.partner"].create(
            {"name": "Never Ordered", "is_company": True, "user_id": cls.rep_a.id}
        )
        cls.Lifecycle._sync_customers()
        cls.lifecycles = cls.Lifecycle.search([("company_id", "=", cls.company.id)])
        cls.lifecycles._classify(AS_OF)

    @classmethod
    def _order(cls, partner, user, amount, when):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": user.id,
                "company_id": cls.company.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "price_unit": amount,
                            "tax_id": False,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = when
        return order

    def _lc(self, name):
        return self.lifecycles.filtered(
            lambda lc: lc.partner_id == self.customers[name]
        )

    # ------------------------------------------------------------------
    def test_rules_at_their_edges(self):
        expected = {
            "Incubating": ("incubating", "new_no_repurchase"),
            # 6 months since the only order: no longer incubating, and dormant
            "Six Months Ago": ("declining", "dormant"),
            # 5 months 29 days without an order: not yet dormant
            "Quiet Five Months": ("stable", "regular"),
            "Growing": ("growing", "growing"),
            # +15.0% in the quarter before is not "more than 15%"
            "Growing Exactly 15": ("stable", "regular"),
            "Falling": ("declining", "falling"),
            # -20.0% over two quarters is not "more than 20%"
            "Falling Exactly 20": ("stable", "regular"),
        }
        got = {
            name: (self._lc(name).suggested_stage, self._lc(name).suggested_reason)
            for name in expected
        }
        self.assertEqual(got, expected)
        # one lifecycle per commercial partner that ordered; none without orders
        self.assertEqual(len(self.lifecycles), 7)
        self.assertFalse(self.Lifecycle.search([("partner_id", "=", self.never.id)]))

    def test_figures_behind_the_suggestion(self):
        growing = self._lc("Growing")
        self.assertEqual(growing.order_count, 4)  # the contact's order included
        self.assertEqual(growing.first_order_date, date(2029, 11, 15))
        self.assertEqual(growing.last_order_date, date(2030, 5, 16))
        self.assertEqual(
            (
                growing.revenue_last_3_months,
                growing.revenue_months_4_6,
                growing.revenue_months_7_9,
            ),
            (1340.0, 1160.0, 1000.0),
        )
        self.assertEqual(growing.revenue_12m, 3500.0)
        self.assertAlmostEqual(growing.growth_last_3_months, 15.52, places=2)
        self.assertAlmostEqual(growing.growth_months_4_6, 16.0, places=2)
        self.assertAlmostEqual(growing.change_over_6_months, 34.0, places=2)
        self.assertEqual(growing.classified_on, AS_OF)
        self.assertEqual(growing.user_id, self.rep_b)
        self.assertEqual(growing.team_id, self.team_w)

    def test_thresholds_come_from_settings(self):
        settings = self.env["res.config.settings"].create(
            {"sale_target_lifecycle_growth_rate": 16.0}
        )
        settings.execute()
        self.lifecycles._classify(AS_OF)
        # 15.5% in the last quarter is no longer enough
        self.assertEqual(self._lc("Growing").suggested_stage, "stable")
        with self.assertRaisesRegex(Exception, "between 0% and 100%"):
            self.env["res.config.settings"].create(
                {"sale_target_lifecycle_decline_rate": 100.0}
            )

    def test_classification_queries_do_not_grow_with_customers(self):
        one = self.lifecycles[:1]
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        one._classify(AS_OF)
        for_one = self.env.cr.sql_log_count - before
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.lifecycles._classify(AS_OF)
        self.assertEqual(self.env.cr.sql_log_count - before, for_one)

    def test_scheduled_classification_in_batches_with_progress(self):
        cron = self.env.ref("sale_regional_target.ir_cron_lifecycle_classification")
        self.Lifecycle._cron_classify()  # whatever else is in the database
        new = self.env["res.partner"].create({"name": "Late Buyer", "is_company": True})
        self._order(new, self.rep_a, 100, datetime(2030, 1, 2, 12))
        self.lifecycles.write({"classified_on": False})
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": cron.id, "remaining": 0, "done": 0}
        )
        Lifecycle = self.Lifecycle.with_context(ir_cron_progress_id=progress.id)
        self.assertEqual(Lifecycle._cron_classify(batch_size=5), 5)
        self.assertEqual((progress.done, progress.remaining), (5, 3))
        self.assertEqual(Lifecycle._cron_classify(batch_size=5), 3)
        self.assertEqual((progress.done, progress.remaining), (3, 0))
        late = self.Lifecycle.search([("partner_id", "=", new.id)])
        self.assertEqual(late.user_id, self.env["res.users"])
        self.assertTrue(late.classified_on)
        self.assertEqual(Lifecycle._cron_classify(batch_size=5), 0)

    # ------------------------------------------------------------------
    def test_salesperson_proposes_manager_confirms(self):
        growing = self._lc("Growing")
        mine = self.Lifecycle.with_user(self.rep_b).search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(
            set(mine.partner_id.mapped("name")),
            {"Growing", "Growing Exactly 15", "Falling", "Falling Exactly 20"},
        )
        # the salesperson proposes from the lifecycle's Propose Stage button
        action = growing.with_user(self.rep_b).action_propose_stage()
        Proposal = self.env[action["res_model"]].with_user(self.rep_b)
        with Form(Proposal.with_context(**action["context"])) as form:
            form.stage = "stable"
            form.note = "Budget frozen until next year"
        form.record.action_apply()
        self.assertEqual(growing.review_state, "proposed")
        self.assertEqual(growing.stage, False)
        # the partner shows it to the salesperson
        partner = self.customers["Growing"].with_user(self.rep_b)
        self.assertEqual(partner.lifecycle_proposed_stage, "stable")
        self.assertEqual(partner.lifecycle_suggested_stage, "growing")
        # a salesperson cannot confirm, nor set the stage
        with self.assertRaises(AccessError):
            growing.with_user(self.rep_b).action_confirm_stage()
        with self.assertRaises(AccessError):
            growing.with_user(self.rep_b).write({"stage": "growing"})
        with self.assertRaises(AccessError):
            growing.with_user(self.rep_b).action_override_stage()
        # the manager confirms the proposal
        growing.with_user(self.hq).action_confirm_stage()
        self.assertEqual(growing.stage, "stable")
        self.assertEqual(growing.review_state, "confirmed")
        self.assertEqual(growing.reviewed_by_id, self.hq)
        self.assertFalse(growing.proposed_stage)
        self.assertIn("proposal", growing.message_ids[0].body)
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking messages are written at commit time
        tracked = growing.message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "stage"
        )
        self.assertEqual(tracked.new_value_char, "Stable")
        self.assertEqual(self.customers["Growing"].lifecycle_stage, "stable")

    def test_manager_confirms_suggestions_in_bulk_and_overrides_with_reason(self):
        team_w = self.lifecycles.filtered(lambda lc: lc.team_id == self.team_w)
        team_w.with_user(self.hq).action_confirm_stage()
        self.assertEqual(
            sorted(team_w.mapped("stage")), ["declining", "growing", "stable", "stable"]
        )
        falling = self._lc("Falling")
        action = falling.with_user(self.hq).action_override_stage()
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.hq)
            .with_context(**action["context"])
        )
        wizard_form.stage = "stable"
        with self.assertRaises(AssertionError):  # the reason is required
            wizard_form.save()
        wizard_form.reason = "New plant opening, orders come back in Q3"
        wizard_form.save().action_apply()
        self.assertEqual(falling.stage, "stable")
        self.assertEqual(
            falling.review_note, "New plant opening, orders come back in Q3"
        )
        self.assertIn("New plant opening", falling.message_ids[0].body)
        # a year later the rules still say declining for it: the manager's
        # decision holds; but they change their mind on "Growing": back to review
        (falling | self._lc("Growing"))._classify(date(2031, 6, 30))
        self.assertEqual(falling.suggested_stage, "declining")
        self.assertEqual(falling.review_state, "confirmed")
        growing = self._lc("Growing")
        self.assertEqual(
            (growing.suggested_stage, growing.suggested_reason),
            ("declining", "dormant"),
        )
        self.assertEqual(growing.review_state, "to_review")
        self.assertEqual(growing.stage, "growing")

    def test_classify_now_is_for_managers(self):
        incubating = self._lc("Incubating")
        incubating.sudo().write({"suggested_stage": False, "classified_on": False})
        with self.assertRaises(AccessError):
            incubating.with_user(self.rep_a).action_classify()
        incubating.with_user(self.leader).action_classify()
        # classified as of today: its only order (2030) is still to come
        self.assertTrue(incubating.classified_on)
        self.assertEqual(incubating.suggested_reason, "never_ordered")

    def test_nothing_to_confirm(self):
        lc = self._lc("Incubating")
        lc.sudo().write({"suggested_stage": False})
        with self.assertRaisesRegex(UserError, "Nothing to confirm for Incubating"):
            lc.with_user(self.hq).action_confirm_stage()

    def test_other_teams_stages_are_hidden(self):
        growing = self._lc("Growing")
        growing.action_confirm_stage()
        # rep A (team SH) reads the partner but not its stage
        partner = self.customers["Growing"].with_user(self.rep_a)
        self.assertEqual(partner.name, "Growing")
        self.assertFalse(partner.lifecycle_id)
        self.assertFalse(partner.lifecycle_stage)
        self.assertFalse(
            self.Lifecycle.with_user(self.rep_a).search([("id", "=", growing.id)])
        )
        with self.assertRaises(AccessError):
            growing.with_user(self.rep_a).read(["stage"])
        # nor can the partner be found by stage
        self.assertFalse(
            self.env["res.partner"]
            .with_user(self.rep_a)
            .search([("lifecycle_stage", "=", "growing")])
        )
        # the SH leader sees team SH only; the East manager too (Shanghai is in East)
        for manager in (self.leader, self.east_manager):
            seen = self.Lifecycle.with_user(manager).search(
                [("company_id", "=", self.company.id)]
            )
            self.assertEqual(seen.team_id, self.team_sh, manager.name)
            self.assertEqual(len(seen), 3, manager.name)
        # rep B finds the growing customer and its contact by stage
        self.assertEqual(
            self.env["res.partner"]
            .with_user(self.rep_b)
            .search([("lifecycle_stage", "=", "growing")])
            .sorted("name")
            .mapped("name"),
            ["Buyer at Growing", "Growing"],
        )

    def test_salesperson_change_moves_the_lifecycle(self):
        growing = self._lc("Growing")
        self.customers["Growing"].user_id = self.rep_a
        self.assertEqual(growing.user_id, self.rep_a)
        self.assertEqual(growing.team_id, self.team_sh)
        self.assertTrue(
            self.Lifecycle.with_user(self.rep_a).search([("id", "=", growing.id)])
        )
