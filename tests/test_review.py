import io
import subprocess
import tempfile
import unicodedata
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import config

from .test_war_room import WarRoomCase

MAY = date(2030, 5, 1)


def pdf_text(pdf):
    """The text of a PDF, as pdftotext lays it out; NFKC-normalised, since the
    CJK font maps some characters to their Kangxi radical look-alikes (⽉ for
    月)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"],
            capture_output=True,
            check=True,
        ).stdout.decode()
    return unicodedata.normalize("NFKC", text)


@tagged("post_install", "-at_install")
class TestReview(WarRoomCase):
    """Reviews of the ``WarRoomCase`` tree: Rep A sold 120 (team SH, East) and
    Rep B 50 (team W, West) on 10 May 2030."""

    def _prepare(self, user, level, owner, period="month", day=MAY, children=False):
        with freeze_time("2030-06-15 09:00:00"):
            wizard = Form(self.env["sale.target.review.prepare"].with_user(user))
            wizard.level = level
            setattr(
                wizard,
                {"region": "region_id", "team": "team_id", "user": "user_id"}[level],
                owner,
            )
            wizard.period = period
            wizard.day = day
            if level != "user":
                wizard.include_children = children
            action = wizard.save().action_prepare()
        return self.env["sale.target.review"].with_user(user).search(action["domain"])

    def _render(self, user, report, ids):
        """The PDF of ``report`` for ``ids`` as ``user`` prints it."""
        # wkhtmltopdf fetches the report's styles from this server (the test
        # one when it runs): the layout as users get it
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", f"http://127.0.0.1:{config['http_port']}"
        )
        with freeze_time("2030-06-15 09:00:00"):
            pdf, kind = (
                self.env["ir.actions.report"]
                .with_user(user)
                # tests render HTML unless told: the real PDF, by wkhtmltopdf;
                # in the reader's language, as their browser session asks
                .with_context(force_report_rendering=True, lang=user.lang)
                ._render_qweb_pdf(report, ids)
            )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), "wkhtmltopdf made no PDF")
        return pdf_text(pdf)

    def _pdf(self, user, reviews):
        return self._render(
            user, "sale_regional_target.action_report_sale_target_review", reviews.ids
        )

    def test_prepared_once_with_children(self):
        reviews = self._prepare(self.east_manager, "region", self.east, children=True)
        self.assertEqual(
            {(r.level, r.owner_name) for r in reviews},
            {("region", "Testland / East"), ("team", "Team SH")},
        )
        east = reviews.filtered(lambda r: r.level == "region")
        self.assertEqual((east.date_from, east.date_to), (MAY, date(2030, 5, 31)))
        self.assertEqual(east.target_ids, self.t_east)
        self.assertEqual(east.reviewer_id, self.east_manager)
        again = self._prepare(self.east_manager, "region", self.east, children=True)
        self.assertEqual(again, reviews)
        self.assertEqual(
            self.env["sale.target.review"].search_count(
                [("company_id", "=", self.company.id)]
            ),
            2,
        )

    def test_pdf_has_the_figures_in_their_sections(self):
        # a customer gained in May, one lost to declining in May, and Rep A's
        # key actions in two weeks of May
        Partner = self.env["res.partner"]
        Lifecycle = self.env["sale.customer.lifecycle"].sudo()
        gained = Lifecycle.create(
            {
                "partner_id": Partner.create(
                    {
                        "name": "Hangzhou Pumps",
                        "is_company": True,
                        "user_id": self.rep_a.id,
                    }
                ).id,
                "company_id": self.company.id,
                "stage": "incubating",
                "first_order_date": date(2030, 5, 10),
                "revenue_12m": 120.0,
            }
        )
        lost = Lifecycle.create(
            {
                "partner_id": Partner.create(
                    {
                        "name": "Ningbo Valves",
                        "is_company": True,
                        "user_id": self.rep_a.id,
                    }
                ).id,
                "company_id": self.company.id,
                "stage": "stable",
                "first_order_date": date(2028, 3, 1),
                "revenue_12m": 900.0,
            }
        )
        # created in an earlier transaction: changes made in the one that
        # creates a record are not tracked
        self.env.cr.precommit.run()
        with freeze_time("2030-05-20 10:00:00"):
            lost.write({"stage": "declining"})
            self.env.cr.precommit.run()
        self.assertEqual(gained.team_id, self.team_sh)
        for monday, done in ((date(2030, 5, 6), 1), (date(2030, 5, 13), 4)):
            self.env["sale.action.completion"].sudo().create(
                {
                    "user_id": self.rep_a.id,
                    "company_id": self.company.id,
                    "week_start": monday,
                    "done_count": done,
                    "base_count": 4,
                    "due_count": 4,
                }
            )
        review = self._prepare(self.east_manager, "region", self.east)
        review.conclusions = "<p>Shanghai carried the month alone.</p>"
        review.action_ids = [
            Command.create(
                {"name": "Open two accounts in Hangzhou", "user_id": self.leader.id}
            )
        ]
        text = self._pdf(self.east_manager, review)
        self.assertIn("Review: 2030-05 · Testland / East", text)
        # key figures: May's target of East (600 over the year, May's share)
        may = self.t_east.line_ids.filtered(lambda line: line.date == MAY)
        # amounts in whole yuan
        self.assertRegex(text, rf"¥\s?{may.amount:,.0f}\s")
        key = text[text.index("Key figures") : text.index("Month by month")]
        self.assertRegex(key, r"¥\s?120\s")
        self.assertIn(f"{self.t_east.achievement_rate:.1f} %", key)
        months = text[text.index("Month by month") : text.index("Sub-targets")]
        self.assertRegex(months, r"May\s+2030")
        self.assertRegex(months, r"¥\s?120\s")
        children = text[text.index("Sub-targets") : text.index("Customers by")]
        self.assertIn("Team SH", children)
        customers = text[text.index("Customers by") : text.index("Key actions done")]
        gained_part = customers[customers.index("Largest customers gained") :]
        self.assertIn("Hangzhou Pumps", gained_part)
        self.assertIn("Ningbo Valves", gained_part)  # in the "lost" column
        self.assertRegex(customers, r"Declining\s+1\s+¥\s?900\s+1\s+0")
        actions = text[text.index("Key actions done") : text.index("Lag warnings")]
        # a week with nothing due reads "—", never 0 % nor a blank
        self.assertRegex(actions, r"Rep A\s+—\s+25\.0 %\s+100\.0 %\s+—\s+—")
        self.assertIn("A week below 70.0 % is in bold.", actions)
        self.assertIn("Shanghai carried the month alone.", text)
        self.assertIn("Open two accounts in Hangzhou", text)
        self.assertIn("Signature", text)
        # numbered pages, whatever the wkhtmltopdf build
        self.assertRegex(text, r"\b1 ?/ ?2\b")
        self.assertRegex(text, r"\b2 ?/ ?2\b")

    def test_pdf_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "sale_regional_target")]
        )._update_translations(["zh_CN"])
        self.east_manager.lang = "zh_CN"
        review = self._prepare(self.east_manager, "region", self.east)
        text = self._pdf(self.east_manager, review)
        self.assertIn("逐月", text)
        self.assertIn("关键指标", text)
        self.assertRegex(text, r"¥\s?120\s")
        self.assertNotIn("Month by month", text)

    def test_xlsx_reads_back(self):
        review = self._prepare(self.east_manager, "region", self.east, children=True)
        east = review.filtered(lambda r: r.level == "region")
        with freeze_time("2030-06-15 09:00:00"):
            content = east.with_user(self.east_manager)._xlsx()
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(
            book.sheetnames[:4],
            ["Target Review", "Key figures", "Months", "Sub-targets"],
        )
        key = book["Key figures"]
        self.assertEqual(key.freeze_panes, "A2")
        self.assertEqual(key["C2"].value, 120.0)
        self.assertEqual(key["C2"].number_format, "#,##0.00")
        months = book["Months"]
        may = [
            row
            for row in months.iter_rows(min_row=2, values_only=True)
            if row[1].month == 5
        ]
        self.assertEqual(may[0][3], 120.0)
        children = book["Sub-targets"]
        self.assertEqual(children["B2"].value, "Team SH")
        action = east.with_user(self.east_manager).action_export_xlsx()
        self.assertTrue(action["url"].startswith("/web/content/"))

    def test_monthly_action_twice_one_review_per_scope(self):
        self.west.manager_id = self.east_manager  # a manager for each region
        Review = self.env["sale.target.review"]
        with freeze_time("2030-06-02 06:00:00"):
            Review._cron_monthly_review()
            first = Review.search([("company_id", "=", self.company.id)])
            Review._cron_monthly_review()
        second = Review.search([("company_id", "=", self.company.id)])
        self.assertEqual(first, second)
        # East and West (managers), Team SH (a leader); Team W has none
        self.assertEqual(
            sorted(first.mapped("owner_name")),
            ["Team SH", "Testland / East", "Testland / West"],
        )
        self.assertEqual(set(first.mapped("date_from")), {MAY})
        self.assertEqual(set(first.mapped("mail_state")), {"sent"})
        mailed = self.env["mail.message"].search(
            [
                ("model", "=", "sale.target.review"),
                ("res_id", "in", first.ids),
                ("attachment_ids", "!=", False),
            ]
        )
        self.assertEqual(len(mailed), 3, "one e-mail per review, not one per run")
        self.assertEqual(
            mailed.filtered(
                lambda m: m.res_id in first.filtered(lambda r: r.level == "team").ids
            ).partner_ids,
            self.leader.partner_id,
        )

    def test_opting_out_stops_the_mail(self):
        self.east_manager.sale_target_review_mail = False
        Review = self.env["sale.target.review"]
        with freeze_time("2030-06-02 06:00:00"):
            Review._cron_monthly_review()
        east = Review.search(
            [("company_id", "=", self.company.id), ("level", "=", "region")]
        )
        self.assertTrue(east)
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    ("model", "=", "sale.target.review"),
                    ("res_id", "in", east.ids),
                    ("attachment_ids", "!=", False),
                ]
            )
        )

    def test_a_salesperson_prints_only_their_own(self):
        mine = self._prepare(self.hq, "user", self.rep_a)
        theirs = self._prepare(self.hq, "user", self.rep_b)
        east = self._prepare(self.hq, "region", self.east)
        Review = self.env["sale.target.review"].with_user(self.rep_a)
        self.assertEqual(Review.search([("company_id", "=", self.company.id)]), mine)
        text = self._pdf(self.rep_a, mine)
        self.assertIn("Rep A", text)
        for other in (theirs, east):
            with self.assertRaises(AccessError):
                self._pdf(self.rep_a, other)
        with self.assertRaises(AccessError):
            mine.with_user(self.rep_a).conclusions = "<p>All good</p>"
        with self.assertRaises(AccessError):
            self._prepare(self.rep_a, "user", self.rep_a)
        # the leader sees their team's and its salespeople's, not the region's
        leader = self.env["sale.target.review"].with_user(self.leader)
        self.assertEqual(leader.search([("company_id", "=", self.company.id)]), mine)

    def test_signed_is_frozen(self):
        review = self._prepare(self.east_manager, "region", self.east).with_user(
            self.east_manager
        )
        with self.assertRaises(UserError):
            review.action_sign()  # no conclusions yet
        review.conclusions = "<p>On track again from June.</p>"
        review.action_sign()
        self.assertEqual(review.state, "signed")
        self.assertEqual(review.signed_by_id, self.east_manager)
        with self.assertRaises(UserError):
            review.conclusions = "<p>Rewritten afterwards</p>"
        with self.assertRaises(UserError):
            review.action_ids = [Command.create({"name": "Late addition"})]
        review.action_draft()
        review.conclusions = "<p>Amended</p>"
        self.assertEqual(review.state, "draft")

    def test_careless_and_hostile_input(self):
        Prepare = self.env["sale.target.review.prepare"].with_user(self.east_manager)
        with self.assertRaises(UserError):
            # the region emptied (it starts on the one they manage)
            Prepare.create(
                {"level": "region", "region_id": False, "period": "month", "day": MAY}
            ).action_prepare()
        # a region out of their reach: refused in words, nothing created
        with self.assertRaises(UserError):
            self._prepare(self.east_manager, "region", self.west)
        with self.assertRaises(UserError):
            self.env["sale.target.review"]._prepare(
                [("region", self.east)], "decade", MAY
            )
        self.assertFalse(
            self.env["sale.target.review"].search(
                [("company_id", "=", self.company.id)]
            )
        )
        # over RPC, around the wizard: a review of a region they do not manage
        Review = self.env["sale.target.review"].with_user(self.east_manager)
        with self.assertRaises(AccessError):
            Review.create(
                {
                    "level": "region",
                    "region_id": self.west.id,
                    "period": "month",
                    "date_from": MAY,
                    "date_to": date(2030, 5, 31),
                    "company_id": self.company.id,
                }
            )
        # nor one of theirs moved onto another region or period
        mine = self._prepare(self.east_manager, "region", self.east)
        for vals in ({"region_id": self.west.id}, {"date_to": date(2030, 12, 31)}):
            with self.assertRaises(UserError):
                mine.with_user(self.east_manager).write(vals)

    def test_pulls_the_improvement_plans_in(self):
        Warning = self.env["sale.target.warning"]
        with freeze_time("2030-05-13 09:00:00"):
            Warning._run_weekly_check(self.company, date(2030, 5, 13))
        warning = Warning.search([("target_id", "=", self.t_east.id)], limit=1)
        self.assertTrue(warning)
        warning.sudo().write(
            {
                "state": "acknowledged",
                "plan_action": "Daily calls to the ten largest East accounts",
                "plan_user_id": self.leader.id,
                "plan_date": date(2030, 6, 20),
                "acknowledged_date": "2030-05-14 10:00:00",
            }
        )
        review = self._prepare(self.east_manager, "region", self.east)
        self.assertEqual(review.action_ids.warning_id, warning)
        self.assertEqual(review.action_ids.user_id, self.leader)
        text = self._pdf(self.east_manager, review)
        section = text[text.index("Lag warnings") :]
        self.assertIn("Daily calls to the ten largest East accounts", section)

    def test_targets_print_a_section_each(self):
        targets = self.t_team_sh | self.t_team_w
        sections = "sale_regional_target.action_report_sale_target_sections"
        text = self._render(self.hq, sections, targets.ids)
        self.assertEqual(text.count("Target review"), 2)
        self.assertIn("Team SH", text)
        self.assertIn("Team W", text)
        self.assertRegex(text, r"¥\s?50\s")  # Rep B's order, Team W's achieved
        # a salesperson prints no one else's target
        with self.assertRaises(AccessError):
            self._render(self.rep_a, sections, self.t_rep_b.ids)

    def test_long_tables_print_their_header_again(self):
        """40 more salespeople in Shanghai: the key-action table is printed in
        parts of 28 rows, each under its header."""
        users = self.env["res.users"].create(
            [
                {
                    "name": f"Seller {i:02d}",
                    "login": f"srt_seller_{i}",
                    "company_id": self.company.id,
                    "company_ids": [Command.set(self.company.ids)],
                }
                for i in range(40)
            ]
        )
        self.team_sh.member_ids |= users
        self.env["sale.action.completion"].sudo().create(
            [
                {
                    "user_id": user.id,
                    "company_id": self.company.id,
                    "week_start": date(2030, 5, 6),
                    "done_count": 3,
                    "base_count": 4,
                    "due_count": 4,
                }
                for user in users | self.rep_a
            ]
        )
        review = self._prepare(self.east_manager, "region", self.east)
        text = self._pdf(self.east_manager, review)
        actions = text[text.index("Key actions done") : text.index("Lag warnings")]
        self.assertEqual(actions.count("Salesperson"), 2)
        self.assertEqual(actions.count("75.0 %"), 41)
        self.assertLess(actions.index("Seller 26"), actions.rindex("Salesperson"))
        self.assertGreater(actions.index("Seller 27"), actions.rindex("Salesperson"))

    def test_another_company_sees_no_review(self):
        review = self._prepare(self.east_manager, "region", self.east)
        other = self.env["res.company"].create({"name": "Other Review Co"})
        stranger = self.env["res.users"].create(
            {
                "name": "Other HQ",
                "login": "srt_other_review_hq",
                "company_id": other.id,
                "company_ids": [Command.set(other.ids)],
                "groups_id": [
                    Command.link(
                        self.env.ref("sale_regional_target.group_target_admin").id
                    )
                ],
            }
        )
        Review = (
            self.env["sale.target.review"]
            .with_user(stranger)
            .with_context(allowed_company_ids=other.ids)
        )
        self.assertFalse(Review.search([]) & review)
        with self.assertRaises(AccessError):
            Review.browse(review.id).read(["name"])
        with self.assertRaises(AccessError):
            self._pdf(stranger, review)
