from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.action_plan import BUCKETS, bucket, is_early, week_start
from .sale_target_guard_mixin import field_labels

# Set by the action pack scheduler and the weekly lag check only.
PACK_FIELDS = {"action_pack_line_id", "action_key", "action_bucket", "lag_warning_id"}
# What the scheduler planned on a pack activity: its customer, its type, who does
# it and when, and whether it is done. Completion rates (and bonuses) are counted
# from them, so users only mark the activity done (with its outcome).
PLANNED_FIELDS = {
    "res_model",
    "res_model_id",
    "res_id",
    "activity_type_id",
    "user_id",
    "date_deadline",
    "active",
    "date_done",
}
# Context value only ``_action_done`` sets (a client cannot send an object).
_MARKING_DONE = object()

BUCKET_LABELS = {
    "overdue": "Overdue",
    "this_week": "This Week",
    "next_week": "Next Week",
    "later": "Later",
}


class MailActivity(models.Model):
    _inherit = "mail.activity"

    action_pack_line_id = fields.Many2one(
        "sale.action.pack.line",
        string="Action Pack Line",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    lag_warning_id = fields.Many2one(
        "sale.target.warning",
        string="Lag Warning",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
        help="The lag warning this activity asks its responsible to act on.",
    )
    action_name = fields.Char(
        string="Action Name",
        compute="_compute_action_name",
        help="The action pack line's name in the reader's language (the summary "
        "is written once, in the salesperson's language).",
    )
    action_key = fields.Boolean(
        string="Key Action",
        readonly=True,
        help="Counts in the salesperson's action completion rate.",
    )
    action_bucket = fields.Selection(
        [(key, BUCKET_LABELS[key]) for key in BUCKETS],
        string="When",
        compute="_compute_action_bucket",
        store=True,
        group_expand="_expand_action_buckets",
        help="Column of the action plan board; moved along every day by the "
        "action pack scheduler.",
    )

    def _refuse(self, fields_=None):
        lag = "lag_warning_id" in (fields_ or ()) or (
            self.filtered("lag_warning_id") and not self.filtered("action_pack_line_id")
        )
        if lag:
            raise AccessError(
                self.env._(
                    "This activity follows a lag warning: it moves with the warning "
                    "and is done when the warning is acknowledged with an "
                    "improvement plan or resolved. Open the warning to acknowledge "
                    "it."
                )
            )
        if fields_:
            what = self.env._(
                "%(fields)s cannot be changed", fields=field_labels(self, fields_)
            )
        else:
            what = self.env._("it cannot be cancelled")
        raise AccessError(
            self.env._(
                "This action was planned by the customer's action pack: %(what)s. "
                "Mark it done with its outcome; a manager changes the pack or the "
                "customer's stage.",
                what=what,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if PACK_FIELDS & set(vals):
                    self._refuse(PACK_FIELDS & set(vals))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if PACK_FIELDS & set(vals):
                self._refuse(PACK_FIELDS & set(vals))
            planned = PLANNED_FIELDS & set(vals)
            if self.env.context.get("sale_action_done") is _MARKING_DONE:
                planned -= {"active", "date_done"}
            if planned and self.filtered(
                lambda a: a.action_pack_line_id or a.lag_warning_id
            ):
                self.filtered(
                    lambda a: a.action_pack_line_id or a.lag_warning_id
                )._refuse(planned)
        return super().write(vals)

    @api.depends("action_pack_line_id.name", "summary", "activity_type_id")
    @api.depends_context("lang")
    def _compute_action_name(self):
        for activity in self:
            activity.action_name = (
                activity.action_pack_line_id.sudo().name
                or activity.summary
                or activity.activity_type_id.name
            )

    def unlink(self):
        if (
            not self.env.su
            and self.env.context.get("sale_action_done") is not _MARKING_DONE
            and self.filtered(lambda a: a.action_pack_line_id or a.lag_warning_id)
        ):
            self.filtered(lambda a: a.action_pack_line_id or a.lag_warning_id)._refuse()
        return super().unlink()

    def _check_may_mark_done(self):
        """A planned action counts in its salesperson's completion: only they,
        their team's leader, their region's managers or HQ mark it done."""
        user = self.env.user
        if self.env.su or user.has_group("sale_regional_target.group_target_admin"):
            return
        for activity in self.filtered("action_pack_line_id").sudo():
            owner = activity.user_id
            team = owner.sale_team_id
            if user != owner and user not in (
                team.user_id | team.region_id.manager_user_ids
            ):
                raise AccessError(
                    self.env._(
                        "“%(action)s” is %(owner)s's planned action: only they, "
                        "their team leader or their region's manager mark it done.",
                        action=activity.action_name,
                        owner=owner.name,
                    )
                )

    def _action_done(self, feedback=False, attachment_ids=None):
        if (
            not self.env.su
            and self.env.context.get("sale_action_done") is not _MARKING_DONE
            and self.filtered("lag_warning_id")
        ):
            self.filtered("lag_warning_id")._refuse()
        self._check_may_mark_done()
        if not self.env.su and not (feedback or "").strip():
            today = fields.Date.context_today(self)
            early = self.filtered(
                lambda a: a.action_pack_line_id and is_early(a.date_deadline, today)
            )
            if early:
                raise UserError(
                    self.env._(
                        "“%(action)s” is due in a later week (%(day)s): it can be "
                        "done before then only with a word on why, in its outcome.",
                        action=early[0].action_name,
                        day=early[0].date_deadline,
                    )
                )
        return super(
            MailActivity, self.with_context(sale_action_done=_MARKING_DONE)
        )._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def _mark_lag_activity_done(self, feedback):
        """Mark these lag warning activities done: with ``feedback`` (the
        improvement plan of an acknowledgment) as any done activity; without,
        as the weekly check resolves them: archived in one write, with one note
        per record saying so."""
        activities = self.sudo().with_context(sale_action_done=_MARKING_DONE)
        if feedback:
            activities._action_done(feedback=feedback)
            return
        notes = defaultdict(lambda: defaultdict(list))
        for activity in activities:
            notes[activity.res_model][activity.res_id].append(activity)
        for model, per_record in notes.items():
            bodies = {}
            for res_id, done in per_record.items():
                lang = done[0].user_id.lang or self.env.lang
                bodies[res_id] = Markup("<p>%s</p><ul>%s</ul>") % (
                    self.with_context(lang=lang).env._(
                        "Done: the weekly check found these back on track."
                    ),
                    Markup("").join(Markup("<li>%s</li>") % a.summary for a in done),
                )
            self.env[model].sudo().browse(list(bodies))._message_log_batch(bodies)
        activities.write({"active": False})

    def action_done_with_outcome(self):
        """Done from the action plan: first say what came of it (and why now,
        when it is due in a later week)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_regional_target.sale_action_done_action"
        )
        action["context"] = {"default_activity_id": self.id}
        return action

    @api.depends("date_deadline", "action_pack_line_id")
    def _compute_action_bucket(self):
        today = fields.Date.context_today(self)
        for activity in self:
            activity.action_bucket = (
                activity.action_pack_line_id
                and activity.date_deadline
                and bucket(activity.date_deadline, today)
            )

    @api.model
    def _expand_action_buckets(self, values, domain):
        return list(BUCKETS)

    @api.model
    def _refresh_action_buckets(self, today=None):
        """Move every open pack activity to the column of ``today`` in one
        UPDATE (the buckets are relative to the day)."""
        today = today or fields.Date.context_today(self)
        monday = week_start(today)
        self.env.flush_all()
        column = SQL(
            """CASE WHEN date_deadline < %s THEN 'overdue'
                    WHEN date_deadline < %s THEN 'this_week'
                    WHEN date_deadline < %s THEN 'next_week'
                    ELSE 'later' END""",
            today,
            monday + timedelta(days=7),
            monday + timedelta(days=14),
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE mail_activity SET action_bucket = %(column)s
                 WHERE action_pack_line_id IS NOT NULL
                   AND active
                   AND action_bucket IS DISTINCT FROM %(column)s
                """,
                column=column,
            )
        )
        self.invalidate_model(["action_bucket"])
        return self.env.cr.rowcount
