from markupsafe import Markup

from odoo import api, fields, models

from ..tools import review as review_tools
from .cron_isolation import isolated

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
    mail_error = fields.Char(
        string="E-mail Error",
        readonly=True,
        copy=False,
        help="Why the monthly e-mail of this review could not be sent; it is "
        "tried again on the next day's run, and cleared once sent.",
    )
    mail_tried_on = fields.Date(
        string="E-mail Last Tried On",
        readonly=True,
        copy=False,
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
        has the scheduler call again while some are left.

        One company, owner or review that fails does not stop the others: it
        is logged and left out; a review whose e-mail fails stays pending with
        the reason (``mail_error``) and is tried again on the next day's run."""
        self = self.sudo()
        today = fields.Date.context_today(self)
        day = review_tools.last_month(today)
        for company in self.env["res.company"].search([]):
            with isolated(self.env, "Monthly reviews", company):
                self._prepare_monthly(company, day)
        todo = [
            ("mail_state", "=", "pending"),
            "|",
            ("mail_error", "=", False),
            ("mail_tried_on", "<", today),
        ]
        batch = self.search(todo, order="id", limit=BATCH)
        for review in batch:
            with isolated(self.env, "Monthly review e-mail", review) as outcome:
                review._send_to_managers()
            if outcome.error:
                review.write({"mail_error": outcome.message, "mail_tried_on": today})
        self.env["ir.cron"]._notify_progress(
            done=len(batch), remaining=self.search_count(todo)
        )

    @api.model
    def _prepare_monthly(self, company, day):
        """Last month's draft reviews of ``company``'s managers, pending to be
        e-mailed; an owner whose review cannot be prepared is left out."""
        here = self.with_company(company).with_context(allowed_company_ids=company.ids)
        scopes = here._manager_scopes(company, day)
        if not scopes:
            return
        known = here.search(
            [
                ("company_id", "=", company.id),
                ("period", "=", "month"),
                ("date_from", "=", review_tools.window("month", day)[0]),
            ]
        )
        with isolated(self.env, "Monthly reviews", company) as outcome:
            reviews = here._prepare(scopes, "month", day)
        if outcome.error:
            # one at a time, to leave out only the owners at fault
            reviews = here.browse()
            for scope in scopes:
                with isolated(self.env, "Monthly review", scope[1]):
                    reviews |= here._prepare([scope], "month", day)
        (reviews - known).mail_state = "pending"

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
            review.write({"mail_state": "sent", "mail_error": False})
