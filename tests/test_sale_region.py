from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TargetCase


@tagged("post_install", "-at_install")
class TestSaleRegion(TargetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cn = cls.env.ref("base.cn")
        cls.state_sh = cls.env.ref("base.state_cn_SH")
        cls.state_js = cls.env.ref("base.state_cn_JS")
        cls.country.country_ids = cls.cn
        cls.east.state_ids = cls.state_js
        cls.shanghai.state_ids = cls.state_sh
        cls.pudong = cls.env["sale.region"].create(
            {
                "name": "Pudong",
                "code": "T-E-SH-PD",
                "parent_id": cls.shanghai.id,
                "zip_prefixes": "9991, 9992",
            }
        )

    def _partner(self, **vals):
        return self.env["res.partner"].create(dict({"name": "Customer"}, **vals))

    def test_complete_name(self):
        self.assertEqual(
            self.pudong.complete_name, "Testland / East / Shanghai / Pudong"
        )
        self.assertEqual(self.pudong.display_name, self.pudong.complete_name)
        self.east.name = "East China"
        self.assertEqual(
            self.pudong.complete_name, "Testland / East China / Shanghai / Pudong"
        )

    def test_code_unique_per_company(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env["sale.region"].create({"name": "Dup", "code": "T-E"})
        other_company = self.env["res.company"].create({"name": "Other Co"})
        dup = self.env["sale.region"].create(
            {"name": "Dup", "code": "T-E", "company_id": other_company.id}
        )
        self.assertEqual(dup.code, "T-E")

    def test_no_cycle(self):
        with self.assertRaisesRegex(UserError, "Recursion"):
            self.country.parent_id = self.shanghai

    def test_zip_prefix_validation(self):
        with self.assertRaisesRegex(ValidationError, "letters and digits"):
            self.west.zip_prefixes = "20-1"

    def test_partner_region_most_specific_rule(self):
        by_country = self._partner(country_id=self.cn.id)
        by_state = self._partner(country_id=self.cn.id, state_id=self.state_sh.id)
        by_zip = self._partner(
            country_id=self.cn.id, state_id=self.state_sh.id, zip="999120"
        )
        by_east_state = self._partner(country_id=self.cn.id, state_id=self.state_js.id)
        nowhere = self._partner(country_id=self.env.ref("base.fr").id)
        self.assertEqual(by_country.region_id, self.country)
        self.assertEqual(by_state.region_id, self.shanghai)
        self.assertEqual(by_zip.region_id, self.pudong)
        self.assertEqual(by_east_state.region_id, self.east)
        self.assertFalse(nowhere.region_id)
        # Moving the customer moves it between regions.
        by_zip.zip = "300100"
        self.assertEqual(by_zip.region_id, self.shanghai)

    def test_partner_region_by_hand_is_kept(self):
        partner = self._partner(country_id=self.cn.id, state_id=self.state_sh.id)
        partner.region_id = self.west
        self.assertTrue(partner.region_manual)
        partner.state_id = self.state_js
        self.assertEqual(partner.region_id, self.west)
        # Clearing the region hands the partner back to the rules.
        partner.region_id = False
        self.assertFalse(partner.region_manual)
        self.assertEqual(partner.region_id, self.east)
        created = self._partner(country_id=self.cn.id, region_id=self.west.id)
        self.assertTrue(created.region_manual)
        self.assertEqual(created.region_id, self.west)

    def test_rules_change_reassigns_partners(self):
        partner = self._partner(country_id=self.cn.id, state_id=self.state_js.id)
        manual = self._partner(country_id=self.cn.id, region_id=self.east.id)
        self.assertEqual(partner.region_id, self.east)
        self.west.state_ids = self.state_js
        # East and West now tie on the state rule at the same depth: lower id wins.
        self.assertEqual(
            partner.region_id, min(self.east, self.west, key=lambda r: r.id)
        )
        self.east.state_ids = False
        self.assertEqual(partner.region_id, self.west)
        self.assertEqual(manual.region_id, self.east)
        self.west.active = False
        self.assertEqual(partner.region_id, self.country)

    def test_counts_and_partner_action(self):
        self._partner(country_id=self.cn.id, state_id=self.state_sh.id)
        self._partner(country_id=self.cn.id, state_id=self.state_sh.id, zip="99911")
        self.assertEqual(self.shanghai.partner_count, 1)
        self.assertEqual(self.pudong.partner_count, 1)
        self.assertEqual(self.shanghai.team_count, 1)
        action = self.shanghai.action_view_partners()
        partners = self.env["res.partner"].search(action["domain"])
        self.assertEqual(len(partners), 2)

    def test_team_region(self):
        self.assertEqual(self.shanghai.team_ids, self.team_sh)
        self.assertEqual(self.team_sh.region_id, self.shanghai)

    def test_manager_and_member_users(self):
        self.assertEqual(self.pudong.manager_user_ids, self.east_manager)
        self.assertIn(self.rep_a, self.east.member_user_ids)
        self.assertNotIn(self.rep_b, self.east.member_user_ids)
        Region = self.env["sale.region"]
        managed = Region.search([("manager_user_ids", "in", self.east_manager.id)])
        self.assertEqual(managed, self.east | self.shanghai | self.pudong)
        selling = Region.search([("member_user_ids", "in", self.rep_a.id)])
        self.assertEqual(selling, self.country | self.east | self.shanghai)


@tagged("post_install", "-at_install")
class TestRegionManagers(TargetCase):
    def test_managers_up_the_tree_before_and_after_a_change(self):
        """The managers of a region and of its parents, read in memory as the
        access checks do: right for a region made in this very transaction, and
        after a manager changes."""
        Region = self.env["sale.region"]
        hangzhou = Region.create(
            {"name": "Hangzhou", "code": "T-E-HZ", "parent_id": self.east.id}
        )
        self.assertEqual(hangzhou.manager_user_ids, self.east_manager)
        self.assertTrue(
            self.env["sale.region"]
            .with_user(self.east_manager)
            .browse(hangzhou.id)
            .filtered_domain([("manager_user_ids", "in", self.east_manager.id)])
        )
        self.west.manager_id = self.leader
        self.assertEqual(self.west.manager_user_ids, self.leader)
        self.country.manager_id = self.hq
        self.assertEqual(hangzhou.manager_user_ids, self.east_manager | self.hq)
        self.assertEqual(
            Region.search([("manager_user_ids", "in", self.hq.id)]),
            self.country | self.east | self.shanghai | self.west | hangzhou,
        )
