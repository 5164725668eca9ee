from datetime import date, datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged
from odoo.tools import file_open

from .test_first_day import FirstDayCase
from .test_war_room import TODAY, WarRoomCase


@tagged("post_install", "-at_install")
class TestFurthestBehind(WarRoomCase):
    """The gap behind pace: what was expected by now less what is achieved,
    from the unrounded time elapsed, the same in the war room and the review."""

    def test_the_gap_is_not_taken_from_a_rounded_rate(self):
        with freeze_time(TODAY):
            data = self.rpc(self.hq, "sale.target.war.room", "get_data", "revenue")
        gaps = {gap["id"]: gap for gap in data["gaps"]}
        # 15 June 2030: 166 of 365 days gone (45.479 %, stored 45.5 %); East
        # has 120 of 600
        self.assertEqual(self.t_east.expected_rate, 45.5)
        self.assertEqual(
            gaps[self.t_east.id]["behind_expected"], round(600 * 166 / 365 - 120, 2)
        )
        self.assertEqual(
            gaps[self.t_rep_b.id]["behind_expected"], round(400 * 166 / 365 - 50, 2)
        )

    def test_war_room_and_review_agree(self):
        with freeze_time(TODAY):
            data = self.rpc(self.hq, "sale.target.war.room", "get_data", "revenue")
            section = (
                self.env["sale.target.review"]
                .with_user(self.hq)
                ._target_section(
                    self.t_company,
                    (self.t_company.date_from, self.t_company.date_to),
                    fields.Date.to_date(TODAY[:10]),
                )
            )
        children = {child["id"]: child for child in section["children"]}
        compared = [gap for gap in data["gaps"] if gap["id"] in children]
        self.assertEqual(
            {gap["id"] for gap in compared}, {self.t_east.id, self.t_west.id}
        )
        for gap in compared:
            child = children[gap["id"]]
            for name in ("behind_expected", "achievement_rate", "expected_rate"):
                self.assertEqual(gap[name], child[name], name)


@tagged("post_install", "-at_install")
class TestFurthestBehindOnTheDemo(TransactionCase):
    """On the demo, as the director: each target the war room lists as
    furthest behind shows the figure the review prints for it under its
    parent."""

    def setUp(self):
        super().setUp()
        self.director = self.env.ref(
            "sale_regional_target.user_director", raise_if_not_found=False
        )
        if not self.director:
            self.skipTest("installed without demo data")

    def test_the_same_figure_as_the_review(self):
        hq = self.env.ref("sale_regional_target.target_hq")
        env = self.env(
            user=self.director,
            context={
                "lang": self.director.lang,
                "tz": self.director.tz,
                "allowed_company_ids": self.director.company_ids.ids,
            },
        )
        data = env["sale.target.war.room"].get_data("collected", hq.id)
        self.assertTrue(data["gaps"])
        today = fields.Date.context_today(env.user)
        Review = env["sale.target.review"]
        Target = env["sale.target"]
        for gap in data["gaps"]:
            parent = Target.browse(gap["id"]).parent_id
            section = Review._target_section(
                parent, (parent.date_from, parent.date_to), today
            )
            [child] = [c for c in section["children"] if c["id"] == gap["id"]]
            self.assertEqual(gap["behind_expected"], child["behind_expected"], gap)
            self.assertEqual(gap["expected_rate"], child["expected_rate"], gap)
            self.assertEqual(gap["achievement_rate"], child["achievement_rate"], gap)


@tagged("post_install", "-at_install")
class TestFurthestBehindPanel(TransactionCase):
    def test_the_panel_has_column_headers(self):
        """The furthest-behind table names each of its columns."""
        with file_open("sale_regional_target/static/src/war_room/war_room.xml") as f:
            tree = etree.fromstring(f.read().encode())
        [panel] = tree.xpath("//div[contains(@class, 'o_srt_war_gaps')]")
        headers = [
            " ".join(th.itertext()).strip() for th in panel.xpath(".//thead//th")
        ]
        self.assertEqual(len(headers), len(panel.xpath(".//tbody/tr/td")))
        self.assertTrue(all(headers), headers)


@tagged("post_install", "-at_install")
class TestSalespersonWithoutTarget(WarRoomCase):
    """Rep C joined team SH without a target: on 10 May they sold 30 to a
    customer of their own. Their war room is their team's, read-only, with
    their own part of it, their key actions and their customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep_c = cls._user("srt_rep_c", "sales_team.group_sale_salesman", "Rep C")
        cls.team_sh.member_ids |= cls.rep_c
        cls.own_customer = cls.env["res.partner"].create(
            {"name": "Rep C Buyer", "is_company": True, "user_id": cls.rep_c.id}
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.own_customer.id,
                "user_id": cls.rep_c.id,
                "team_id": cls.team_sh.id,
                "company_id": cls.company.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "price_unit": 30})
                ],
            }
        )
        order.action_confirm()
        order.date_order = datetime(2030, 5, 10, 10)
        cls.env["sale.customer.lifecycle"]._sync_customers()
        with freeze_time(TODAY):
            cls.tree._refresh_actuals()
        cls.env["sale.action.completion"].sudo().create(
            [
                {
                    "user_id": user.id,
                    "company_id": cls.company.id,
                    "week_start": date(2030, 6, 10),
                    "done_count": 1,
                    "base_count": 2,
                    "due_count": 2,
                }
                for user in (cls.rep_a, cls.rep_c)
            ]
        )

    def _data(self, user, **kwargs):
        with freeze_time(TODAY):
            return self.rpc(user, "sale.target.war.room", "get_data", **kwargs)

    def test_their_team_with_their_own_part(self):
        self.assertEqual(self.t_team_sh.achieved_amount, 150.0)
        data = self._data(self.rep_c)
        self.assertEqual(data["scope"]["id"], self.t_team_sh.id)
        self.assertEqual(data["scope"]["achieved"], 150.0)
        # their own sales, as the team target counts them: 30 of the 150
        contribution = data["contribution"]
        self.assertEqual(contribution["achieved"], 30.0)
        self.assertEqual(contribution["share"], 20.0)
        self.assertEqual(contribution["user"], "Rep C")
        # the team's progress against time, read-only: nobody's target but
        # the team's
        self.assertTrue(data["progress"])
        self.assertEqual(data["progress"]["achieved"][-1][1], 150.0)
        self.assertEqual(data["tiles"], [])
        self.assertNotIn(self.t_rep_a.id, [gap["id"] for gap in data["gaps"]])
        self.assertEqual(data["choices"], [])
        # their own key actions, not their colleague's
        self.assertEqual(
            [p["id"] for p in data["completion"]["people"]], [self.rep_c.id]
        )
        # their own customers, each count the length of the list it opens
        mix = data["mix"]
        self.assertIn(
            ("user_id", "=", self.rep_c.id), [tuple(c) for c in mix["domain"]]
        )
        for row in mix["stages"]:
            self.assertEqual(
                self.rpc(
                    self.rep_c, "sale.customer.lifecycle", "search_count", row["domain"]
                ),
                row["customers"],
            )
        customers = self.rpc(
            self.rep_c,
            "sale.customer.lifecycle",
            "search_read",
            mix["domain"],
            ["partner_id"],
        )
        self.assertEqual(
            {c["partner_id"][0] for c in customers}, {self.own_customer.id}
        )

    def test_nothing_to_write(self):
        with self.assertRaises(AccessError):
            self.rpc(
                self.rep_c, "sale.target", "write", [self.t_team_sh.id], {"amount": 1}
            )

    def test_with_a_confirmed_target_their_own(self):
        data = self._data(self.rep_a)
        self.assertEqual(data["scope"]["id"], self.t_rep_a.id)
        self.assertFalse(data["contribution"])
        self.assertEqual(data["scope"]["achieved"], 120.0)
        self.assertEqual(
            [p["id"] for p in data["completion"]["people"]], [self.rep_a.id]
        )
        # their team's by a link: their own part of it too
        team = self._data(self.rep_a, target_id=self.t_team_sh.id)
        self.assertEqual(
            team["contribution"],
            {"user": "Rep A", "achieved": 120.0, "share": 80.0, "no_own_target": False},
        )

    def test_no_team_target_either(self):
        self.t_team_sh.sudo().write({"state": "draft"})
        data = self._data(self.rep_c)
        self.assertFalse(data["scope"])
        self.assertFalse(data["contribution"])
        self.assertEqual(
            [p["id"] for p in data["completion"]["people"]], [self.rep_c.id]
        )


@tagged("post_install", "-at_install")
class TestSalespersonWarRoomTours(FirstDayCase):
    """A salesperson's war room in Chromium, in Chinese: Rep A sold 120 and the
    team leader 80 this year; Rep A's key visit of War Room Works (growing) is
    three days late. With Rep A's target confirmed, and left in draft."""

    def setUp(self):
        super().setUp()
        company = self._target(amount=1000.0, **self.period)
        east = self._target(
            company, region_id=self.east.id, amount=600.0, **self.period
        )
        team_sh = self._target(
            east, team_id=self.team_sh.id, amount=600.0, **self.period
        )
        self.rep_a_target = self._target(
            team_sh,
            team_id=self.team_sh.id,
            user_id=self.rep_a.id,
            amount=300.0,
            **self.period,
        )
        (company | east | team_sh).action_confirm()
        product = self.env["product.product"].create(
            {"name": "Valve", "type": "service", "taxes_id": [Command.clear()]}
        )
        buyer = self.env["res.partner"].create({"name": "Walk-in", "is_company": True})
        for user, price in ((self.rep_a, 120), (self.leader, 80)):
            self.env["sale.order"].create(
                {
                    "partner_id": buyer.id,
                    "user_id": user.id,
                    "team_id": self.team_sh.id,
                    "company_id": self.company.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "price_unit": price})
                    ],
                }
            ).action_confirm()
        lifecycle, line = self._planned_customer(
            "War Room Works", action="Visit the plant"
        )
        line.update_field_translations("name", {"zh_CN": "拜访工厂"})
        lifecycle._schedule_action_packs()
        visit = self.env["mail.activity"].search(
            [("action_pack_line_id", "=", line.id), ("action_key", "=", True)]
        )
        visit.date_deadline = fields.Date.context_today(visit) - timedelta(days=3)
        self.team_target = team_sh

    def _tour(self, name):
        (self.team_target | self.rep_a_target)._refresh_actuals()
        self.assertEqual(self.team_target.achieved_amount, 200.0)
        self._in("zh_CN", self.rep_a)
        self.start_tour(
            "/odoo/action-sale_regional_target.action_sale_target_war_room",
            name,
            login="srt_rep_a",
        )

    def test_without_a_confirmed_target_zh(self):
        self.assertEqual(self.rep_a_target.state, "draft")
        self._tour("sale_target_war_room_no_own_target")

    def test_with_a_confirmed_target_zh(self):
        self.rep_a_target.action_confirm()
        self._tour("sale_target_war_room_own_target")
