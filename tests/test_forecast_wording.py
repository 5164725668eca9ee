from datetime import date

from freezegun import freeze_time

from odoo.addons.sale_regional_target.tools import forecast
from odoo.tests import BaseCase, tagged

from .test_war_room import TODAY, WarRoomCase


@tagged("post_install", "-at_install")
class TestErrorBound(BaseCase):
    def test_an_error_is_never_rounded_down(self):
        for measured, bound in (
            (10.4, 11),
            (20.2, 21),
            (10.0, 10),
            (20.0, 20),
            (0.0, 0),
            (0.1, 1),
            (9.95, 10),
            (10.05, 11),
            (100 * 300 / 2700, 12),
            # a float's noise is no error of its own
            (10.000000000001, 10),
            (0.1 + 0.2 + 9.7, 10),
        ):
            self.assertEqual(forecast.error_bound(measured), bound, measured)
        self.assertIsNone(forecast.error_bound(None))


@tagged("post_install", "-at_install")
class TestAccuracyWording(WarRoomCase):
    """One sentence for the measured accuracy, on the Forecast tab, in the war
    room and in the review, never promising better than measured."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Accuracy = cls.env["sale.target.forecast.accuracy"].sudo()
        Accuracy.search([("company_id", "=", cls.company.id)]).unlink()
        Accuracy.create(
            [
                {
                    "company_id": cls.company.id,
                    "metric": "revenue",
                    "level": level,
                    "wape": wape,
                    "bias": 3.0,
                    "samples": 12,
                }
                for level, wape in (("company", 10.4), ("user", 20.2), ("team", 10.0))
            ]
        )

    def _sentence(self, user, target):
        [row] = self.rpc(user, "sale.target", "read", target.ids, ["forecast_accuracy"])
        return row["forecast_accuracy"]

    def test_the_error_shown_is_the_measured_one_rounded_up(self):
        for user, target, shown, not_shown in (
            (self.hq, self.t_company, "±11 %", "±10 %"),
            (self.rep_a, self.t_rep_a, "±21 %", "±20 %"),
            (self.leader, self.t_team_sh, "±10 %", "±11 %"),
        ):
            sentence = self._sentence(user, target)
            self.assertIn(shown, sentence, user.login)
            self.assertNotIn(not_shown, sentence, user.login)

    def test_war_room_and_review_say_the_same(self):
        sentence = self._sentence(self.hq, self.t_company)
        self.assertTrue(self.t_company.forecast_date)
        with freeze_time(TODAY):
            data = self.rpc(self.hq, "sale.target.war.room", "get_data", "revenue")
            section = (
                self.env["sale.target.review"]
                .with_user(self.hq)
                ._target_section(
                    self.t_company,
                    (date(2030, 5, 1), date(2030, 5, 31)),
                    date(2030, 6, 15),
                )
            )
        self.assertEqual(data["scope"]["id"], self.t_company.id)
        self.assertEqual(data["progress"]["accuracy"], sentence)
        self.assertEqual(section["accuracy"], sentence)
        self.assertIn("±11 %", sentence)
