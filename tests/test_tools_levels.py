from odoo.addons.sale_regional_target.tools import levels
from odoo.tests import BaseCase, tagged


@tagged("post_install", "-at_install")
class TestLevels(BaseCase):
    """The one definition of the tree's levels and their owner fields."""

    def test_the_lowest_owner_set_gives_the_level(self):
        self.assertEqual(levels.level_of({}), levels.COMPANY)
        self.assertEqual(levels.level_of({"region_id": 3}), levels.REGION)
        # a team target names its team's region too
        self.assertEqual(levels.level_of({"region_id": 3, "team_id": 5}), levels.TEAM)
        self.assertEqual(
            levels.level_of({"region_id": 3, "team_id": 5, "user_id": 9}), levels.USER
        )
        self.assertEqual(
            levels.level_of({"region_id": False, "team_id": 0, "user_id": None}),
            levels.COMPANY,
        )

    def test_owner_values_and_keys(self):
        self.assertEqual(
            levels.owner_values(levels.TEAM, 5),
            {"user_id": False, "team_id": 5, "region_id": False},
        )
        for level in (levels.REGION, levels.TEAM, levels.USER):
            values = levels.owner_values(level, 7)
            self.assertEqual(levels.level_of(values), level)
        self.assertEqual(levels.owner_key(levels.USER, 9), "user,9")

    def test_owner_sql_keeps_the_constraints_definition(self):
        # the exclusion constraints are declared with this text: a change would
        # rebuild them on every database
        self.assertEqual(
            levels.owner_sql("t"),
            "(CASE t.level WHEN 'user' THEN t.user_id WHEN 'team' THEN t.team_id "
            "WHEN 'region' THEN t.region_id ELSE 0 END)",
        )

    def test_children_go_one_level_down_or_stay(self):
        order = {level: i for i, level in enumerate(levels.ORDER)}
        for parent, children in levels.ALLOWED_CHILD_LEVELS.items():
            for child in children:
                self.assertIn(order[child] - order[parent], (0, 1))
