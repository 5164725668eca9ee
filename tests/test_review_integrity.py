"""Reviews probed as each role over RPC (issue "Integrity of the execution
half", items 1, 2, 4, 5 and 11's review parts): each test written to fail
before its fix."""

import base64
import io
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_war_room import WarRoomCase

MAY = date(2030, 5, 1)
MAY_END = date(2030, 5, 31)
FORMULA = '=HYPERLINK("http://x","y")'


@tagged("post_install", "-at_install")
class TestReviewIntegrity(WarRoomCase):
    def _review(self, level, owner):
        with freeze_time("2030-06-15 09:00:00"):
            return self.env["sale.target.review"]._prepare(
                [(level, owner)], "month", MAY
            )

    def _values(self, level, **owner):
        return {
            "level": level,
            "period": "month",
            "date_from": MAY,
            "date_to": MAY_END,
            **owner,
        }

    def _sign(self, user, review):
        self.rpc(user, "sale.target.review", "write", review.ids, {"conclusions": "ok"})
        self.rpc(user, "sale.target.review", "action_sign", review.ids)

    # ------------------------------------------------------------------
    # 1. signing is an action of the signer
    # ------------------------------------------------------------------
    def test_01_signature_is_never_sent_by_a_client(self):
        team = self._review("team", self.team_sh)
        forged = {
            "state": "signed",
            "signed_by_id": self.hq.id,
            "signed_date": "2020-01-01 00:00:00",
        }
        for user, review in ((self.leader, team), (self.hq, team)):
            for vals in (forged, {"state": "signed"}, {"signed_by_id": self.hq.id}):
                with self.assertRaisesRegex(UserError, "kept by the system"):
                    self.rpc(user, "sale.target.review", "write", review.ids, vals)
        with self.assertRaisesRegex(UserError, "kept by the system"):
            self.rpc(
                self.leader,
                "sale.target.review",
                "write",
                team.ids,
                {"mail_state": "sent"},
            )
        team.invalidate_recordset()
        self.assertRecordValues(
            team, [{"state": "draft", "signed_by_id": False, "signed_date": False}]
        )
        # a regional manager rewrites who signed a salesperson's signed review
        rep = self._review("user", self.rep_a)
        self._sign(self.leader, rep)
        self.assertEqual(rep.signed_by_id, self.leader)
        with self.assertRaisesRegex(UserError, "kept by the system"):
            self.rpc(
                self.east_manager,
                "sale.target.review",
                "write",
                rep.ids,
                {"signed_by_id": self.east_manager.id},
            )
        rep.invalidate_recordset()
        self.assertEqual(rep.signed_by_id, self.leader)
        # created signed, even by HQ
        vals = {**self._values("region", region_id=self.west.id), **forged}
        with self.assertRaisesRegex(UserError, "kept by the system"):
            self.rpc(self.hq, "sale.target.review", "create", vals)
        Review = self.env["sale.target.review"]
        self.assertFalse(Review.search([("region_id", "=", self.west.id)]))
        # a signature slipped in as a default is not taken
        created = self.rpc(
            self.hq,
            "sale.target.review",
            "create",
            self._values("region", region_id=self.west.id),
            context={"default_state": "signed", "default_signed_by_id": self.hq.id},
        )
        self.assertRecordValues(
            Review.browse(created), [{"state": "draft", "signed_by_id": False}]
        )

    def test_01_sign_and_back_to_draft_by_the_signer_or_hq(self):
        team = self._review("team", self.team_sh)
        with freeze_time("2030-06-16 10:00:00"):
            self._sign(self.east_manager, team)
        self.assertRecordValues(
            team,
            [
                {
                    "state": "signed",
                    "signed_by_id": self.east_manager.id,
                    "signed_date": datetime(2030, 6, 16, 10, 0),
                }
            ],
        )
        # the review date and the children are frozen like the content
        for vals in ({"review_date": "2020-01-01"}, {"with_children": False}):
            with self.assertRaisesRegex(UserError, "signed review is not changed"):
                self.rpc(
                    self.east_manager, "sale.target.review", "write", team.ids, vals
                )
        # the team leader below the signer does not unsign his manager's review
        with self.assertRaisesRegex(AccessError, "East Manager"):
            self.rpc(self.leader, "sale.target.review", "action_draft", team.ids)
        team.invalidate_recordset()
        self.assertEqual(team.state, "signed")
        # the signer does, and HQ does
        self.rpc(self.east_manager, "sale.target.review", "action_draft", team.ids)
        self.assertRecordValues(
            team, [{"state": "draft", "signed_by_id": False, "signed_date": False}]
        )
        self._sign(self.leader, team)
        self.rpc(self.hq, "sale.target.review", "action_draft", team.ids)
        team.invalidate_recordset()
        self.assertEqual(team.state, "draft")
        # a salesperson signs nothing
        rep = self._review("user", self.rep_a)
        with self.assertRaises(AccessError):
            self.rpc(self.rep_a, "sale.target.review", "action_sign", rep.ids)

    # ------------------------------------------------------------------
    # 2. texts are written as strings in the workbook
    # ------------------------------------------------------------------
    def test_02_workbook_writes_texts_as_strings(self):
        # Rep B lags (50 of 400 sold by May): he acknowledges, his leader exports
        self.team_w.user_id = self.leader
        Warning = self.env["sale.target.warning"]
        with freeze_time("2030-05-13 09:00:00"):
            Warning._run_weekly_check(self.company, date(2030, 5, 13))
        warning = Warning.search([("target_id", "=", self.t_rep_b.id)], limit=1)
        self.assertEqual(warning.responsible_id, self.rep_b)
        # the salesperson's improvement plan, typed through Acknowledge
        with freeze_time("2030-05-14 09:00:00"):
            action = self.rpc(
                self.rep_b, "sale.target.warning", "action_acknowledge", warning.ids
            )
            wizard = self.rpc(
                self.rep_b,
                action["res_model"],
                "create",
                {
                    "plan_action": FORMULA,
                    "plan_user_id": self.rep_b.id,
                    "plan_date": "2030-05-30",
                },
                context=action["context"],
            )
            self.rpc(self.rep_b, action["res_model"], "action_confirm", [wizard])
        self.assertEqual(warning.plan_action, FORMULA)
        team = self._review("team", self.team_w)
        self.assertEqual(team.action_ids.mapped("name"), [FORMULA])
        self.rpc(
            self.leader,
            "sale.target.review",
            "write",
            team.ids,
            {
                "conclusions": f"<p>{FORMULA}</p>",
                "gap_causes": f"<p>{FORMULA}</p>",
                "action_ids": [Command.create({"name": FORMULA})],
            },
        )
        with freeze_time("2030-06-15 09:00:00"):
            action = self.rpc(
                self.leader, "sale.target.review", "action_export_xlsx", team.ids
            )
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[-1].split("?")[0])
        )
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        cells = [
            (sheet.title, cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
        ]
        formulas = [
            (title, cell.coordinate) for title, cell in cells if cell.data_type == "f"
        ]
        self.assertFalse(formulas, "a typed text became a formula")
        typed = [
            (title, cell.data_type) for title, cell in cells if cell.value == FORMULA
        ]
        self.assertEqual(
            sorted(title for title, _type in typed),
            [
                "Lag warnings",
                "Next actions",
                "Next actions",
                "Target Review",
                "Target Review",
            ],
        )
        self.assertEqual({kind for _title, kind in typed}, {"s"})
        # 11: the file name keeps no "/" of the owner's path
        east = self._review("region", self.east)
        self.assertEqual(east.owner_name, "Testland / East")
        action = self.rpc(
            self.east_manager, "sale.target.review", "action_export_xlsx", east.ids
        )
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[-1].split("?")[0])
        )
        self.assertNotIn("/", attachment.name)
        self.assertIn("Testland - East", attachment.name)
        self.assertTrue(attachment.name.endswith(".xlsx"))

    # ------------------------------------------------------------------
    # 4. the owner decides the scope
    # ------------------------------------------------------------------
    def test_04_owner_decides_the_scope(self):
        Review = self.env["sale.target.review"]
        attempts = [
            # a team leader: another team's salesperson, or the West region,
            # naming his own team
            (
                self.leader,
                self._values(
                    "user",
                    user_id=self.rep_b.id,
                    team_id=self.team_sh.id,
                    region_id=self.shanghai.id,
                ),
            ),
            (
                self.leader,
                self._values("region", region_id=self.west.id, team_id=self.team_sh.id),
            ),
            # a regional manager: another region's team or region, naming his own
            (
                self.east_manager,
                self._values("team", team_id=self.team_w.id, region_id=self.east.id),
            ),
            (
                self.east_manager,
                self._values("region", region_id=self.west.id, team_id=self.team_sh.id),
            ),
        ]
        other, other_hq = self._other_company_hq()
        # another company's HQ: this company's region, in his own company
        attempts.append(
            (
                other_hq,
                self._values("region", region_id=self.east.id, company_id=other.id),
            )
        )
        for user, vals in attempts:
            with self.assertRaises(AccessError, msg=f"{user.name}: {vals}"):
                self.rpc(user, "sale.target.review", "create", vals)
        self.assertFalse(
            Review.search([("company_id", "in", (self.company | other).ids)])
        )
        # what is his is made, the owner's fields from the owner
        mine = self.rpc(
            self.leader,
            "sale.target.review",
            "create",
            self._values(
                "user",
                user_id=self.rep_a.id,
                team_id=self.team_w.id,
                region_id=self.west.id,
                company_id=other.id,
            ),
        )
        self.assertRecordValues(
            Review.browse(mine),
            [
                {
                    "team_id": self.team_sh.id,
                    "region_id": self.shanghai.id,
                    "company_id": self.company.id,
                }
            ],
        )
        # the wizard likewise: another team's salesperson is refused
        wizard = self.rpc(
            self.leader,
            "sale.target.review.prepare",
            "create",
            {
                "level": "user",
                "user_id": self.rep_b.id,
                "team_id": self.team_sh.id,
                "day": "2030-05-10",
            },
        )
        with self.assertRaises(UserError):
            self.rpc(
                self.leader, "sale.target.review.prepare", "action_prepare", [wizard]
            )

    # ------------------------------------------------------------------
    # 5. a next action stays in its review
    # ------------------------------------------------------------------
    def test_05_action_not_moved_to_another_review(self):
        team = self._review("team", self.team_sh)
        east = self._review("region", self.east)
        action = self.rpc(
            self.leader,
            "sale.target.review.action",
            "create",
            {"review_id": team.id, "name": "Call the key accounts"},
        )
        with self.assertRaisesRegex(UserError, "stays in its review"):
            self.rpc(
                self.leader,
                "sale.target.review.action",
                "write",
                [action],
                {"review_id": east.id},
            )
        # nor linked into another review from there
        with self.assertRaises(UserError):
            self.rpc(
                self.east_manager,
                "sale.target.review",
                "write",
                east.ids,
                {"action_ids": [Command.link(action)]},
            )
        moved = self.env["sale.target.review.action"].browse(action)
        moved.invalidate_recordset()
        self.assertEqual(moved.review_id, team)
        # an action's owner is a user of the review's company
        _other, other_hq = self._other_company_hq()
        with self.assertRaises(UserError):
            self.rpc(
                self.leader,
                "sale.target.review.action",
                "write",
                [action],
                {"user_id": other_hq.id},
            )

    # ------------------------------------------------------------------
    # 11. clean refusals, no raw errors
    # ------------------------------------------------------------------
    def test_11_nul_byte_in_a_review_text(self):
        team = self._review("team", self.team_sh)
        for vals in (
            {"conclusions": "<p>a\x00b</p>"},
            {"gap_causes": "a\x00b"},
            {"action_ids": [Command.create({"name": "call\x00"})]},
        ):
            with self.assertRaisesRegex(ValidationError, "NUL"):
                self.rpc(self.leader, "sale.target.review", "write", team.ids, vals)
                self.env.flush_all()  # as the request's end does
        with self.assertRaisesRegex(ValidationError, "NUL"):
            self.rpc(
                self.leader,
                "sale.target.review.action",
                "create",
                {"review_id": team.id, "name": "x\x00"},
            )
            self.env.flush_all()

    def test_11_html_report_refused_cleanly(self):
        east = self._review("region", self.east)
        report = "sale_regional_target.report_sale_target_review"
        Report = self.env["ir.actions.report"].with_user(self.rep_a)
        with self.assertRaises(AccessError):
            Report._render_qweb_html(report, east.ids)
        # the target sections likewise
        with self.assertRaises(AccessError):
            Report._render_qweb_html(
                "sale_regional_target.report_sale_target_sections", self.t_rep_b.ids
            )
        # one's own prints
        mine = self._review("user", self.rep_a)
        with freeze_time("2030-06-15 09:00:00"):
            html, _kind = Report._render_qweb_html(report, mine.ids)
        self.assertIn(b"Rep A", html)
