"""Hostile and careless input, as each role would send it over RPC.

One test per fault found when the addon was probed (issue "Hardening"), each
written to fail before its fix; numbers refer to that list.
"""

import logging
from contextlib import contextmanager
from datetime import date, datetime
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..tools.rounding import to_units
from .common import TargetCase


class RefusalCase(TargetCase):
    @contextmanager
    def refused(self, exception, pattern):
        """The block is refused with ``exception`` whose message matches
        ``pattern``, and nothing of it stays (the savepoint of ``assertRaises``
        undoes it, as a failed request is rolled back)."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)


@tagged("post_install", "-at_install")
class TestIntegrity(RefusalCase):
    """Dates, system fields, scope, phasing, duplicates and overlaps."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "UTC"
        cls.product = cls.env["product.product"].create(
            {"name": "Valve", "type": "service", "taxes_id": [Command.clear()]}
        )
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Hostile Buyer", "is_company": True}
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.buyer.id,
                "user_id": cls.rep_a.id,
                "team_id": cls.team_sh.id,
                "company_id": cls.company.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "price_unit": 700.0})
                ],
            }
        )
        order.action_confirm()
        order.date_order = datetime(2030, 4, 2, 10)

    def _new(self, user=None, **vals):
        values = {
            "metric": "revenue",
            "date_from": self.year_from,
            "date_to": self.year_to,
        }
        values.update(vals)
        Target = self.env["sale.target"]
        return (Target.with_user(user) if user else Target).create(values)

    # 1 -----------------------------------------------------------------
    def test_01_dates_are_bounded_with_a_clear_message(self):
        for day in (date(2926, 12, 31), date(9999, 12, 31), date(1066, 1, 1)):
            with self.refused(ValidationError, "looks like a typo"):
                self._new(user_id=self.rep_b.id, date_to=day, amount=10.0)
        with self.refused(ValidationError, "looks like a typo"):
            self.t_rep_b.date_to = date(2926, 12, 31)
        self.assertEqual(self.t_rep_b.date_to, self.year_to)
        # the bounds themselves are fine
        edge = self._new(
            user_id=self.rep_b.id,
            date_from=date(2199, 1, 1),
            date_to=date(2199, 12, 31),
            amount=12.0,
        )
        self.assertEqual(len(edge.line_ids), 12)

    def test_01_actuals_of_any_stored_date_compute(self):
        """A target stored before the bounds existed (or written in SQL), dated
        2926: its actuals compute like any other's, nothing overflows."""
        far = self._new(user_id=self.rep_a.id, amount=100.0)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_target SET date_to = '2926-12-31' WHERE id = %s", [far.id]
        )
        self.env.cr.execute(
            "UPDATE sale_target_line SET date = '2926-12-01' "
            "WHERE id = (SELECT max(id) FROM sale_target_line WHERE target_id = %s)",
            [far.id],
        )
        self.env.invalidate_all()
        (far | self.t_rep_a)._refresh_actuals()
        self.assertEqual(far.achieved_amount, 700.0)
        self.assertEqual(self.t_rep_a.achieved_amount, 700.0)
        self.assertFalse(far.actuals_error)

    def test_01_one_bad_target_never_stops_the_scheduled_refresh(self):
        Target = self.env["sale.target"]
        original = type(Target)._refresh_actuals
        bad = self.t_rep_b

        def failing(records):
            if bad in records:
                raise OverflowError("Out of bounds nanosecond timestamp")
            return original(records)

        open_targets = Target.search([("company_id", "=", self.company.id)])
        with (
            patch.object(type(Target), "_refresh_actuals", failing),
            self.assertLogs(
                "odoo.addons.sale_regional_target.models.sale_target", logging.WARNING
            ) as logs,
        ):
            Target._cron_refresh_actuals(batch_size=100_000)
        self.assertIn(f"sales target {bad.id}", logs.output[0])
        self.assertIn("Out of bounds", bad.actuals_error)
        self.assertTrue(bad.actuals_date, "flagged targets wait for the next hour")
        others = open_targets - bad
        self.assertFalse(others.filtered(lambda t: not t.actuals_date))
        self.assertFalse(others.filtered("actuals_error"))
        self.assertEqual(self.t_rep_a.achieved_amount, 700.0)
        # Once the cause is gone, the next refresh clears the flag.
        bad._refresh_actuals_isolated()
        self.assertFalse(bad.actuals_error)

    # 2 -----------------------------------------------------------------
    def test_02_system_fields_are_unwritable_by_users(self):
        manager = self.east_manager
        target = self.t_rep_a.with_user(manager)
        for vals in (
            {"achieved_amount": 1e9},
            {"actuals_date": "2099-01-01 00:00:00"},
            {"allocation_version": 99},
            {"allocation_method": "equal"},
            {"achievement_rate": 500.0},
            {"pace_status": "ahead"},
            {"state": "confirmed"},
            {"actuals_error": False},
            {"level": "company"},
        ):
            with self.refused(AccessError, "kept by the system"):
                target.write(vals)
        with self.refused(AccessError, "kept by the system"):
            self._new(
                manager,
                parent_id=self.t_team_sh.id,
                team_id=self.team_sh.id,
                user_id=self.leader.id,
                achieved_amount=1e9,
            )
        # Nor through defaults of the context.
        created = (
            self.env["sale.target"]
            .with_user(manager)
            .with_context(default_achieved_amount=1e9, default_state="confirmed")
            .create(
                {
                    "metric": "revenue",
                    "date_from": self.year_from,
                    "date_to": self.year_to,
                    "parent_id": self.t_team_sh.id,
                    "team_id": self.team_sh.id,
                    "user_id": self.leader.id,
                    "amount": 5.0,
                }
            )
        )
        self.assertEqual((created.achieved_amount, created.state), (0.0, "draft"))
        with self.refused(AccessError, "kept by the system"):
            self.t_rep_a.line_ids[0].with_user(manager).write({"achieved_amount": 1e9})
        self.assertEqual(self.t_rep_a.achieved_amount, 0.0)

    # 3 -----------------------------------------------------------------
    def test_03_no_move_out_of_scope(self):
        manager = self.east_manager
        xian = self.env["sale.region"].create(
            {"name": "Xi'an", "parent_id": self.west.id}
        )
        team_w2 = self.env["crm.team"].create(
            {"name": "Team W2", "company_id": self.company.id, "region_id": xian.id}
        )
        sub = self._new(
            manager, parent_id=self.t_east.id, region_id=self.shanghai.id, amount=5.0
        )
        # valid targets, but out of his reach once written
        with self.assertRaises(AccessError):
            sub.write({"region_id": xian.id, "parent_id": self.t_west.id})
        with self.assertRaises(AccessError):
            self.t_team_sh.with_user(manager).write(
                {"team_id": team_w2.id, "parent_id": self.t_west.id}
            )
        self.assertEqual(
            (sub.region_id, self.t_team_sh.team_id), (self.shanghai, self.team_sh)
        )
        # a region of his own is not re-parented by him
        with self.refused(AccessError, "Only HQ moves"):
            self.east.with_user(manager).write({"parent_id": self.west.id})
        with self.refused(AccessError, "Only HQ moves"):
            self.shanghai.with_user(manager).write({"parent_id": self.west.id})
        self.assertEqual(self.shanghai.parent_id, self.east)
        # and the form does not offer it to him
        with Form(self.shanghai.with_user(manager)) as form:
            with self.assertRaises(AssertionError):
                form.parent_id = self.west
            form.zip_prefixes = "200"
        # a phasing month stays on its target
        line = self.t_rep_a.line_ids[0]
        with self.refused(UserError, "belongs to its target"):
            line.with_user(manager).write({"target_id": self.t_rep_b.id})
        with self.refused(UserError, "belongs to its target"):
            line.write({"target_id": self.t_rep_b.id})
        self.assertEqual(line.target_id, self.t_rep_a)

    # 4 -----------------------------------------------------------------
    def test_04_coverage_cannot_claim_other_regions_customers(self):
        cn = self.env.ref("base.cn")
        js = self.env.ref("base.state_cn_JS")
        self.west.write({"country_ids": [Command.set(cn.ids)], "zip_prefixes": "710"})
        west_customer = self.env["res.partner"].create(
            {"name": "Xi'an Pumps", "country_id": cn.id, "zip": "710001"}
        )
        east_customer = self.env["res.partner"].create(
            {"name": "Suzhou Gears", "country_id": cn.id, "state_id": js.id}
        )
        west_by_country = self.env["res.partner"].create(
            {
                "name": "Lanzhou Steel",
                "country_id": cn.id,
                "company_id": self.company.id,
            }
        )
        self.east.state_ids = js
        self.assertEqual(west_customer.region_id, self.west)
        self.assertEqual(west_by_country.region_id, self.west)
        self.assertEqual(east_customer.region_id, self.east)
        manager = self.east_manager
        with self.refused(AccessError, "regions you do not manage"):
            self.shanghai.with_user(manager).write({"zip_prefixes": "710"})
        with self.refused(AccessError, "regions you do not manage"):
            self.east.with_user(manager).write({"country_ids": [Command.set(cn.ids)]})
        self.assertEqual(west_customer.region_id, self.west)
        self.assertEqual(west_by_country.region_id, self.west)
        self.assertFalse(self.shanghai.zip_prefixes)
        self.assertFalse(self.east.country_ids)
        # Within his own regions he reorganises freely.
        self.shanghai.with_user(manager).write({"state_ids": [Command.set(js.ids)]})
        self.assertEqual(east_customer.region_id, self.shanghai)
        # HQ draws any line.
        self.shanghai.with_user(self.hq).write({"zip_prefixes": "710"})
        self.assertEqual(west_customer.region_id, self.shanghai)

    # 5 -----------------------------------------------------------------
    def test_05_phasing_lines_follow_their_targets_rules(self):
        hq = self.hq
        target = self.t_west
        lines = target.line_ids.sorted("date")
        with self.refused(ValidationError, "adds up to"):
            lines[0].with_user(hq).write({"amount": lines[0].amount + 50})
        with self.refused(ValidationError, "outside the target's period"):
            self.env["sale.target.line"].with_user(hq).create(
                {"target_id": target.id, "date": "2031-03-01", "amount": 0.0}
            )
        with self.refused(ValidationError, "adds up to"):
            lines[0].with_user(hq).unlink()
        # months adding up, one of them negative
        with self.refused(ValidationError, "must not be negative"):
            target.with_user(hq).write(
                {
                    "line_ids": [
                        Command.update(lines[0].id, {"amount": -100.0}),
                        Command.update(
                            lines[1].id, {"amount": lines[1].amount + 100 + 33.97}
                        ),
                    ]
                }
            )
        self.assertEqual(len(target.line_ids), 12)
        self.assertAlmostEqual(target.phasing_total, 400.0, places=2)

    def test_05_confirmed_phasing_changes_with_a_reason_and_a_note(self):
        self.env.flush_all()
        self.env.cr.precommit.run()
        target = self.t_west
        target.action_confirm()
        lines = target.line_ids.sorted("date")
        moves = [
            Command.update(lines[0].id, {"amount": lines[0].amount + 10}),
            Command.update(lines[1].id, {"amount": lines[1].amount - 10}),
        ]
        with self.refused(UserError, "reason for changing its monthly"):
            target.with_user(self.hq).write({"line_ids": moves})
        # a direct write on a month is the same change of its target
        lines[0].with_user(self.hq).write({"amount": lines[0].amount})  # no change
        with self.refused(ValidationError, "adds up to"):
            lines[0].with_user(self.hq).write({"amount": lines[0].amount + 10})
        target.with_user(self.hq).write(
            {"line_ids": moves, "change_reason": "Tender moved to January"}
        )
        note = target.message_ids.filtered(
            lambda m: "Monthly phasing changed" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn("Tender moved to January", note.body)
        self.assertIn("2030-01", note.body)

    # 6 -----------------------------------------------------------------
    def test_06_one_child_per_owner(self):
        with self.refused(ValidationError, "already has a sub-target"):
            self._new(parent_id=self.t_company.id, region_id=self.east.id, amount=1.0)
        with self.refused(ValidationError, "already has a sub-target"):
            self._new(
                self.east_manager,
                parent_id=self.t_team_sh.id,
                team_id=self.team_sh.id,
                user_id=self.rep_a.id,
                amount=1.0,
            )
        north = self.env["sale.region"].create(
            {"name": "North", "parent_id": self.country.id}
        )
        child = self._new(parent_id=self.t_company.id, region_id=north.id)
        with self.refused(ValidationError, "already has a sub-target"):
            child.region_id = self.west
        # The database holds the rule too, whatever the path.
        self.env.flush_all()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "UPDATE sale_target SET region_id = %s WHERE id = %s",
                    [self.east.id, child.id],
                )

    # 7 -----------------------------------------------------------------
    def test_07_one_confirmed_target_per_owner_in_the_database(self):
        """Two transactions each confirming one of two drafts for the same owner
        would both pass a Python check; the exclusion constraint refuses the
        second whatever the path."""
        twin = self._new(region_id=self.east.id, amount=5.0)
        self.t_east.action_confirm()
        self.env.flush_all()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "UPDATE sale_target SET state = 'confirmed' WHERE id = %s",
                    [twin.id],
                )
        with self.refused(ValidationError, "already confirmed"):
            twin.action_confirm()
        # another metric, or a period next to it, is another target
        self._new(region_id=self.east.id, metric="invoiced", amount=5).action_confirm()
        self._new(
            region_id=self.east.id,
            date_from=date(2031, 1, 1),
            date_to=date(2031, 12, 31),
            amount=5,
        ).action_confirm()

    # 8 -----------------------------------------------------------------
    def test_08_owners_never_set_nor_confirm_their_own_target(self):
        leader, manager = self.leader, self.east_manager
        with self.refused(AccessError, "your own target"):
            self.t_team_sh.with_user(leader).write({"amount": 1.0})
        with self.refused(AccessError, "your own target"):
            self.t_team_sh.with_user(leader).action_confirm()
        with self.refused(AccessError, "your own target"):
            self.t_east.with_user(manager).action_confirm()
        # HQ too, when it owns one
        self.west.manager_id = self.hq
        with self.refused(AccessError, "your own target"):
            self.t_west.with_user(self.hq).action_confirm()
        # the level above decides
        self.t_team_sh.with_user(manager).write({"amount": 550.0})
        self.t_team_sh.with_user(manager).action_confirm()
        self.t_east.with_user(self.hq).action_confirm()
        self.assertEqual(
            (self.t_team_sh.state, self.t_east.state), ("confirmed", "confirmed")
        )
        with self.refused(AccessError, "Only HQ"):
            self.t_team_sh.with_user(manager).action_reset_draft()

    def test_08_buttons_follow_the_rights(self):
        def rights(target, user):
            record = target.with_user(user)
            return record.user_can_edit, record.user_is_owner

        self.assertEqual(rights(self.t_team_sh, self.leader), (False, True))
        self.assertEqual(rights(self.t_team_sh, self.east_manager), (True, False))
        self.assertEqual(rights(self.t_east, self.east_manager), (False, True))
        self.assertEqual(rights(self.t_east, self.hq), (True, False))
        self.assertEqual(rights(self.t_rep_a, self.rep_a), (False, True))
        self.assertEqual(rights(self.t_rep_a, self.leader), (True, False))
        arch = self.env["sale.target"].get_view(view_type="form")["arch"]
        for button in ("action_negotiate", "action_confirm", "action_close"):
            self.assertRegex(
                arch, rf'name="{button}"[^>]*invisible="[^"]*not user_can_edit'
            )

    def test_08_drafts_above_a_user_stay_hidden_until_negotiation(self):
        next_year = self._new(
            amount=2_000.0, date_from=date(2031, 1, 1), date_to=date(2031, 12, 31)
        )
        east_plan = self._new(
            parent_id=next_year.id,
            region_id=self.east.id,
            amount=1_200.0,
            date_from=date(2031, 1, 1),
            date_to=date(2031, 12, 31),
        )
        Target = self.env["sale.target"]
        for user in (self.east_manager, self.leader, self.rep_a):
            visible = Target.with_user(user).search([("date_from", "=", "2031-01-01")])
            self.assertNotIn(next_year, visible, user.name)
            with self.assertRaises(AccessError):
                next_year.with_user(user).read(["amount"])
        # the owner sees his own draft; those below him do not
        self.assertIn(east_plan, Target.with_user(self.east_manager).search([]))
        self.assertNotIn(east_plan, Target.with_user(self.leader).search([]))
        (next_year | east_plan).action_negotiate()
        for user in (self.east_manager, self.leader, self.rep_a):
            self.assertIn(next_year, Target.with_user(user).search([]), user.name)
        self.assertIn(east_plan, Target.with_user(self.leader).search([]))

    # 11 ----------------------------------------------------------------
    def test_11_salespeople_do_not_trigger_refreshes(self):
        with self.refused(AccessError, "Only managers"):
            self.t_rep_a.with_user(self.rep_a).action_refresh_actuals()
        with self.assertRaises(AccessError):
            self.t_company.with_user(self.rep_a).action_refresh_actuals()
        with self.assertRaises(AccessError):  # outside his reach
            self.t_west.with_user(self.east_manager).action_refresh_actuals()
        self.t_rep_a.with_user(self.east_manager).action_refresh_actuals()
        self.assertEqual(self.t_rep_a.achieved_amount, 700.0)

    # 14 ----------------------------------------------------------------
    def test_14_numbers_must_be_numbers(self):
        for value in (float("nan"), float("inf"), float("-inf"), "nan", "Infinity"):
            with self.refused(ValidationError, "must be a number"):
                self.t_rep_a.with_user(self.leader).write({"amount": value})
        with self.refused(ValidationError, "must be a number"):
            self._new(self.leader, parent_id=self.t_team_sh.id, amount=float("nan"))
        with self.refused(ValidationError, "out of range"):
            self.t_rep_a.write({"amount": 1e300})
        self.assertEqual(self.t_rep_a.amount, 300.0)

    def test_14_large_amounts_work_or_are_refused_in_words(self):
        big = self._new(region_id=self.west.id, amount=10**12)
        self.assertEqual(len(big.line_ids), 12)
        self.assertEqual(
            sum(to_units(line.amount, 0.01) for line in big.line_ids), 10**14
        )
        big.action_confirm()
        # beyond, Odoo's rounding to the cent would drift: refused in words
        # (it used to fail as "the monthly phasing adds up to ..." at 10**13)
        for amount in (10**13, 10**14):
            with self.refused(ValidationError, "amounts are limited to"):
                self._new(region_id=self.east.id, amount=amount)
        # a currency without cents holds a hundred times more
        vnd = self.env.ref("base.VND")
        vnd.active = True
        company = self.env["res.company"].create(
            {"name": "Saigon Co", "currency_id": vnd.id}
        )
        dong = self._new(company_id=company.id, currency_id=vnd.id, amount=10**14)
        self.assertEqual(
            sum(to_units(line.amount, 1.0) for line in dong.line_ids), 10**14
        )

    # 17 ----------------------------------------------------------------
    def test_17_owners_of_targets_are_archived_not_deleted(self):
        with self.refused(UserError, "archive it instead"):
            self.shanghai.unlink()
        with self.refused(UserError, "archive it instead"):
            self.team_w.unlink()
        with self.refused(UserError, "archive the user instead"):
            self.rep_b.unlink()
        self.assertEqual(self.t_rep_b.user_id, self.rep_b)
        self.assertEqual(self.t_rep_b.level, "user")
        # a region without targets nor teams goes, its customers back to the rules
        cn = self.env.ref("base.cn")
        spare = self.env["sale.region"].create(
            {"name": "Spare", "parent_id": self.west.id, "zip_prefixes": "830"}
        )
        self.west.country_ids = cn
        customer = self.env["res.partner"].create(
            {"name": "Urumqi Tools", "country_id": cn.id, "zip": "830000"}
        )
        self.assertEqual(customer.region_id, spare)
        spare.unlink()
        self.assertEqual(customer.region_id, self.west)
