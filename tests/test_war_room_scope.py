from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import file_open

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
