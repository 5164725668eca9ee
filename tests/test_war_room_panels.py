from datetime import date, datetime, timedelta
from itertools import pairwise

from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.addons.sale_regional_target.tools import pace, war_room
from odoo.exceptions import AccessError, UserError
from odoo.tests import BaseCase, tagged

from .test_war_room import TODAY, WarRoomCase

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@tagged("post_install", "-at_install")
class TestProgressSeries(BaseCase):
    @settings(max_examples=200, deadline=None)
    @given(days, st.integers(min_value=0, max_value=400))
    def test_week_points(self, start, length):
        end = start + timedelta(days=length)
        points = war_room.week_points(start, end)
        self.assertEqual(points[-1], end)
        self.assertTrue(all(a < b for a, b in pairwise(points)))
        # every point but the last is a Sunday, a week apart, within the period
        self.assertTrue(all(p.weekday() == 6 for p in points[:-1]))
        self.assertTrue(all(start <= p <= end for p in points))
        self.assertTrue(all((b - a).days <= 7 for a, b in pairwise(points)))
        self.assertLessEqual((points[0] - start).days, 6)

    @settings(max_examples=200, deadline=None)
    @given(
        days,
        st.integers(min_value=0, max_value=400),
        st.integers(min_value=-30, max_value=430),
        st.floats(min_value=0, max_value=1e9, allow_nan=False),
        st.booleans(),
    )
    def test_expected_climbs_to_the_target(self, start, length, offset, amount, work):
        end = start + timedelta(days=length)
        today = start + timedelta(days=offset)
        points = war_room.week_points(start, end)
        done = war_room.progress_days(points, start, today)
        # actuals up to today at most, the last one today while the period runs
        self.assertTrue(all(d <= today for d in done))
        if start <= today <= end:
            self.assertEqual(done[-1], today)
        series = war_room.progress(
            amount, start, end, today, [(d, 1.0) for d in done], work
        )
        expected = [value for _day, value in series["expected"]]
        self.assertTrue(all(a <= b for a, b in pairwise(expected)))
        self.assertEqual(expected[-1], pace.stored(amount, 2))

    def test_forecast_starts_where_the_actuals_stand(self):
        start, end, today = date(2030, 6, 1), date(2030, 6, 30), date(2030, 6, 12)
        points = war_room.week_points(start, end)
        self.assertEqual(
            points,
            [
                date(2030, 6, 2),
                date(2030, 6, 9),
                date(2030, 6, 16),
                date(2030, 6, 23),
                date(2030, 6, 30),
            ],
        )
        done = war_room.progress_days(points, start, today)
        self.assertEqual(done, [date(2030, 6, 2), date(2030, 6, 9), today])
        series = war_room.progress(
            300.0,
            start,
            end,
            today,
            list(zip(done, [10.0, 40.0, 55.0], strict=True)),
            ahead=[
                (date(2030, 6, 19), 20.0),
                (date(2030, 6, 26), 30.0),
                (date(2030, 7, 3), 99.0),
            ],
            landing=130.0,
        )
        self.assertEqual(
            series["forecast"],
            [
                [today, 55.0],
                [date(2030, 6, 19), 75.0],
                [date(2030, 6, 26), 105.0],
                [end, 130.0],
            ],
        )
        # 300 over 30 days: 10 a day
        self.assertEqual(series["expected"][1], [date(2030, 6, 9), 90.0])
        band = war_room.band(today, 55.0, end, 110.0, 150.0)
        self.assertEqual(band["low"], [[today, 55.0], [end, 110.0]])
        self.assertEqual(band["high"], [[today, 55.0], [end, 150.0]])
        # once the period is over, no forecast
        over = war_room.progress(300.0, start, end, date(2030, 7, 2), [(end, 55.0)])
        self.assertEqual(over["forecast"], [])


@tagged("post_install", "-at_install")
class TestWarRoomPanels(WarRoomCase):
    def test_progress_ends_on_the_stored_figures(self):
        data = self._data(self.hq)
        progress = data["progress"]
        self.assertEqual(
            (progress["start"], progress["end"]), ("2030-01-01", "2030-12-31")
        )
        achieved = dict(progress["achieved"])
        # both orders on 10 May: nothing before, 170 from the week of 10 May on,
        # and today's point is the stored achieved amount
        self.assertEqual(achieved["2030-05-05"], 0.0)
        self.assertEqual(achieved["2030-05-12"], 170.0)
        self.assertEqual(progress["achieved"][-1], ["2030-06-15", 170.0])
        self.assertEqual(self.t_company.achieved_amount, 170.0)
        expected = dict(progress["expected"])
        self.assertEqual(expected["2030-12-31"], self.t_company.amount)
        # 1,000 over the 365 days of 2030: by 9 June (160 days), 438.36
        self.assertAlmostEqual(expected["2030-06-09"], 1000 * 160 / 365, places=2)
        # the forecast from today to the landing, the band to its range
        self.assertTrue(self.t_company.forecast_date)
        self.assertEqual(progress["forecast"][0], ["2030-06-15", 170.0])
        self.assertEqual(
            progress["forecast"][-1], ["2030-12-31", self.t_company.forecast_amount]
        )
        self.assertEqual(progress["low"][-1][1], self.t_company.forecast_low)
        self.assertEqual(progress["high"][-1][1], self.t_company.forecast_high)
        self.assertEqual(progress["accuracy"], self.t_company.forecast_accuracy)

    def test_progress_over_a_month_and_per_owner(self):
        month = self._data(self.hq, period="month")["progress"]
        self.assertEqual(month["end"], "2030-06-30")
        june = self.t_company.line_ids.filtered(
            lambda line: line.date == date(2030, 6, 1)
        )
        self.assertEqual(month["expected"][-1], ["2030-06-30", june.amount])
        self.assertEqual({value for _day, value in month["achieved"]}, {0.0})
        # the landing is the year's: not drawn at the end of June
        self.assertEqual((month["low"], month["high"]), ([], []))
        self.assertNotEqual(month["forecast"][-1][0], "2030-06-30")
        mine = self._data(self.rep_a)["progress"]
        self.assertEqual(mine["achieved"][-1], ["2030-06-15", 120.0])
        west = self._data(self.hq, target_id=self.t_west.id)["progress"]
        self.assertEqual(west["achieved"][-1], ["2030-06-15", 50.0])

    def test_a_document_dated_later_counts_as_the_tile_does(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.rep_a.id,
                "team_id": self.team_sh.id,
                "company_id": self.company.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "price_unit": 30})
                ],
            }
        )
        order.action_confirm()
        order.date_order = datetime(2030, 6, 20, 10)
        with freeze_time(TODAY):
            self.tree._refresh_actuals()
        self.assertEqual(self.t_rep_a.achieved_amount, 150.0)
        for user in (self.rep_a, self.hq):
            data = self._data(user, target_id=self.t_rep_a.id)
            self.assertEqual(data["scope"]["achieved"], 150.0)
            self.assertEqual(data["progress"]["achieved"][-1], ["2030-06-15", 150.0])
        company = self._data(self.hq)["progress"]["achieved"]
        self.assertEqual(company[-1], ["2030-06-15", self.t_company.achieved_amount])
        self.assertEqual(dict(company)["2030-06-09"], 170.0)

    def _lifecycles(self):
        Partner = self.env["res.partner"]
        Lifecycle = self.env["sale.customer.lifecycle"]
        rows = []
        for name, user, stage, revenue in (
            ("Mix A1", self.rep_a, "growing", 100.0),
            ("Mix A2", self.rep_a, "stable", 40.0),
            ("Mix A3", self.rep_a, False, 5.0),
            ("Mix B1", self.rep_b, "growing", 70.0),
            ("Mix B2", self.rep_b, "declining", 9.0),
        ):
            partner = Partner.create(
                {"name": name, "is_company": True, "user_id": user.id}
            )
            rows.append(
                {
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "stage": stage,
                    "revenue_12m": revenue,
                }
            )
        return Lifecycle.sudo().create(rows)

    def test_customer_mix_by_stage_with_its_moves(self):
        lifecycles = self._lifecycles()
        self.assertEqual(
            lifecycles.team_id, self.team_sh | self.team_w, "the salespeople's teams"
        )
        a1, a2, _a3, b1, b2 = lifecycles
        # stage changes tracked a week ago, one written in Chinese (the tracked
        # value is then the Chinese label), one two months ago (not counted)
        self.env["res.lang"]._activate_lang("zh_CN")
        with freeze_time("2030-04-01 10:00:00"):
            b2.sudo().write({"stage": "stable"})
            self.env.cr.precommit.run()  # the tracking is written here
        with freeze_time("2030-06-08 10:00:00"):
            a2.sudo().with_context(lang="zh_CN").write({"stage": "declining"})
            b2.sudo().write({"stage": "declining"})
            self.env.cr.precommit.run()  # the tracking is written here
        with freeze_time("2030-06-08 10:00:00"):
            a2.sudo().with_context(lang="zh_CN").write({"stage": "stable"})
            self.env.cr.precommit.run()  # the tracking is written here
        mix = self._data(self.hq)["mix"]
        self.assertEqual(mix["since"], "2030-05-15")
        stages = {row["stage"]: row for row in mix["stages"]}
        self.assertEqual(stages["growing"]["customers"], 2)
        self.assertEqual(stages["growing"]["revenue"], 170.0)
        self.assertEqual(stages["growing"]["weight"], 40.0)
        self.assertEqual(stages["stable"]["customers"], 1)
        self.assertEqual(stages["declining"]["customers"], 1)
        self.assertEqual(stages[False]["customers"], 1)
        # A2 stable > declining > stable, B2 stable > declining, in June
        self.assertEqual(stages["declining"]["moved_in"], 2)
        self.assertEqual(stages["stable"]["moved_out"], 2)
        self.assertEqual(stages["stable"]["moved_in"], 1)
        self.assertEqual(stages["declining"]["moved_out"], 1)
        self.assertEqual(stages["growing"]["moved_in"], 0)
        # each figure opens its own customers
        Lifecycle = self.env["sale.customer.lifecycle"].with_user(self.hq)
        for row in mix["stages"]:
            self.assertEqual(Lifecycle.search_count(row["domain"]), row["customers"])
        with freeze_time(TODAY):
            action = (
                self.env["sale.target.war.room"]
                .with_user(self.hq)
                .action_stage_moves(self.t_company.id, "declining", "in")
            )
        self.assertEqual(Lifecycle.search(action["domain"]), a2 | b2)
        # the team leader: their team's customers only, Rep A's moves only
        leader = {r["stage"]: r for r in self._data(self.leader)["mix"]["stages"]}
        self.assertEqual(leader["growing"]["customers"], 1)
        self.assertEqual(leader["declining"]["moved_in"], 1)
        self.assertEqual(a1.user_id, self.rep_a)
        self.assertEqual(b1.user_id, self.rep_b)
        # Rep A asking for the company's moves gets those they may read: theirs
        with freeze_time(TODAY):
            action = (
                self.env["sale.target.war.room"]
                .with_user(self.rep_a)
                .action_stage_moves(self.t_team_sh.id, "declining", "in")
            )
        self.assertEqual(action["domain"], [("id", "in", a2.ids)])
        with self.assertRaises(AccessError), freeze_time(TODAY):
            self.env["sale.target.war.room"].with_user(self.rep_a).action_stage_moves(
                self.t_team_w.id, "declining", "in"
            )
        for stage, direction in (("gone", "in"), ("stable", "sideways")):
            with self.assertRaises(UserError):
                self.env["sale.target.war.room"].with_user(self.hq).action_stage_moves(
                    self.t_company.id, stage, direction
                )

    def test_every_count_is_the_length_of_what_it_opens(self):
        Warning = self.env["sale.target.warning"]
        with freeze_time("2030-06-10 09:00:00"):
            Warning._run_weekly_check(self.company, date(2030, 6, 10))
        self.env["sale.action.completion"].sudo().create(
            {
                "user_id": self.rep_a.id,
                "company_id": self.company.id,
                "week_start": date(2030, 6, 10),
                "done_count": 1,
                "base_count": 4,
                "due_count": 4,
            }
        )
        for user in (self.hq, self.east_manager, self.leader, self.rep_a):
            data = self._data(user)
            warnings = data["warnings"]
            for name, domain in warnings["domains"].items():
                self.assertEqual(
                    Warning.with_user(user).search_count(domain),
                    warnings[name],
                    f"{user.login}: {name}",
                )
            self.assertTrue(warnings["raised"], user.login)
            Activity = self.env["mail.activity"].with_user(user)
            for person in data["completion"]["people"]:
                self.assertEqual(
                    Activity.search_count(person["overdue_domain"]), person["overdue"]
                )
                # one week listed per week with a figure (nothing due: none)
                self.assertEqual(
                    self.env["sale.action.completion"]
                    .with_user(user)
                    .search_count(person["weeks_domain"]),
                    (person["this_week"] is not False)
                    + (person["last_week"] is not False),
                )

    def test_choices_of_scope(self):
        hq = self._data(self.hq)["choices"]
        self.assertEqual(
            [c["id"] for c in hq],
            [
                self.t_company.id,
                self.t_east.id,
                self.t_team_sh.id,
                self.t_west.id,
                self.t_team_w.id,
            ],
        )
        self.assertEqual([c["depth"] for c in hq], [0, 1, 2, 1, 2])
        manager = self._data(self.east_manager)["choices"]
        self.assertNotIn(self.t_west.id, [c["id"] for c in manager])
        self.assertIn(self.t_east.id, [c["id"] for c in manager])
        self.assertEqual(self._data(self.rep_a)["choices"], [])

    def test_salesperson_without_target_sees_their_key_actions(self):
        lonely = self.env["res.users"].create(
            {
                "name": "Rep D",
                "login": "srt_rep_d",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "groups_id": [
                    Command.link(self.env.ref("sales_team.group_sale_salesman").id)
                ],
            }
        )
        self.env["sale.action.completion"].sudo().create(
            [
                {
                    "user_id": user.id,
                    "company_id": self.company.id,
                    "week_start": date(2030, 6, 10),
                    "done_count": 2,
                    "base_count": 4,
                    "due_count": 4,
                }
                for user in (lonely, self.rep_a)
            ]
        )
        data = self._data(lonely)
        self.assertFalse(data["scope"])
        self.assertEqual(
            [(p["id"], p["this_week"]) for p in data["completion"]["people"]],
            [(lonely.id, 50.0)],
        )
        self.assertEqual((data["progress"], data["mix"]), (False, False))

    def test_completion_per_team_and_plans_under_way(self):
        Completion = self.env["sale.action.completion"].sudo()
        for user, done, base in ((self.rep_a, 1, 4), (self.rep_b, 2, 2)):
            Completion.create(
                {
                    "user_id": user.id,
                    "company_id": self.company.id,
                    "week_start": date(2030, 6, 10),
                    "done_count": done,
                    "base_count": base,
                    "due_count": base,
                }
            )
        teams = {t["name"]: t for t in self._data(self.hq)["completion"]["teams"]}
        self.assertEqual(set(teams), {"Team SH", "Team W"})
        self.assertEqual(teams["Team SH"]["this_week"], 25.0)
        self.assertTrue(teams["Team SH"]["below"])
        self.assertEqual(teams["Team W"]["this_week"], 100.0)
        self.assertFalse(teams["Team W"]["below"])
        self.assertEqual(
            self.env["sale.action.completion"]
            .with_user(self.hq)
            .search_count(teams["Team W"]["weeks_domain"]),
            1,
        )
        east = self._data(self.east_manager)["completion"]["teams"]
        self.assertEqual([t["name"] for t in east], ["Team SH"])
        # a salesperson sees no team row: it would be their own figures under
        # their team's name
        self.assertEqual(self._data(self.rep_a)["completion"]["teams"], [])

        Warning = self.env["sale.target.warning"]
        with freeze_time("2030-06-10 09:00:00"):
            Warning._run_weekly_check(self.company, date(2030, 6, 10))
        west = Warning.search([("target_id", "=", self.t_team_w.id)])
        self.assertTrue(west)
        west.sudo().write(
            {
                "state": "acknowledged",
                "plan_action": "Two more visits a week to the West's key accounts",
                "plan_user_id": self.rep_b.id,
                "plan_date": date(2030, 7, 1),
            }
        )
        plans = [
            p
            for p in self._data(self.hq)["warnings"]["plans"]
            if p["state"] == "acknowledged"
        ]
        # the soonest due first, then in the order they were raised
        self.assertEqual([p["id"] for p in plans], sorted(west.ids))
        self.assertEqual(plans[0]["owner"], "Rep B")
        self.assertEqual(plans[0]["date"], "2030-07-01")
        self.assertIn("Two more visits", plans[0]["plan"])
        # not the East's business
        self.assertEqual(
            [
                p["id"]
                for p in self._data(self.east_manager)["warnings"]["plans"]
                if p["state"] == "acknowledged"
            ],
            [],
        )
