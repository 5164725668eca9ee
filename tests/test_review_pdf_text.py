import re
import subprocess
import tempfile
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.addons.sale_regional_target.tools import review as review_tools
from odoo.tests import BaseCase, tagged
from odoo.tools import config
from odoo.tools.safe_eval import safe_eval, time

from .test_war_room import WarRoomCase

MAY = date(2030, 5, 1)
JUNE_15 = "2030-06-15 09:00:00"
REVIEW = "sale_regional_target.action_report_sale_target_review"
SECTIONS = "sale_regional_target.action_report_sale_target_sections"
# look-alikes of CJK ideographs that a font's cmap may map to the same glyphs
RADICALS = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")


def pages(pdf):
    """The text of each page of a PDF as pdftotext lays it out, as it is
    (not normalised: what a reader's search finds)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"],
            capture_output=True,
            check=True,
        ).stdout.decode()
    return text.rstrip("\f").split("\f")


@tagged("post_install", "-at_install")
class TestMonthLabel(BaseCase):
    def test_a_month_as_its_reader_writes_it(self):
        day = date(2026, 1, 15)
        self.assertEqual(review_tools.month_label(day, "zh_CN"), "2026年1月")
        self.assertEqual(review_tools.month_label(day, "en_US"), "Jan 2026")
        november = date(2026, 11, 1)
        self.assertEqual(review_tools.month_label(november, "zh_CN"), "2026年11月")


@tagged("post_install", "-at_install")
class TestReviewPdfText(WarRoomCase):
    """The printed review as its readers get it: searchable in Chinese,
    months and amounts written the reader's way, no heading left alone at the
    foot of a page, and a clean file name."""

    def _review(self, user):
        with freeze_time(JUNE_15):
            reviews = self.env["sale.target.review"]._prepare(
                [("region", self.east)], "month", MAY
            )
        return reviews.with_user(user)

    def _pdf(self, user, report, ids, lang="en_US"):
        # wkhtmltopdf fetches the report's styles from this server (the test
        # one when it runs): the layout as users get it
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", f"http://127.0.0.1:{config['http_port']}"
        )
        with freeze_time(JUNE_15):
            pdf, kind = (
                self.env["ir.actions.report"]
                .with_user(user)
                .with_context(force_report_rendering=True, lang=lang)
                ._render_qweb_pdf(report, ids)
            )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), "wkhtmltopdf made no PDF")
        return pages(pdf)

    def _chinese(self, *users):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "sale_regional_target")]
        )._update_translations(["zh_CN"])
        for user in users:
            user.lang = "zh_CN"

    def _sellers(self, count, start=0):
        """``count`` more salespeople in Shanghai, each with 3 of 4 key
        actions done in the week of 6 May."""
        users = self.env["res.users"].create(
            [
                {
                    "name": f"Seller {i:02d}",
                    "login": f"srt_pdf_seller_{i}",
                    "company_id": self.company.id,
                    "company_ids": [Command.set(self.company.ids)],
                }
                for i in range(start, start + count)
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
                for user in users
            ]
        )

    def _content(self, page):
        """The page's lines with text, its number ("1 / 2") left out."""
        return [
            line.strip()
            for line in page.splitlines()
            if line.strip() and not re.fullmatch(r"\d+ ?/ ?\d+", line.strip())
        ]

    def test_no_heading_alone_at_the_foot_of_a_page(self):
        headings = (
            "Revenue ·",
            "Key figures",
            "Month by month",
            "Sub-targets by achievement",
            "Customers by lifecycle stage",
            "Largest customers",
            "Key actions done per week",
            "A week below",
            "Lag warnings",
            "Conclusions",
            "Causes of the gap",
            "Next actions",
        )
        review = self._review(self.east_manager)
        # and with a long key-action table, printed in parts
        for sellers in (0, 40):
            self._sellers(sellers)
            text = self._pdf(self.east_manager, REVIEW, review.ids)
            self.assertGreater(len(text), 1)
            for number, page in enumerate(text[:-1], start=1):
                last = self._content(page)[-1]
                self.assertFalse(
                    last.startswith(headings),
                    f"page {number} of {len(text)} ends on a heading: {last!r}",
                )

    def test_chinese_text_is_searchable(self):
        """pdftotext reads the Chinese PDF as it was written: 目标 and 月, not
        the Kangxi radicals ⽬ and ⽉ that the CJK font draws with the same
        shapes (a search for 目标 found nothing)."""
        self._chinese(self.east_manager)
        review = self._review(self.east_manager)
        text = "\n".join(self._pdf(self.east_manager, REVIEW, review.ids, "zh_CN"))
        self.assertFalse(
            RADICALS.findall(text), "radical look-alikes instead of ideographs"
        )
        for words in ("目标", "月", "逐月", "关键指标", "负责人", "客户", "下一步行动"):
            self.assertIn(words, text)
        # the targets' own review, from the target's form
        text = "\n".join(
            self._pdf(self.east_manager, SECTIONS, self.t_east.ids, "zh_CN")
        )
        self.assertFalse(RADICALS.findall(text))
        self.assertIn("目标", text)

    def test_months_and_amounts_the_readers_way(self):
        """The month-by-month table: May's target of East (600 over the year,
        31 days of 365: 50.96) in whole yuan as every amount of the review, and
        the month as its reader writes it."""
        may = self.t_east.line_ids.filtered(lambda line: line.date == MAY)
        self.assertEqual(f"{may.amount:.2f}", "50.96")
        review = self._review(self.east_manager)
        text = "\n".join(self._pdf(self.east_manager, REVIEW, review.ids))
        months = text[text.index("Month by month") :]
        self.assertRegex(months, r"\nMay 2030\s+¥\s?51\s+¥\s?120\s+¥\s?69\s")
        self.assertRegex(months, r"\nJan 2030\s")
        self.assertNotIn("50.96", text)
        self.assertNotIn("120.00", text)
        self._chinese(self.east_manager)
        text = "\n".join(self._pdf(self.east_manager, REVIEW, review.ids, "zh_CN"))
        months = text[text.index("逐月") :]
        self.assertRegex(months, r"\n2030年5月\s+¥\s?51\s")
        self.assertNotRegex(months, r"\d月 2030")

    def test_file_names_end_in_one_dot(self):
        """A company's name ends in a dot (Co., Ltd.): the PDF is not "….pdf"
        with two dots, nor a path ("China / East China")."""
        self.company.name = "Target Test Co., Ltd."
        self.t_company.name = "2030 Revenue · Target Test Co., Ltd."
        review = self._review(self.hq)
        for report, record, expected in (
            (
                SECTIONS,
                self.t_company,
                "Target Review - 2030 Revenue · Target Test Co., Ltd.pdf",
            ),
            (REVIEW, review, "Target Review - 2030-05 · Testland - East.pdf"),
        ):
            action = self.env.ref(report).with_user(self.hq)
            # as the download route names the file
            name = safe_eval(
                action.print_report_name,
                {"object": record.with_user(self.hq), "time": time},
            )
            self.assertEqual(f"{name}.pdf", expected)
