from datetime import date

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .test_first_day import FirstDayCase
from .test_war_room import WarRoomCase

MAY = date(2030, 5, 1)
JUNE_15 = "2030-06-15 09:00:00"


@tagged("post_install", "-at_install")
class TestReviewPrepare(WarRoomCase):
    """Prepare Review as the users do it, over RPC: a draft review found again
    takes in the improvement plans acknowledged since, a signed one is left as
    signed and the wizard says so, the owner field starts on the user's own
    region or team, and the review opens under its own action."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Warning = cls.env["sale.target.warning"]
        with freeze_time("2030-05-13 09:00:00"):
            Warning._run_weekly_check(cls.company, date(2030, 5, 13))
        cls.w_east = Warning.search([("target_id", "=", cls.t_east.id)], limit=1)
        cls.w_team = Warning.search([("target_id", "=", cls.t_team_sh.id)], limit=1)

    def _acknowledge(self, warning, plan):
        warning.sudo().write(
            {
                "state": "acknowledged",
                "plan_action": plan,
                "plan_user_id": self.leader.id,
                "plan_date": date(2030, 6, 20),
                "acknowledged_date": "2030-05-14 10:00:00",
            }
        )

    def _prepare(self, user, level, owner, children=False):
        """The wizard's action, created and run over RPC as ``user``."""
        field = {"region": "region_id", "team": "team_id", "user": "user_id"}[level]
        with freeze_time(JUNE_15):
            wizard_id = self.rpc(
                user,
                "sale.target.review.prepare",
                "create",
                {
                    "level": level,
                    field: owner.id,
                    "period": "month",
                    "day": MAY,
                    "include_children": children,
                },
            )
            return self.rpc(
                user, "sale.target.review.prepare", "action_prepare", [wizard_id]
            )

    def _review(self, level, owner):
        field = {"region": "region_id", "team": "team_id", "user": "user_id"}[level]
        return self.env["sale.target.review"].search(
            [("level", "=", level), (field, "=", owner.id), ("date_from", "=", MAY)]
        )

    def test_a_draft_found_again_takes_the_plans_acknowledged_since(self):
        self.assertTrue(self.w_east and self.w_team)
        self._acknowledge(self.w_east, "Daily calls to the ten largest accounts")
        self._prepare(self.east_manager, "region", self.east)
        self._prepare(self.leader, "team", self.team_sh)
        review = self._review("region", self.east)
        team = self._review("team", self.team_sh)
        self.assertEqual(review.action_ids.warning_id, self.w_east)
        self.assertFalse(team.action_ids)
        # Team SH's warning acknowledged after the reviews were prepared
        self._acknowledge(self.w_team, "Joint visits with the leader")
        self._prepare(self.east_manager, "region", self.east)
        self._prepare(self.leader, "team", self.team_sh)
        self.env.invalidate_all()
        self.assertEqual(review.action_ids.warning_id, self.w_east | self.w_team)
        self.assertEqual(
            sorted(review.action_ids.mapped("name")),
            ["Daily calls to the ten largest accounts", "Joint visits with the leader"],
        )
        # once each, however often it is prepared
        self._prepare(self.east_manager, "region", self.east)
        self.env.invalidate_all()
        self.assertEqual(len(review.action_ids), 2)
        # the team leader's own review too
        self.assertEqual(team.action_ids.warning_id, self.w_team)
        self.assertEqual(team.action_ids.user_id, self.leader)

    def test_a_signed_review_is_left_as_signed_and_said_so(self):
        self._prepare(self.east_manager, "region", self.east)
        review = self._review("region", self.east)
        self.assertFalse(review.action_ids)
        review.with_user(self.east_manager).write(
            {"conclusions": "<p>East held the month.</p>"}
        )
        review.with_user(self.east_manager).action_sign()
        self._acknowledge(self.w_east, "Daily calls to the ten largest accounts")
        action = self._prepare(self.east_manager, "region", self.east)
        self.env.invalidate_all()
        self.assertEqual(review.state, "signed")
        self.assertFalse(review.action_ids, "a signed review is not changed")
        self.assertEqual(action["type"], "ir.actions.client")
        self.assertEqual(action["tag"], "display_notification")
        message = action["params"]["message"]
        self.assertIn(review.name, message)
        self.assertIn("signed", message)
        # and then opens it
        self.assertEqual(action["params"]["next"]["res_id"], review.id)

    def test_the_owner_starts_on_the_users_region_or_team(self):
        # as in the demo, the East manager also runs its Shanghai sub-region:
        # East is the one region they manage at the top
        self.shanghai.manager_id = self.east_manager
        with freeze_time(JUNE_15):
            wizard = Form(
                self.env["sale.target.review.prepare"].with_user(self.east_manager)
            )
            self.assertEqual(wizard.level, "region")
            self.assertEqual(wizard.region_id, self.east)
            leader = Form(self.env["sale.target.review.prepare"].with_user(self.leader))
            self.assertEqual(leader.level, "team")
            self.assertEqual(leader.team_id, self.team_sh)
            action = leader.save().action_prepare()
        self.assertEqual(action["res_id"], self._review("team", self.team_sh).id)
        # over RPC, as the client asks for the defaults
        defaults = self.rpc(
            self.east_manager,
            "sale.target.review.prepare",
            "default_get",
            ["level", "region_id", "team_id"],
        )
        self.assertEqual(defaults["region_id"], self.east.id)
        self.assertFalse(defaults.get("team_id"))
        # a manager of two regions chooses
        self.west.manager_id = self.east_manager
        defaults = self.rpc(
            self.east_manager,
            "sale.target.review.prepare",
            "default_get",
            ["level", "region_id"],
        )
        self.assertEqual(defaults["level"], "region")
        self.assertFalse(defaults.get("region_id"))

    def test_a_review_opens_under_its_own_action(self):
        """Reloaded, the review's URL is the review's action and its id, not
        a breadcrumb through the record the wizard was opened from (whose id
        the client took for a target's)."""
        action = self._prepare(self.east_manager, "region", self.east)
        review = self._review("region", self.east)
        own = self.env.ref("sale_regional_target.sale_target_review_action")
        self.assertTrue(own.path)
        self.assertEqual(action["id"], own.id)
        self.assertEqual(action["path"], own.path)
        self.assertEqual(action["res_id"], review.id)
        self.assertEqual(action["views"][0][1], "form")
        # a fresh breadcrumb, without the wizard's id as the active record
        self.assertEqual(action["target"], "main")
        self.assertIs(action["context"].get("active_id"), False)
        # several reviews: the list of them, under the same action
        action = self._prepare(self.east_manager, "region", self.east, children=True)
        self.assertEqual(action["id"], own.id)
        self.assertEqual(action["target"], "main")
        self.assertEqual(action["views"][0][1], "list")
        self.assertEqual(
            self.env["sale.target.review"].search(action["domain"]),
            review | self._review("team", self.team_sh),
        )


@tagged("post_install", "-at_install")
class TestReviewPrepareTour(FirstDayCase):
    """In Chromium: Prepare Review from a target's Action menu opens the review
    at /odoo/target-reviews/<id>, and reloading that URL shows Reviews and the
    review, with no target in the breadcrumb."""

    def test_prepared_review_url(self):
        east = self._target(region_id=self.east.id, amount=600.0, **self.period)
        east.action_confirm()
        self._in("en_US", self.east_manager)
        self.start_tour(
            f"/odoo/action-sale_regional_target.sale_target_action/{east.id}",
            "sale_target_review_prepare_url",
            login="srt_east_manager",
        )
        review = self.env["sale.target.review"].search(
            [("level", "=", "region"), ("region_id", "=", self.east.id)]
        )
        self.assertEqual(len(review), 1)
