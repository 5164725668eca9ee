import html
import re

from odoo import fields
from odoo.tests import TransactionCase, tagged

from .common import TargetCase

MODULE = "sale_regional_target"
# An English word: two Latin letters or more. What a Chinese reader may still
# meet in Latin letters: codes and units, never words.
ENGLISH = re.compile(r"[A-Za-z]{2,}")
ALLOWED = {"CN", "CNY", "PDF", "XLSX", "Odoo"}
TAGS = re.compile(r"<[^>]+>")


def english_words(text, allowed=()):
    """The English words of ``text`` (HTML or plain), but for ``allowed``."""
    plain = html.unescape(TAGS.sub(" ", str(text or "")))
    return sorted(set(ENGLISH.findall(plain)) - ALLOWED - set(allowed))


class DemoCase(TransactionCase):
    rpc = TargetCase.rpc

    def setUp(self):
        super().setUp()
        self.company = self.env.ref(f"{MODULE}.demo_company", raise_if_not_found=False)
        if not self.company:
            self.skipTest("installed without demo data")
        self.today = fields.Date.context_today(self.env.user)

    def _user(self, xmlid):
        return self.env.ref(f"{MODULE}.{xmlid}")

    def _people(self):
        """The seed company's people (its administrator aside)."""
        data = self.env["ir.model.data"].search(
            [("module", "=", MODULE), ("model", "=", "res.users")]
        )
        users = self.env["res.users"].browse(data.mapped("res_id"))
        self.assertGreater(len(users), 20)
        return users


@tagged("post_install", "-at_install")
class TestDemoSalespeopleTargets(DemoCase):
    """By December a real company has agreed its salespeople's targets of the
    year with them: the demo's are confirmed, and each salesperson sees where
    they stand and their forecast."""

    def test_running_year_targets_confirmed_with_forecast(self):
        for xmlid in ("user_lao_wang", "user_xiao_li"):
            user = self._user(xmlid)
            targets = self.rpc(
                user,
                "sale.target",
                "search_read",
                [
                    ("user_id", "=", user.id),
                    ("date_from", "<=", self.today),
                    ("date_to", ">=", self.today),
                ],
                ["state", "forecast_date", "forecast_amount", "achieved_amount"],
            )
            self.assertEqual(len(targets), 1, user.login)
            target = targets[0]
            self.assertEqual(target["state"], "confirmed", user.login)
            # the form's Forecast tab shows once a forecast was made
            self.assertTrue(target["forecast_date"], user.login)
            self.assertGreater(target["forecast_amount"], 0.0, user.login)
            self.assertGreater(target["achieved_amount"], 0.0, user.login)

    def test_demo_people_in_shanghai_time(self):
        self.assertEqual(set(self._people().mapped("tz")), {"Asia/Shanghai"})
        # and the administrator, where the database is the seed company's own
        admin = self.env.ref("base.user_admin")
        if admin.company_id == self.company:
            self.assertEqual(admin.tz, "Asia/Shanghai")
        self.assertEqual(self.company.partner_id.tz, "Asia/Shanghai")


@tagged("post_install", "-at_install")
class TestDemoInChinese(DemoCase):
    """The seed company is Chinese: its people, customers and products are
    named in Chinese and what its managers wrote is in Chinese; where Chinese
    is installed, what the system wrote to its people reads Chinese."""

    def test_people_customers_and_products_named_in_chinese(self):
        users = self._people()
        partners = self.env["res.partner"].search(
            [("company_id", "=", self.company.id), ("is_company", "=", True)]
        )
        products = self.env["product.product"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertGreater(len(partners), 100)
        for records in (self.company, users, partners, products):
            for record in records:
                self.assertEqual(english_words(record.name), [], record.name)
        # the logins stay as they were
        self.assertEqual(self._user("user_lao_wang").login, "laowang")
        self.assertEqual(self._user("user_lao_wang").name, "老王")
        self.assertEqual(self._user("user_xiao_li").name, "小李")
        # the opportunities name their customer and what they buy
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("company_id", "=", self.company.id)])
        )
        self.assertGreater(len(leads), 100)
        for lead in leads:
            self.assertEqual(english_words(lead.name), [], lead.name)

    def test_plans_and_review_written_in_chinese(self):
        # next year's two draft plans, named by HQ
        for xmlid in ("target_hq_next_history", "target_hq_next_potential"):
            name = self.env.ref(f"{MODULE}.{xmlid}").name
            self.assertEqual(english_words(name), [], name)
        # last month's review, written up by East China's manager
        review = self.env["sale.target.review"].search(
            [
                ("company_id", "=", self.company.id),
                ("level", "=", "region"),
                ("region_id", "=", self.env.ref(f"{MODULE}.region_east").id),
            ]
        )
        self.assertEqual(len(review), 1)
        for text in (review.conclusions, review.gap_causes):
            self.assertTrue(text)
            self.assertEqual(english_words(text), [], text)

    def _chinese_installed(self):
        installed = {code for code, _n in self.env["res.lang"].get_installed()}
        if "zh_CN" not in installed:
            self.skipTest("Chinese is not installed in this database")

    def test_chinese_reader_reads_no_english(self):
        self._chinese_installed()
        self.assertEqual(set(self._people().mapped("lang")), {"zh_CN"})
        self.assertEqual(self.company.partner_id.lang, "zh_CN")
        zh = self.env(context={"lang": "zh_CN"})
        # the activities of the lag warnings, for their assignees
        activities = (
            zh["mail.activity"]
            .with_context(active_test=False)
            .search([("lag_warning_id.company_id", "=", self.company.id)])
        )
        self.assertTrue(activities)
        for activity in activities:
            self.assertEqual(english_words(activity.summary), [], activity.summary)
            self.assertEqual(english_words(activity.note), [], activity.note)
        # the notes of the warnings (escalations, acknowledgments, resolutions)
        # and the chatter of the targets and reviews
        warnings = zh["sale.target.warning"].search(
            [("company_id", "=", self.company.id)]
        )
        targets = zh["sale.target"].search([("company_id", "=", self.company.id)])
        reviews = zh["sale.target.review"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertTrue(warnings and reviews)
        messages = zh["mail.message"].search(
            [
                "|",
                "|",
                "&",
                ("model", "=", "sale.target.warning"),
                ("res_id", "in", warnings.ids),
                "&",
                ("model", "=", "sale.target"),
                ("res_id", "in", targets.ids),
                "&",
                ("model", "=", "sale.target.review"),
                ("res_id", "in", reviews.ids),
            ]
        )
        self.assertTrue(messages.filtered(lambda m: m.model == "sale.target.warning"))
        for message in messages:
            self.assertEqual(english_words(message.body), [], message.body)

    def test_review_pdf_text_in_chinese(self):
        """The signed review's text as a Chinese reader prints it."""
        self._chinese_installed()
        manager = self._user("user_east_manager")
        review = self.env["sale.target.review"].search(
            [
                ("company_id", "=", self.company.id),
                ("level", "=", "region"),
                ("region_id", "=", self.env.ref(f"{MODULE}.region_east").id),
            ]
        )
        report = (
            self.env["ir.actions.report"]
            .with_user(manager)
            .with_context(lang="zh_CN", allowed_company_ids=self.company.ids)
        )
        body, _kind = report._render_qweb_html(
            f"{MODULE}.action_report_sale_target_review", review.ids
        )
        text = body.decode()
        # what is printed: the page's head (title, styles) is not
        text = re.sub(r"<(head|style|script)\b.*?</\1>", " ", text, flags=re.S)
        self.assertIn("华东", text)
        self.assertEqual(english_words(text), [])
