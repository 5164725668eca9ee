from datetime import date, datetime, time, timedelta
from itertools import pairwise

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.addons.sale_regional_target.models import forecast_data
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoForecast(TransactionCase):
    """The demo's CRM history, open pipeline and receivables give the forecast
    something to calibrate, forecast and measure."""

    def setUp(self):
        super().setUp()
        self.company = self.env.ref(
            "sale_regional_target.demo_company", raise_if_not_found=False
        )
        if not self.company:
            self.skipTest("installed without demo data")
        self.today = fields.Date.context_today(self.env.user)
        self.Lead = self.env["crm.lead"].with_context(active_test=False)
        self.teams = self.env["crm.team"].search([("company_id", "=", self.company.id)])

    def _closed(self, since=None):
        """Won and lost opportunities of the demo company closed since
        ``since`` (two years ago by default)."""
        since = since or self.today - relativedelta(years=2)
        closed = self.Lead.search(
            [
                ("company_id", "=", self.company.id),
                ("type", "=", "opportunity"),
                ("date_closed", ">=", datetime.combine(since, time.min)),
            ]
        )
        won = closed.filtered(lambda lead: lead.active and lead.stage_id.is_won)
        lost = closed.filtered(lambda lead: not lead.active)
        return won, lost

    def _open(self):
        return self.Lead.search(
            [
                ("company_id", "=", self.company.id),
                ("type", "=", "opportunity"),
                ("active", "=", True),
                ("stage_id.is_won", "=", False),
            ]
        )

    def test_won_and_lost_per_team(self):
        won, lost = self._closed()
        year_won, year_lost = self._closed(self.today - timedelta(days=364))
        self.assertGreaterEqual(len(self.teams), 8)
        for team in self.teams:
            team_won = won.filtered(lambda lead, team=team: lead.team_id == team)
            team_lost = lost.filtered(lambda lead, team=team: lead.team_id == team)
            self.assertGreaterEqual(len(team_won), 3, team.name)
            self.assertGreaterEqual(len(team_lost), 2, team.name)
            # calibrated win rate: won over closed, over the two years
            rate = len(team_won) / (len(team_won) + len(team_lost))
            self.assertTrue(0.25 <= rate <= 0.75, (team.name, rate))
            # and in the last 12 months alone, which the forecast learns from
            self.assertTrue(
                year_won.filtered(lambda lead, team=team: lead.team_id == team)
                and year_lost.filtered(lambda lead, team=team: lead.team_id == team),
                team.name,
            )
        # lost ones: archived, at 0 %, closed after they were created
        self.assertEqual(set(lost.mapped("probability")), {0.0})
        self.assertTrue(all(lead.lost_reason_id for lead in lost))
        for lead in won | lost:
            self.assertLess(lead.create_date, lead.date_closed, lead.name)
        cycles = {(lead.date_closed - lead.create_date).days for lead in won}
        self.assertGreaterEqual(min(cycles), 19)
        self.assertLessEqual(max(cycles), 90)

    def test_won_opportunities_are_the_orders(self):
        won, _lost = self._closed()
        orders = self.env["sale.order"].search(
            [
                ("company_id", "=", self.company.id),
                ("state", "=", "sale"),
                (
                    "date_order",
                    ">=",
                    datetime.combine(self.today - relativedelta(years=2), time.min),
                ),
                ("opportunity_id", "!=", False),
            ]
        )
        self.assertEqual(orders.opportunity_id, won)
        self.assertEqual(len(orders), len(won))
        history = self.env["sale.order"].search_count(
            [
                ("company_id", "=", self.company.id),
                ("state", "=", "sale"),
                (
                    "date_order",
                    ">=",
                    datetime.combine(self.today - relativedelta(years=2), time.min),
                ),
            ]
        )
        self.assertTrue(0.3 <= len(orders) / history <= 0.5, (len(orders), history))
        for order in orders:
            lead = order.opportunity_id
            self.assertEqual(lead.partner_id, order.partner_id)
            self.assertEqual(lead.user_id, order.user_id)
            self.assertEqual(lead.team_id, order.team_id)
            self.assertEqual(lead.date_closed, order.date_order)
            self.assertAlmostEqual(
                lead.expected_revenue, order.amount_untaxed, places=2
            )
            self.assertEqual(lead.probability, 100.0)

    def test_stage_history_in_the_chatter(self):
        won, lost = self._closed()
        closed = won | lost
        fields_ids = self.env["ir.model.fields"]._get_ids("crm.lead")
        trackings = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "crm.lead"),
                    ("mail_message_id.res_id", "in", closed.ids),
                ]
            )
        )
        stage = trackings.filtered(lambda t: t.field_id.id == fields_ids["stage_id"])
        revenue = trackings.filtered(
            lambda t: t.field_id.id == fields_ids["expected_revenue"]
        )
        by_lead = {}
        for tracking in stage:
            by_lead.setdefault(tracking.mail_message_id.res_id, []).append(tracking)
        # every closed opportunity went through stages, each change dated
        # within its life, from one stage to another
        self.assertEqual(set(by_lead), set(closed.ids))
        for lead in closed:
            changes = sorted(
                by_lead[lead.id], key=lambda t: (t.mail_message_id.date, t.id)
            )
            for tracking in changes:
                message = tracking.mail_message_id
                self.assertEqual(message.message_type, "notification")
                self.assertGreater(message.date, lead.create_date, lead.name)
                self.assertLessEqual(message.date, lead.date_closed, lead.name)
                self.assertNotEqual(
                    tracking.old_value_integer, tracking.new_value_integer
                )
                self.assertTrue(tracking.old_value_char and tracking.new_value_char)
            # one path: each change starts where the previous one ended, and
            # the last one ends in the stage it closed in
            for before, after in pairwise(changes):
                self.assertEqual(before.new_value_integer, after.old_value_integer)
            self.assertEqual(changes[-1].new_value_integer, lead.stage_id.id)
            self.assertLess(changes[0].mail_message_id.date, lead.date_closed)
        # won ones went through two stages at least before the won one
        self.assertTrue(all(len(by_lead[lead.id]) >= 2 for lead in won))
        # some estimates were revised on the way, to the amount they closed at
        self.assertGreater(len(revenue), len(closed) // 5)
        for tracking in revenue:
            lead = closed.browse(tracking.mail_message_id.res_id)
            self.assertAlmostEqual(
                tracking.new_value_float, lead.expected_revenue, places=2
            )
            self.assertNotEqual(tracking.old_value_float, tracking.new_value_float)
            self.assertEqual(tracking.currency_id, self.company.currency_id)
            self.assertLess(tracking.mail_message_id.date, lead.date_closed)

    def test_lao_wang_tender(self):
        lao_wang = self.env.ref("sale_regional_target.user_lao_wang")
        year = self.today.year + 1 if self.today.month >= 6 else self.today.year
        tenders = self._open().filtered(
            lambda lead: lead.user_id == lao_wang and "二季度招标" in lead.name
        )
        self.assertEqual(len(tenders), 1)
        deadline = tenders.date_deadline
        self.assertEqual(deadline.year, year)
        self.assertIn(deadline.month, (4, 5, 6))
        self.assertGreater(tenders.expected_revenue, 0.0)
        # he won the same customer's Q2 tenders before
        won, _lost = self._closed()
        past = won.filtered(
            lambda lead: lead.user_id == lao_wang and "二季度招标" in lead.name
        )
        self.assertGreaterEqual(len(past), 2)
        self.assertEqual(past.partner_id, tenders.partner_id)
        self.assertEqual({lead.date_closed.month for lead in past} - {4, 5, 6}, set())
        self.assertTrue(all(lead.order_ids for lead in past))

    def test_open_pipeline(self):
        opportunities = self._open()
        reps = self.teams.member_ids
        self.assertEqual(opportunities.user_id, reps)
        per_rep = {
            user: len(
                opportunities.filtered(lambda lead, user=user: lead.user_id == user)
            )
            for user in reps
        }
        self.assertEqual(set(per_rep.values()) - {1, 2, 3}, set())
        self.assertGreater(len(opportunities.stage_id), 1)
        self.assertFalse(opportunities.stage_id.filtered("is_won"))
        self.assertTrue(all(lead.expected_revenue > 0 for lead in opportunities))
        ahead = opportunities.filtered(
            lambda lead: (
                lead.date_deadline
                and self.today <= lead.date_deadline <= self.today + timedelta(days=90)
            )
        )
        late = opportunities.filtered(
            lambda lead: lead.date_deadline and lead.date_deadline < self.today
        )
        undated = opportunities.filtered(lambda lead: not lead.date_deadline)
        self.assertGreater(len(ahead), len(opportunities) / 2)
        self.assertTrue(late)
        self.assertTrue(undated)
        # created some weeks ago, each with its move to the stage it is in
        fields_ids = self.env["ir.model.fields"]._get_ids("crm.lead")
        for lead in opportunities:
            age = (self.today - lead.create_date.date()).days
            self.assertTrue(7 <= age <= 60, (lead.name, age))
            messages = (
                self.env["mail.message"]
                .sudo()
                .search([("model", "=", "crm.lead"), ("res_id", "=", lead.id)])
            )
            stage = messages.sudo().tracking_value_ids.filtered(
                lambda t: t.field_id.id == fields_ids["stage_id"]
            )
            self.assertTrue(stage, lead.name)
            self.assertEqual(
                max(stage, key=lambda t: t.mail_message_id.date).new_value_integer,
                lead.stage_id.id,
            )
            self.assertTrue(
                all(lead.create_date < t.mail_message_id.date for t in stage)
            )
        # sized on the salesperson's year: a few percent to 15 % of it
        since = datetime.combine(self.today - timedelta(days=365), time.min)
        for lead in opportunities.filtered(lambda lead: "tender" not in lead.name):
            orders = self.env["sale.order"].search(
                [
                    ("user_id", "=", lead.user_id.id),
                    ("state", "=", "sale"),
                    ("date_order", ">=", since),
                ]
            )
            volume = sum(orders.mapped("amount_untaxed"))
            self.assertLessEqual(lead.expected_revenue, 0.16 * volume, lead.name)

    def test_prospects(self):
        opportunities = self._open()
        Order = self.env["sale.order"]
        prospects = opportunities.filtered(
            lambda lead: (
                not Order.search_count(
                    [
                        (
                            "partner_id",
                            "child_of",
                            lead.partner_id.commercial_partner_id.id,
                        )
                    ]
                )
            )
        )
        self.assertGreaterEqual(len(prospects), 3)
        for lead in prospects:
            self.assertTrue(lead.partner_id.is_company)
            self.assertEqual(lead.partner_id.company_id, self.company)
            self.assertEqual(lead.partner_id.user_id, lead.user_id)
        # the others are for customers of their salesperson
        self.assertGreater(len(opportunities - prospects), len(prospects))

    def test_late_payers_and_doubtful_receivables(self):
        Move = self.env["account.move"]
        invoices = Move.search(
            [
                ("company_id", "=", self.company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
            ]
        )
        # due 30 days after the invoice
        self.assertEqual(
            {(m.invoice_date_due - m.invoice_date).days for m in invoices}, {30}
        )
        open_ = invoices.filtered(lambda m: m.amount_residual > 0)
        doubtful = open_.filtered(
            lambda m: (self.today - m.invoice_date_due).days > 180
        )
        self.assertIn(len(doubtful), (1, 2))
        self.assertTrue(all(m.amount_residual > 0 for m in doubtful))
        # their customers pay late every time: 60 to 120 days after the due day
        late_payers = doubtful.commercial_partner_id
        paid = invoices.filtered(
            lambda m: (
                m.commercial_partner_id in late_payers
                and m.payment_state in ("paid", "in_payment")
            )
        )
        self.assertTrue(paid)
        for invoice in paid:
            last = max(
                (invoice.line_ids.matched_credit_ids).mapped("max_date"), default=None
            )
            self.assertTrue(last)
            self.assertTrue(
                60 <= (last - invoice.invoice_date_due).days <= 120,
                (invoice.name, last, invoice.invoice_date_due),
            )
        # and owe some more, overdue
        overdue = open_.filtered(
            lambda m: (
                m.commercial_partner_id in late_payers
                and m.invoice_date_due < self.today
                and m not in doubtful
            )
        )
        self.assertTrue(overdue)

    def test_targets_forecast(self):
        Target = self.env["sale.target"]
        confirmed = Target.search(
            [
                ("company_id", "=", self.company.id),
                ("state", "=", "confirmed"),
                ("date_to", ">", self.today),
            ]
        )
        self.assertIn("collected", confirmed.mapped("metric"))
        self.assertIn("revenue", confirmed.mapped("metric"))
        self.assertTrue(all(confirmed.mapped("forecast_date")))
        for target in confirmed:
            self.assertGreaterEqual(
                target.forecast_amount, target.achieved_amount, target.name
            )
            self.assertLessEqual(target.forecast_low, target.forecast_amount)
            self.assertGreaterEqual(target.forecast_high, target.forecast_amount)
        # the HQ revenue target counts the open opportunities expected this year
        revenue = self.env.ref("sale_regional_target.target_hq_revenue")
        self.assertEqual(revenue.state, "confirmed")
        self.assertGreater(revenue.forecast_pipeline, 0.0)
        # learnt from the two years of history the demo wrote, not from the empty
        # one its targets saw when they were confirmed
        fit = forecast_data.latest_fit(self.env, self.company)
        self.assertEqual(fit["years"], 2)
        self.assertGreater(revenue.forecast_run_rate, 0.0)
        self.assertEqual(revenue.forecast_confidence, "high")
        pipeline = confirmed.filtered(
            lambda t: t.metric in ("revenue", "collected") and t.forecast_pipeline > 0
        )
        self.assertTrue(pipeline)
        # collections: what customers owe, doubtful invoices left out
        hq = self.env.ref("sale_regional_target.target_hq")
        self.assertGreater(hq.forecast_committed, 0.0)
        self.assertGreater(hq.forecast_doubtful, 0.0)

    def test_forecast_accuracy_measured(self):
        records = self.env["sale.target.forecast.accuracy"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertTrue(records)
        self.assertEqual(
            set(records.mapped("metric")),
            {"collected", "revenue"},
        )
        for record in records:
            self.assertGreater(record.samples, 0)
            self.assertGreaterEqual(record.wape, 0.0)
            self.assertLess(record.date_from, record.date_to)
            self.assertLess(record.date_to, date(self.today.year, self.today.month, 1))
