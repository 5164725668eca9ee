from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The seed's case is in the demo database, with history behind it."""

    def setUp(self):
        super().setUp()
        self.company = self.env.ref(
            "sale_regional_target.demo_company", raise_if_not_found=False
        )
        if not self.company:
            self.skipTest("installed without demo data")

    def test_seed_case(self):
        ref = self.env.ref
        hq = ref("sale_regional_target.target_hq")
        east = ref("sale_regional_target.target_east")
        self.assertEqual(self.company.currency_id, ref("base.CNY"))
        self.assertEqual(
            (hq.metric, hq.amount, hq.state), ("collected", 1.35e9, "confirmed")
        )
        self.assertEqual((east.amount, east.parent_id), (420e6, hq))
        self.assertEqual(hq.children_gap, 0.0)
        self.assertEqual(len(hq.child_ids), 6)
        region = ref("sale_regional_target.region_east")
        teams = self.env["crm.team"].search([("region_id", "child_of", region.id)])
        self.assertEqual(len(teams.member_ids - teams.user_id - region.manager_id), 9)
        self.assertEqual(len(teams.member_ids), 12)
        last_year = ref("sale_regional_target.target_hq_last_year")
        self.assertEqual((last_year.amount, last_year.state), (900e6, "closed"))

    def test_history(self):
        orders = self.env["sale.order"].search(
            [("company_id", "=", self.company.id), ("state", "=", "sale")]
        )
        years = {o.date_order.year for o in orders}
        self.assertEqual(len(years), 3, years)
        invoices = self.env["account.move"].search(
            [
                ("company_id", "=", self.company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
            ]
        )
        self.assertGreater(len(invoices), len(orders) * 0.8)
        states = set(invoices.mapped("payment_state"))
        self.assertTrue(
            {"paid", "partial", "not_paid"} <= states | {"in_payment"}, states
        )
        # Xiao Li only has this year's customers; Lao Wang buys every quarter.
        xiao_li = self.env.ref("sale_regional_target.user_xiao_li")
        self.assertEqual(
            {o.date_order.year for o in orders if o.user_id == xiao_li}, {max(years)}
        )
        # Customers were placed in regions by their province.
        partners = orders.partner_id
        self.assertFalse(partners.filtered(lambda p: not p.region_id))

    def test_actuals_filled(self):
        east = self.env.ref("sale_regional_target.target_east")
        last_year = self.env.ref("sale_regional_target.target_east_last_year")
        self.assertTrue(east.actuals_date)
        self.assertGreater(east.achieved_amount, 0.0)
        self.assertGreater(last_year.achieved_amount, 0.0)
        self.assertTrue(east.pace_status)
        # The region's figure is the sum of its teams' (all its teams have targets).
        teams = east.child_ids
        self.assertAlmostEqual(
            east.achieved_amount, sum(teams.mapped("achieved_amount")), places=2
        )

    def test_next_year_allocated_two_ways(self):
        ref = self.env.ref
        by_history = ref("sale_regional_target.target_hq_next_history")
        by_potential = ref("sale_regional_target.target_hq_next_potential")
        west = ref("sale_regional_target.region_west")
        shares = {}
        for plan, method in ((by_history, "history"), (by_potential, "potential")):
            self.assertEqual(plan.allocation_method, method)
            self.assertEqual(plan.allocation_version, 1)
            self.assertEqual(len(plan.child_ids), 6)
            self.assertEqual(sum(plan.child_ids.mapped("amount")), plan.amount)
            for child in plan.child_ids:
                self.assertEqual(child.amount % 10_000, 0.0, child.display_name)
                self.assertEqual(len(child.line_ids), 12)
                self.assertAlmostEqual(
                    sum(child.line_ids.mapped("amount")), child.amount, places=2
                )
            # written in the company's language (Chinese where it is installed)
            lang = plan.company_id.partner_id.lang or "en_US"
            said = self.env(context={"lang": lang})._(
                "Allocated by %(method)s, rounded to %(unit)s"
            )
            prefix = said.split("%(method)s")[0]
            summary = plan.message_ids.filtered(lambda m: prefix in m.body)
            self.assertTrue(summary)
            shares[method] = {
                c.region_id: c.amount / plan.amount for c in plan.child_ids
            }
        # The west grows fast from a small base: potential gives it more than
        # its history does, and the two plans differ.
        self.assertGreater(shares["potential"][west], shares["history"][west])
        self.assertNotEqual(shares["potential"], shares["history"])

    def test_lifecycle_and_action_plans(self):
        lifecycles = self.env["sale.customer.lifecycle"].search(
            [("company_id", "=", self.company.id)]
        )
        suggested = set(lifecycles.mapped("suggested_stage"))
        self.assertEqual(suggested, {"incubating", "growing", "stable", "declining"})
        states = set(lifecycles.mapped("review_state"))
        self.assertEqual(states, {"to_review", "proposed", "confirmed"})
        packs = self.env["sale.action.pack"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(
            sorted(packs.mapped("stage")),
            ["declining", "growing", "incubating", "stable"],
        )
        self.assertEqual({len(pack.line_ids) for pack in packs}, {3})
        self.assertTrue(all(packs.line_ids.activity_type_id.mapped("keep_done")))
        # every confirmed customer with a salesperson has its pack planned
        confirmed = lifecycles.filtered(lambda lc: lc.stage and lc.user_id)
        self.assertTrue(confirmed)
        Activity = self.env["mail.activity"]
        open_lines = Activity._read_group(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", confirmed.partner_id.ids),
                ("action_pack_line_id", "!=", False),
            ],
            ["res_id"],
            ["__count"],
        )
        self.assertEqual(len(open_lines), len(confirmed.partner_id))
        self.assertEqual({count for _p, count in open_lines}, {3})
        # some weeks of work behind them: done actions and stored rates
        done = Activity.with_context(active_test=False).search_count(
            [("action_pack_line_id", "!=", False), ("active", "=", False)]
        )
        self.assertGreater(done, 0)
        rates = self.env["sale.action.completion"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertGreaterEqual(len(set(rates.mapped("week_start"))), 4)
        self.assertTrue(any(0 < r.rate < 100 for r in rates))

    def test_last_months_reviews(self):
        """East China's manager finds last month's review of the region, written
        up, with the Shanghai team's improvement plan among the next actions."""
        ref = self.env.ref
        manager = ref("sale_regional_target.user_east_manager")
        reviews = (
            self.env["sale.target.review"]
            .with_user(manager)
            .search([("company_id", "=", self.company.id), ("period", "=", "month")])
        )
        east = reviews.filtered(lambda r: r.level == "region")
        self.assertEqual(east.region_id, ref("sale_regional_target.region_east"))
        self.assertIn("江浙", east.conclusions)
        self.assertEqual(east.state, "draft")
        self.assertTrue(east.target_ids)
        self.assertTrue(east.action_ids.warning_id, "the acknowledged plan pulled in")
        self.assertGreater(len(reviews.filtered(lambda r: r.level == "team")), 1)
