import logging

from odoo import SUPERUSER_ID, api, fields, models
from odoo.tools import format_date

from ..tools import lag_warnings as lw
from .lag_warning_check import hq_users

_logger = logging.getLogger(__name__)

# A digest lists at most this many warnings, the most escalated first; the rest
# are counted, with a link to the list.
DIGEST_ROWS = 20


class SaleTargetWarningDigest(models.Model):
    """The weekly digest e-mail a manager got for one company: one per manager,
    company and week, so that a second run of the check sends nothing."""

    _name = "sale.target.warning.digest"
    _description = "Lag Warning Digest"
    _order = "week_start desc, id desc"
    _rec_name = "week_start"

    user_id = fields.Many2one("res.users", required=True, index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    week_start = fields.Date(string="Week", required=True, readonly=True)
    warning_count = fields.Integer(string="Open Warnings", readonly=True)
    mail_id = fields.Many2one("mail.mail", string="E-mail", ondelete="set null")

    _sql_constraints = [
        (
            "user_company_week_unique",
            "unique(user_id, company_id, week_start)",
            "One lag warning digest per manager, company and week.",
        ),
    ]

    @api.model
    def _recipients(self, company):
        """Managers of ``company`` who take the digest: team leaders, regional
        managers and HQ, internal, active, with an e-mail, not opted out."""
        group = self.env.ref("sale_regional_target.group_target_manager")
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", group.id),
                    ("share", "=", False),
                    ("company_ids", "in", company.id),
                    ("sale_target_lag_digest", "=", True),
                    ("email", "!=", False),
                    ("id", "!=", SUPERUSER_ID),
                ]
            )
        )

    @api.model
    def _scope_of(self, warning, hq_ids):
        """The managers whose scope holds ``warning``: the subject's team leader,
        the managers of its region and of the regions above, whoever had it,
        and HQ."""
        users = set(hq_ids)
        users.update(warning.week_ids.responsible_id.ids)
        if warning.team_id.user_id:
            users.add(warning.team_id.user_id.id)
        region = warning.region_id or warning.target_id.region_id
        if region:
            path = [int(i) for i in (region.parent_path or "").split("/") if i]
            users.update(region.browse(path).manager_id.ids)
        return users

    def _send_digests(self, check):
        """Queue one digest per manager with warnings in their scope (open, or
        resolved this week), in their language, through Odoo's mail queue."""
        company, week = check.company, check.week
        sent = set(
            self.search(
                [("company_id", "=", company.id), ("week_start", "=", week)]
            ).user_id.ids
        )
        recipients = self._recipients(company).filtered(lambda u: u.id not in sent)
        if not recipients:
            return 0
        Warning = self.env["sale.target.warning"].sudo()
        warnings = Warning.search(
            [
                ("company_id", "=", company.id),
                "|",
                ("state", "!=", "resolved"),
                ("resolved_week", "=", week),
            ]
        )
        hq_ids = hq_users(self.env, company).ids
        wanted = set(recipients.ids)
        per_user = {}
        for warning in warnings:
            for uid in self._scope_of(warning, hq_ids) & wanted:
                per_user.setdefault(uid, []).append(warning)
        latest = warnings._latest_weeks()
        template = self.env.ref("sale_regional_target.mail_template_lag_digest")
        digests = {}
        for user in recipients:
            mine = Warning.union(*per_user.get(user.id, []))
            if mine.filtered(
                lambda w: w.state != "resolved" or w.resolved_week == week
            ):
                digests[user.id] = self._digest_data(user, mine, check, latest)
        if not digests:
            return 0
        # rendered and queued in batches, each in its reader's language
        mails = template.with_context(digests=digests).send_mail_batch(
            list(digests), force_send=False
        )
        records = [
            {
                "user_id": mail.res_id,
                "company_id": company.id,
                "week_start": week,
                "warning_count": digests[mail.res_id]["counts"]["open"],
                "mail_id": mail.id,
            }
            for mail in mails
        ]
        self.create(records)
        check.counts["digests"] += len(records)
        return len(records)

    @api.model
    def _main_figure(self, rule, line):
        """The figure a rule is read by, and its unit: points behind pace,
        landing against the floor in points, completion, days silent."""
        if not line:
            return None
        if rule == lw.PACE:
            return line.achievement_rate - line.expected_rate
        if rule == lw.FLOOR:
            if not line.floor_amount:
                return None
            return 100.0 * line.projected_amount / line.floor_amount - 100.0
        if rule == lw.ACTIONS:
            return line.completion_rate
        return float(line.days_without_order)

    def _digest_data(self, user, warnings, check, latest):
        """What the digest template shows to ``user``, worded in their language."""
        env = self.env(context=dict(self.env.context, lang=user.lang or "en_US"))
        Warning = warnings.with_env(env)
        _ = env._
        week = check.week
        open_ones = Warning.filtered(lambda w: w.state != "resolved")
        resolved = Warning.filtered(
            lambda w: w.state == "resolved" and w.resolved_week == week
        )
        roles = dict(Warning._fields["responsible_role"]._description_selection(env))
        states = dict(Warning._fields["state"]._description_selection(env))
        units = {
            lw.PACE: _("pts against pace"),
            lw.FLOOR: _("pts against the floor"),
            lw.ACTIONS: _("pts of completion"),
            lw.SILENT: _("days without order"),
        }

        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        view_url = f"{base_url}/mail/view?model=sale.target.warning"

        def row(warning):
            now, before = latest.get(warning, (None, None))
            figure = self._main_figure(warning.rule, now)
            previous = self._main_figure(warning.rule, before)
            delta = lw.change(figure, previous)
            if warning.week_start == week:
                change = _("new this week")
            elif delta is None:
                change = ""
            else:
                change = f"{delta:+.1f} {units[warning.rule]}"
            return {
                "name": warning.display_name,
                "why": (now or warning).with_env(env)._figure_text(warning.rule),
                "change": change,
                "state": states[warning.state],
                "responsible": warning.responsible_id.name or "",
                "role": _(
                    "%(role)s, level %(level)s",
                    role=roles.get(warning.responsible_role, ""),
                    level=warning.level,
                ),
                "weeks": warning.consecutive_weeks,
                "plan": (
                    warning.plan_action
                    and _("Plan: %(plan)s", plan=warning.plan_action)
                )
                or "",
                # the link Odoo's own notifications give to internal users
                "url": f"{view_url}&res_id={warning.id}",
            }

        ordered = open_ones.sorted(lambda w: (-w.level, -w.consecutive_weeks, w.id))
        counts = {
            "open": len(open_ones),
            "new": len(open_ones.filtered(lambda w: w.week_start == week)),
            "escalated": len(open_ones.filtered("is_escalated")),
            "acknowledged": len(
                open_ones.filtered(lambda w: w.state == "acknowledged")
            ),
            "resolved": len(resolved),
        }
        more = max(len(ordered) - DIGEST_ROWS, 0)
        return {
            "subject": _(
                "%(company)s: lag warnings of the week of %(week)s",
                company=check.company.name,
                week=format_date(env, week),
            ),
            "greeting": _("Hello %(name)s,", name=user.name),
            "intro": _(
                "The weekly check of %(week)s found %(open)s open lag warnings in "
                "your scope: %(new)s new, %(escalated)s escalated, %(acknowledged)s "
                "acknowledged with a plan; %(resolved)s resolved this week.",
                week=format_date(env, week),
                **counts,
            ),
            "counts": counts,
            "more": (more and _("And %(count)s more in the list.", count=more)) or "",
            "rows": [row(w) for w in ordered[:DIGEST_ROWS]],
            "resolved_rows": [row(w) for w in resolved[:DIGEST_ROWS]],
            "list_url": (
                f"{base_url}/odoo/action-sale_regional_target.sale_target_warning_action"
            ),
        }
