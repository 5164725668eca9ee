from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.actions import BUCKETS, bucket, week_start

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
