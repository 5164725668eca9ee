from markupsafe import Markup

from odoo import api, fields, models

from ..tools import review as review_tools

BATCH = 20


class SaleTargetReview(models.Model):
    """The monthly scheduled action: last month's draft reviews of every
    manager's region or team, and each manager e-mailed their PDF."""

    _inherit = "sale.target.review"

    mail_state = fields.Selection(
        [("pending", "To Send"), ("sent", "Sent")],
        string="E-mail",
        readonly=True,
        copy=False,
        help="Prepared by the monthly scheduled action: its PDF is e-mailed to "
        "the manager of the region or team.",
    )

    @api.model
    def _manager_scopes(self, company, day):
        """(level, owner) of the regions with a manager and the teams with a
        leader that have a confirmed target running in the month of ``day``."""
        date_from, date_to = review_tools.window("month", day)
        running = [
            ("company_id", "=", company.id),
            ("state", "=", "confirmed"),
            ("date_from", "<=", date_to),
            ("date_to", ">=", date_from),
        ]
        Target = self.env["sale.target"]
        regions = Target._read_group(
            [*running, ("level", "=", "region"), ("region_id.manager_id", "!=", False)],
            ["region_id"],
        )
        teams = Target._read_group(
            [*running, ("level", "=", "team"), ("team_id.user_id", "!=", False)],
            ["team_id"],
        )
        return [("region", region) for [region] in regions] + [
            ("team", team) for [team] in teams
        ]

    @api.model
    def _cron_monthly_review(self):
        """Prepare last month's reviews (those already there are kept: a second
        run adds none), then e-mail a batch of the pending ones; the progress
        has the scheduler call again while some are left."""
        self = self.sudo()
        day = review_tools.last_month(fields.Date.context_today(self))
        for company in self.env["res.company"].search([]):
            here = self.with_company(company).with_context(
                allowed_company_ids=company.ids
            )
            scopes = here._manager_scopes(company, day)
            if not scopes:
                continue
            known = here.search(
                [
                    ("company_id", "=", company.id),
                    ("period", "=", "month"),
                    ("date_from", "=", review_tools.window("month", day)[0]),
                ]
            )
            created = here._prepare(scopes, "month", day) - known
            created.mail_state = "pending"
        pending = self.search([("mail_state", "=", "pending")], order="id")
        batch = pending[:BATCH]
        batch._send_to_managers()
        self.env["ir.cron"]._notify_progress(
            done=len(batch), remaining=len(pending) - len(batch)
        )

    def _managers(self):
        self.ensure_one()
        if self.level == "region":
            return self.region_id.manager_id
        if self.level == "team":
            return self.team_id.user_id
        return self.user_id

    def _send_to_managers(self):
        """E-mail each review's PDF to its manager, rendered as them (their
        record rules, their language), unless they untick it in their
        preferences; logged in the review's chatter."""
        report = self.env.ref("sale_regional_target.action_report_sale_target_review")
        for review in self:
            for manager in review._managers().filtered("sale_target_review_mail"):
                as_manager = review.with_user(manager).with_context(
                    lang=manager.lang or "en_US",
                    allowed_company_ids=review.company_id.ids,
                )
                pdf, _kind = as_manager.env["ir.actions.report"]._render_qweb_pdf(
                    report.report_name, review.ids
                )
                env = as_manager.env
                body = Markup("<p>%s</p><p>%s</p>") % (
                    env._("Hello %(name)s,", name=manager.name),
                    env._(
                        "Here is last month's review of %(owner)s (%(period)s), "
                        "prepared in draft: add your conclusions and next actions, "
                        "then sign it.",
                        owner=review.owner_name,
                        period=review.name,
                    ),
                )
                review.message_post(
                    body=body,
                    subject=env._("Review: %(name)s", name=review.name),
                    partner_ids=manager.partner_id.ids,
                    attachments=[(f"{review.name}.pdf", pdf)],
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
            review.mail_state = "sent"
