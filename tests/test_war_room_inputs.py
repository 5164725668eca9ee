"""What a client may send to the war room over RPC, however hostile: a refusal
in words (which the screen turns into the user's own war room with a notice),
never a raw TypeError, ValueError, OverflowError or database error."""

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_war_room import TODAY, WarRoomCase

BAD_IDS = (
    1e308,
    10**30,
    2**31,
    "inf",
    "-1",
    -1,
    "abc",
    "9" * 5000,
    1.5,
    float("inf"),
    float("nan"),
    True,
    [1],
    {"id": 1},
)
BAD_CHOICES = (["revenue"], {"revenue": 1}, 10**30, 1e308, 1.5, "decade")


@tagged("post_install", "-at_install")
class TestWarRoomInputs(WarRoomCase):
    def _refused(self, user, method, **kwargs):
        with self.assertRaises(UserError, msg=f"{user.login} {method} {kwargs}"):
            with freeze_time(TODAY):
                self.rpc(user, "sale.target.war.room", method, **kwargs)

    def test_11_get_data_refuses_hostile_values_in_words(self):
        for user in (self.rep_a, self.leader, self.hq):
            for bad in BAD_IDS:
                self._refused(user, "get_data", target_id=bad)
            for bad in BAD_CHOICES:
                self._refused(user, "get_data", metric=bad)
                self._refused(user, "get_data", period=bad)
            self._refused(user, "get_data", period=None)
            # the screen then falls back to the user's own war room: it loads
            with freeze_time(TODAY):
                own = self.rpc(user, "sale.target.war.room", "get_data")
            self.assertTrue(own["scope"], user.login)

    def test_11_get_data_still_takes_what_the_screen_sends(self):
        # an id from the link may come back as text, the metric as chosen
        with freeze_time(TODAY):
            data = self.rpc(
                self.leader,
                "sale.target.war.room",
                "get_data",
                metric="revenue",
                target_id=str(self.t_rep_a.id),
                period="month",
            )
        self.assertEqual(data["scope"]["id"], self.t_rep_a.id)

    def test_11_stage_moves_refuse_hostile_values_in_words(self):
        targets = {
            self.rep_a: self.t_rep_a,
            self.leader: self.t_team_sh,
            self.hq: self.t_company,
        }
        for user, target in targets.items():
            for bad in (["stable"], {"stable": 1}, None, 10**30, 1e308, "gone"):
                self._refused(
                    user,
                    "action_stage_moves",
                    target_id=target.id,
                    stage=bad,
                    direction="in",
                )
            for bad in (["in"], {"in": 1}, None, 10**30, "sideways"):
                self._refused(
                    user,
                    "action_stage_moves",
                    target_id=target.id,
                    stage="stable",
                    direction=bad,
                )
            for bad in (*BAD_IDS, False):
                self._refused(
                    user,
                    "action_stage_moves",
                    target_id=bad,
                    stage="stable",
                    direction="out",
                )
            # the unconfirmed customers' row (stage False) opens as before
            with freeze_time(TODAY):
                action = self.rpc(
                    user,
                    "sale.target.war.room",
                    "action_stage_moves",
                    target_id=target.id,
                    stage=False,
                    direction="in",
                )
            self.assertEqual(action["res_model"], "sale.customer.lifecycle")
