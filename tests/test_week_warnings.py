import io

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged

from .common import TargetCase

MONDAY = "2026-12-07 09:00:00"  # before that week's check has run


@tagged("post_install", "-at_install")
class TestWeekWarnings(TargetCase):
    """On the demo: the war room's warnings of the week and the November
    review's count what the lists they open show, for the week they name."""

    def setUp(self):
        super().setUp()
        self.demo = self.env.ref(
            "sale_regional_target.demo_company", raise_if_not_found=False
        )
        if not self.demo:
            self.skipTest("installed without demo data")
        Users = self.env["res.users"].with_context(active_test=False)
        self.director = Users.search([("login", "=", "director")])
        self.zhao = Users.search([("login", "=", "east_manager")])
        self.east = self.env.ref("sale_regional_target.region_east")

    def _war_room(self, user, **kwargs):
        with freeze_time(MONDAY):
            return self.rpc(user, "sale.target.war.room", "get_data", **kwargs)[
                "warnings"
            ]

    def _check_lists(self, user, warnings):
        """Each count is the length of the list it opens, as ``user``."""
        for name, domain in warnings["domains"].items():
            self.assertEqual(
                self.rpc(user, "sale.target.warning", "search_count", domain),
                warnings[name],
                f"{user.login}: {name}",
            )

    def test_company_week_of_30_november(self):
        warnings = self._war_room(self.director)
        # the last week checked, named: Monday's check has not run yet
        self.assertEqual(warnings["week"], "2026-11-30")
        self._check_lists(self.director, warnings)
        # the week's check raised the pace, floor and silence warnings of the
        # salespeople's confirmed targets; under the weekly rate (nothing due is
        # no lag) no key-action warning climbed or ended that week
        self.assertEqual(
            (warnings["raised"], warnings["escalated"], warnings["resolved"]),
            (16, 0, 0),
        )
        # the Lag Warnings list (its default filter: not resolved) shows the
        # open and the acknowledged ones, the two rows of the panel
        for state in ("open", "acknowledged"):
            self.assertEqual(
                warnings[state],
                self.rpc(
                    self.director,
                    "sale.target.warning",
                    "search_count",
                    [("state", "=", state), ("company_id", "=", self.demo.id)],
                ),
            )
        # those needing action first
        states = [item["state"] for item in warnings["plans"]]
        self.assertEqual(states[0], "open")
        self.assertEqual(states, sorted(states, key=lambda s: s != "open"))

    def test_east_china(self):
        target = self.env.ref("sale_regional_target.target_east")
        warnings = self._war_room(self.zhao, target_id=target.id)
        self.assertEqual(warnings["week"], "2026-11-30")
        self._check_lists(self.zhao, warnings)
        self.assertEqual((warnings["open"], warnings["acknowledged"]), (7, 1))
        self.assertEqual((warnings["escalated"], warnings["resolved"]), (0, 0))
        # what Zhao Min's Lag Warnings list shows, open and acknowledged
        for state, count in (("open", 7), ("acknowledged", 1)):
            self.assertEqual(
                self.rpc(
                    self.zhao,
                    "sale.target.warning",
                    "search_count",
                    [("state", "=", state), ("in_my_scope", "=", True)],
                ),
                count,
            )
        self.assertEqual(
            [item["state"] for item in warnings["plans"]],
            ["open", "open", "open", "open", "open", "acknowledged"],
        )

    def test_november_review_counts_and_sheet(self):
        review = self.env["sale.target.review"].search(
            [
                ("company_id", "=", self.demo.id),
                ("level", "=", "region"),
                ("region_id", "=", self.east.id),
                ("date_from", "=", "2026-11-01"),
            ]
        )
        self.assertEqual(len(review), 1)
        as_zhao = review.with_user(self.zhao).with_context(
            allowed_company_ids=self.zhao.company_ids.ids
        )
        with freeze_time(MONDAY):
            section = as_zhao._report_data()["warnings"]
            # the weeks of November (the last one's check raised East China's
            # eight), none escalated or resolved
            self.assertEqual(
                (section["raised"], section["escalated"], section["resolved"]),
                (8, 0, 0),
            )
            same = as_zhao.env["sale.target.warning.week"]._week_counts(
                as_zhao, review.date_from, review.date_to
            )
            for name in ("raised", "escalated", "resolved"):
                self.assertEqual(section[name], same[name])
            self.assertEqual(len(section["warnings"]), 8)
            raised = as_zhao.env["sale.target.warning"].search(
                same["domains"]["raised"]
            )
            self.assertEqual(len(raised), 8)
            self.assertEqual(
                set(raised.user_id.mapped("login")),
                {"liuyang", "laowang", "xiaoli", "chenjie"},
            )
            data = as_zhao._xlsx()
        sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[-2]
        names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
        # every warning of the month, not only the plans acknowledged in it
        self.assertEqual(len(names), 8)
