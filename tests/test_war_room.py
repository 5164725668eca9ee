from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.addons.sale_regional_target.tools import war_room
from odoo.exceptions import AccessError, UserError
from odoo.tests import BaseCase, tagged

from .common import TargetCase

TODAY = "2030-06-15 09:00:00"


@tagged("post_install", "-at_install")
class TestWindows(BaseCase):
    def test_each_period_within_the_target(self):
        day = date(2030, 5, 20)
        year = (date(2030, 1, 1), date(2030, 12, 31))
        self.assertEqual(
            war_room.window("month", day, *year), (date(2030, 5, 1), date(2030, 5, 31))
        )
        self.assertEqual(
            war_room.window("quarter", day, *year),
            (date(2030, 4, 1), date(2030, 6, 30)),
        )
        self.assertEqual(war_room.window("year", day, *year), year)
        self.assertEqual(war_room.window("target", day, *year), year)
        # a target starting mid-quarter: its own days only
        self.assertEqual(
            war_room.window("quarter", day, date(2030, 5, 10), date(2030, 12, 31)),
            (date(2030, 5, 10), date(2030, 6, 30)),
        )
        self.assertIsNone(
            war_room.window("month", day, date(2030, 7, 1), date(2030, 12, 31))
        )
        with self.assertRaises(ValueError):
            war_room.window("decade", day, *year)

    def test_tile_by_hand(self):
        # 300 of 1,000 with half of the 30 days gone: 30 % against 50 %
        figures = war_room.tile(
            300.0, 1000.0, date(2030, 6, 1), date(2030, 6, 30), date(2030, 6, 15)
        )
        self.assertEqual(figures["achievement_rate"], 30.0)
        self.assertEqual(figures["expected_rate"], 50.0)
        self.assertEqual(figures["behind_expected"], 200.0)
        self.assertEqual(figures["pace_status"], "behind")


class WarRoomCase(TargetCase):
    """The tree of ``TargetCase`` confirmed for 2030, seen on 15 June 2030:
    Rep A sold 120 and Rep B 50, both on 10 May."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Valve", "type": "service", "taxes_id": [Command.clear()]}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "War Room Buyer", "is_company": True}
        )
        for user, team, price in (
            (cls.rep_a, cls.team_sh, 120),
            (cls.rep_b, cls.team_w, 50),
        ):
            order = cls.env["sale.order"].create(
                {
                    "partner_id": cls.customer.id,
                    "user_id": user.id,
                    "team_id": team.id,
                    "company_id": cls.company.id,
                    "order_line": [
                        Command.create(
                            {"product_id": cls.product.id, "price_unit": price}
                        )
                    ],
                }
            )
            order.action_confirm()
            order.date_order = datetime(2030, 5, 10, 10)
        cls.tree = (
            cls.t_company
            | cls.t_east
            | cls.t_west
            | cls.t_team_sh
            | cls.t_rep_a
            | cls.t_team_w
            | cls.t_rep_b
        )
        cls.tree.action_confirm()
        with freeze_time(TODAY):
            cls.tree._refresh_actuals()

    def _data(self, user, **kwargs):
        with freeze_time(TODAY):
            return self.env["sale.target.war.room"].with_user(user).get_data(**kwargs)


@tagged("post_install", "-at_install")
class TestWarRoomData(WarRoomCase):
    def test_hq_sees_the_company_and_its_regions(self):
        data = self._data(self.hq)
        self.assertEqual(data["scope"]["id"], self.t_company.id)
        self.assertEqual(
            {tile["id"] for tile in data["tiles"]}, {self.t_east.id, self.t_west.id}
        )
        east = next(t for t in data["tiles"] if t["id"] == self.t_east.id)
        # the stored figures of the target itself
        self.assertEqual(east["achieved"], self.t_east.achieved_amount)
        self.assertEqual(east["achieved"], 120.0)
        self.assertEqual(east["achievement_rate"], self.t_east.achievement_rate)
        self.assertEqual(east["expected_rate"], self.t_east.expected_rate)
        self.assertEqual(east["pace_status"], self.t_east.pace_status)
        # the biggest gaps first, 45.5 % of the year gone: East and its team,
        # 600 with 120 done (153 behind); West, its team and its salesperson,
        # 400 with 50 done (132 behind); between equals the lowest level first
        self.assertEqual(
            [gap["id"] for gap in data["gaps"]],
            [
                self.t_team_sh.id,
                self.t_east.id,
                self.t_rep_b.id,
                self.t_team_w.id,
                self.t_west.id,
                self.t_rep_a.id,
            ],
        )
        # from the time elapsed itself (166 of 365 days), not its rounded 45.5 %
        self.assertEqual(
            data["gaps"][0]["behind_expected"], round(600 * 166 / 365 - 120, 2)
        )
        behind = [gap["behind_expected"] for gap in data["gaps"]]
        self.assertEqual(behind, sorted(behind, reverse=True))

    def test_a_month_reads_the_months_of_the_targets(self):
        data = self._data(self.hq, period="month", target_id=self.t_east.id)
        self.assertEqual(data["window"], ["2030-06-01", "2030-06-30"])
        june = self.t_east.line_ids.filtered(lambda line: line.date == date(2030, 6, 1))
        self.assertEqual(data["scope"]["amount"], june.amount)
        # the order was in May: nothing achieved in June
        self.assertEqual(data["scope"]["achieved"], 0.0)
        may = self._data(self.hq, period="quarter", target_id=self.t_east.id)
        self.assertEqual(may["scope"]["achieved"], 120.0)

    def test_each_role_gets_its_own_scope(self):
        manager = self._data(self.east_manager)
        self.assertEqual(manager["scope"]["id"], self.t_east.id)
        self.assertEqual([t["id"] for t in manager["tiles"]], [self.t_team_sh.id])
        self.assertNotIn(self.t_rep_b.id, [g["id"] for g in manager["gaps"]])
        leader = self._data(self.leader)
        self.assertEqual(leader["scope"]["id"], self.t_team_sh.id)
        self.assertEqual([t["id"] for t in leader["tiles"]], [self.t_rep_a.id])
        rep = self._data(self.rep_a)
        self.assertEqual(rep["scope"]["id"], self.t_rep_a.id)
        self.assertEqual(rep["tiles"], [])
        self.assertEqual(rep["scope"]["achieved"], 120.0)

    def test_nobody_drills_out_of_reach(self):
        for user, target in (
            (self.rep_a, self.t_rep_b),
            (self.east_manager, self.t_west),
            (self.leader, self.t_team_w),
        ):
            with self.assertRaises(AccessError, msg=user.login):
                self._data(user, target_id=target.id)

    def test_bad_input_is_refused_in_words(self):
        for kwargs in (
            {"metric": "profit"},
            {"period": "decade"},
            {"target_id": 999999999},
            {"target_id": "1; DROP TABLE sale_target"},
        ):
            with self.assertRaises(UserError, msg=kwargs):
                self._data(self.hq, **kwargs)

    def test_queries_do_not_grow_with_the_tiles(self):
        def queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            data = self._data(self.hq, target_id=self.t_west.id)
            return self.env.cr.sql_log_count - before, len(data["tiles"])

        queries()  # the registry's caches warmed once
        one, tiles = queries()
        self.assertEqual(tiles, 1)
        teams = self.env["crm.team"].create(
            [
                {
                    "name": f"West {i}",
                    "company_id": self.company.id,
                    "region_id": self.west.id,
                }
                for i in range(3)
            ]
        )
        self.env["sale.target"].create(
            [
                {
                    "metric": "revenue",
                    "date_from": self.year_from,
                    "date_to": self.year_to,
                    "parent_id": self.t_west.id,
                    "team_id": team.id,
                    "amount": 100.0,
                }
                for team in teams
            ]
        ).action_confirm()
        four, tiles = queries()
        self.assertEqual(tiles, 4)
        self.assertEqual(four, one)

    def test_warnings_of_the_week_in_scope(self):
        Warning = self.env["sale.target.warning"]
        with freeze_time("2030-06-10 09:00:00"):
            Warning._run_weekly_check(self.company, date(2030, 6, 10))
        raised = Warning.search([("company_id", "=", self.company.id)])
        self.assertTrue(raised)
        hq = self._data(self.hq)["warnings"]
        in_tree = raised.filtered(lambda w: w.target_id in self.tree)
        self.assertEqual(hq["raised"], len(in_tree))
        self.assertEqual(hq["open"], len(in_tree.filtered(lambda w: w.state == "open")))
        mine = self._data(self.rep_a)["warnings"]
        self.assertEqual(
            mine["raised"], len(raised.filtered(lambda w: w.target_id == self.t_rep_a))
        )
        self.assertLess(mine["raised"], hq["raised"])
        tile = next(
            t for t in self._data(self.hq)["tiles"] if t["id"] == self.t_west.id
        )
        self.assertEqual(
            tile["open_warnings"],
            len(in_tree.filtered(lambda w: w.target_id == self.t_west)),
        )

    def test_breadcrumb_and_default_metric(self):
        data = self._data(self.hq, target_id=self.t_team_sh.id)
        self.assertEqual(
            [step["id"] for step in data["path"]], [self.t_company.id, self.t_east.id]
        )
        self.assertEqual(self._data(self.hq)["path"], [])
        # the leader reads the targets above theirs (the rules let them), so
        # the way up is there too
        self.assertEqual(
            [step["id"] for step in self._data(self.leader)["path"]],
            [self.t_company.id, self.t_east.id],
        )
        # a collections target without sub-targets: the revenue tree comes first
        lonely = self._target(metric="collected", amount=10.0)
        lonely.action_confirm()
        data = self._data(self.hq)
        self.assertEqual(data["metric"], "revenue")
        self.assertIn(["collected", "Collected (payments received)"], data["metrics"])
        chosen = self._data(self.hq, metric="collected")
        self.assertEqual(chosen["scope"]["id"], lonely.id)
        self.assertEqual(chosen["tiles"], [])

    def test_key_action_completion_of_the_scope(self):
        Completion = self.env["sale.action.completion"].sudo()
        for user, week, done, base in (
            (self.rep_a, date(2030, 6, 10), 3, 5),
            (self.rep_a, date(2030, 6, 3), 4, 5),
            (self.rep_b, date(2030, 6, 10), 5, 5),
        ):
            Completion.create(
                {
                    "user_id": user.id,
                    "company_id": self.company.id,
                    "week_start": week,
                    "done_count": done,
                    "base_count": base,
                    "due_count": base,
                }
            )
        hq = self._data(self.hq)["completion"]
        self.assertEqual(hq["threshold"], 70.0)
        people = {p["id"]: p for p in hq["people"]}
        self.assertEqual(people[self.rep_a.id]["this_week"], 60.0)
        self.assertEqual(people[self.rep_a.id]["last_week"], 80.0)
        self.assertTrue(people[self.rep_a.id]["below"])
        self.assertEqual(people[self.rep_b.id]["this_week"], 100.0)
        self.assertFalse(people[self.rep_b.id]["below"])
        # the leader's team: Rep A only; Rep A: themselves only
        leader = self._data(self.leader)["completion"]["people"]
        self.assertEqual([p["id"] for p in leader], [self.rep_a.id])
        mine = self._data(self.rep_a)["completion"]["people"]
        self.assertEqual([p["id"] for p in mine], [self.rep_a.id])

    def test_another_company_sees_nothing_of_this_one(self):
        other = self.env["res.company"].create({"name": "Other War Co"})
        stranger = self.env["res.users"].create(
            {
                "name": "Other HQ",
                "login": "srt_other_hq",
                "company_id": other.id,
                "company_ids": [Command.set(other.ids)],
                "groups_id": [
                    Command.link(
                        self.env.ref("sale_regional_target.group_target_admin").id
                    ),
                    Command.link(self.env.ref("sales_team.group_sale_manager").id),
                ],
            }
        )
        WarRoom = (
            self.env["sale.target.war.room"]
            .with_user(stranger)
            .with_context(allowed_company_ids=other.ids)
        )
        with freeze_time(TODAY):
            data = WarRoom.get_data()
            self.assertFalse(data["scope"])
            self.assertEqual((data["tiles"], data["gaps"]), ([], []))
            with self.assertRaises(AccessError):
                WarRoom.get_data(target_id=self.t_company.id)
        # nor by asking for this company in their context
        with self.assertRaises(AccessError):
            self._data(stranger)

    def test_a_salesperson_sees_themselves_only(self):
        Completion = self.env["sale.action.completion"].sudo()
        for user in (self.rep_a, self.leader):
            Completion.create(
                {
                    "user_id": user.id,
                    "company_id": self.company.id,
                    "week_start": date(2030, 6, 10),
                    "done_count": 1,
                    "base_count": 2,
                    "due_count": 2,
                }
            )
        # even on the team's target, which Rep A may read, only their own
        # key actions
        team = self._data(self.rep_a, target_id=self.t_team_sh.id)
        self.assertEqual(
            [p["id"] for p in team["completion"]["people"]], [self.rep_a.id]
        )
        leader = self._data(self.leader, target_id=self.t_team_sh.id)
        self.assertEqual(
            {p["id"] for p in leader["completion"]["people"]},
            {self.rep_a.id, self.leader.id},
        )
        # without a target of their own, their team's (with their own part of
        # it), never a colleague's
        lonely = self.env["res.users"].create(
            {
                "name": "Rep C",
                "login": "srt_rep_c",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "groups_id": [
                    Command.link(self.env.ref("sales_team.group_sale_salesman").id)
                ],
            }
        )
        self.team_sh.member_ids |= lonely
        data = self._data(lonely)
        self.assertEqual(data["scope"]["id"], self.t_team_sh.id)
        self.assertEqual(data["contribution"]["achieved"], 0.0)
        self.assertEqual(data["tiles"], [])
