from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import completion
from ..tools.action_plan import week_start, weeks_between


class SaleActionCompletion(models.Model):
    """Key action completion of one salesperson in one week (关键动作达成率).

    Written only from ``tools.completion`` (what counts in a week, what is done
    on time) and read only through :meth:`_weekly`: the board, the war room,
    the lag warning and the review show the same figure. Recounted when a key
    action is done and every day for the recent weeks.
    """

    _name = "sale.action.completion"
    _inherit = ["sale.target.guard.mixin"]
    _description = "Action Completion"
    _order = "week_start desc, user_id"
    _rec_name = "week_start"

    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, index=True
    )
    team_id = fields.Many2one(
        "crm.team", related="user_id.sale_team_id", store=True, string="Sales Team"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    week_start = fields.Date(string="Week", required=True, index=True)
    due_count = fields.Integer(
        string="Due",
        aggregator="sum",
        help="Key actions due in the week (in the week in progress: due by today, "
        "or already done).",
    )
    done_count = fields.Integer(
        string="Done",
        aggregator="sum",
        help="Key actions due in the week and done by its end.",
    )
    done_on_time_count = fields.Integer(string="Done on Time", aggregator="sum")
    done_late_count = fields.Integer(
        string="Done Late",
        aggregator="sum",
        help="Due in the week, done after it: not counted as done.",
    )
    done_early_count = fields.Integer(
        string="Done Early",
        aggregator="sum",
        help="Due in the week, done before it started.",
    )
    missed_count = fields.Integer(
        string="Missed",
        aggregator="sum",
        help="Due in the week and not done by its end.",
    )
    base_count = fields.Integer(
        string="Counted",
        aggregator="sum",
        help="The key actions due in the week: the rate's base.",
    )
    rate = fields.Float(
        string="Completion (%)",
        aggregator="avg",
        digits=(16, 1),
        help="Key actions due in the week and done by its end, over those due.",
    )

    _sql_constraints = [
        (
            "user_week_unique",
            "unique(user_id, company_id, week_start)",
            "One completion figure per salesperson, company and week.",
        ),
    ]

    @api.model
    def read_group(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        """A group's rate is its done actions over its counted ones (a team's
        week, a salesperson's month), not an average of weekly rates."""
        if "rate" not in {spec.split(":")[0] for spec in fields}:
            return super().read_group(
                domain, fields, groupby, offset, limit, orderby, lazy
            )
        # the counts in the same grouped query
        extra = ["__srt_done:sum(done_count)", "__srt_base:sum(base_count)"]
        groups = super().read_group(
            domain, [*fields, *extra], groupby, offset, limit, orderby, lazy
        )
        for group in groups:
            done = group.pop("__srt_done", None) or 0
            base = group.pop("__srt_base", None) or 0
            group["rate"] = round(100.0 * done / base, 1) if base else False
        return groups

    def _compute_display_name(self):
        for record in self:
            record.display_name = self.env._(
                "%(user)s, week of %(week)s",
                user=record.user_id.name,
                week=record.week_start,
            )

    @api.model
    def _key_actions(self, first, last, users=None):
        """[((user, company), deadline, done day or None, count)] of the key
        pack actions due from ``first`` to ``last``, of ``users`` only when
        given: one grouped query."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT a.user_id, l.company_id, a.date_deadline,
                       CASE WHEN a.active THEN NULL ELSE a.date_done END,
                       COUNT(*)
                  FROM mail_activity a
                  JOIN sale_action_pack_line l ON l.id = a.action_pack_line_id
                 WHERE a.action_key
                   AND a.user_id IS NOT NULL
                   %(of_users)s
                   AND a.date_deadline BETWEEN %(first)s AND %(last)s
                 GROUP BY 1, 2, 3, 4
                """,
                first=first,
                last=last,
                of_users=SQL("AND a.user_id IN %s", tuple(users.ids))
                if users
                else SQL(),
            )
        )
        return [
            ((user, company), deadline, done, count)
            for user, company, deadline, done, count in self.env.cr.fetchall()
        ]

    @api.model
    def _compute_weeks(self, first, last, today=None, users=None):
        """Recount the weeks from ``first`` to ``last`` (of ``users`` only when
        given) and store them: rows are updated in place, created where new and
        removed where nothing is counted any more."""
        today = today or fields.Date.context_today(self)
        weeks = weeks_between(first, last)
        start, stop = weeks[0], weeks[-1] + timedelta(days=6)
        figures = completion.weekly(self._key_actions(start, stop, users), today)
        domain = [("week_start", ">=", start), ("week_start", "<=", stop)]
        if users:
            domain.append(("user_id", "in", users.ids))
        existing = {
            (r.user_id.id, r.company_id.id, r.week_start): r
            for r in self.sudo().search(domain)
        }
        to_create = []
        for ((user, company), monday), week in figures.items():
            vals = {
                "due_count": week.counted,
                "done_count": week.done,
                "done_on_time_count": week.done,
                "done_late_count": week.done_late,
                "done_early_count": week.done_early,
                "missed_count": week.missed,
                "base_count": week.counted,
                "rate": completion.rate(week.done, week.counted),
            }
            key = (user, company, monday)
            record = existing.pop(key, None)
            if record is None:
                to_create.append(
                    dict(vals, user_id=user, company_id=company, week_start=monday)
                )
            elif any(record[f] != v for f, v in vals.items()):
                record.write(vals)
        self.sudo().create(to_create)
        self.sudo().concat(*existing.values()).unlink()
        return len(figures)

    @api.model
    def _weekly(self, users, company, mondays):
        """{(user id, Monday): (done, counted)} of ``users`` in ``company`` for
        the weeks of ``mondays``, as the reader may see them (one grouped
        read): the one reader of the weekly key-action rate. A week missing
        had nothing due (see ``tools.completion``)."""
        return {
            (user.id, week): (done, counted)
            for user, week, done, counted in self._read_group(
                [
                    ("user_id", "in", users.ids),
                    ("company_id", "=", company.id),
                    ("week_start", "in", list(mondays)),
                ],
                ["user_id", "week_start:day"],
                ["done_count:sum", "base_count:sum"],
            )
        }

    @api.model
    def _figure(self, done, counted, threshold):
        """A week's figure as every screen shows it: the rate, or "nothing
        due" (never 0 %), and whether it is below ``threshold``."""
        return {
            "done": done,
            "counted": counted,
            "rate": completion.rate(done, counted),
            "status": completion.status(done, counted, threshold),
        }

    @api.model
    def get_my_summary(self):
        """The current user's key-action completion, this week so far and last
        week, for the top of their action plan: what the war room shows."""
        today = fields.Date.context_today(self)
        monday = week_start(today)
        last_monday = monday - timedelta(days=7)
        threshold = self.env["sale.target.warning"]._lag_settings()[
            "completion_threshold"
        ]
        weeks = self._weekly(self.env.user, self.env.company, [last_monday, monday])
        this, last = (
            self._figure(*weeks.get((self.env.user.id, day), (0, 0)), threshold)
            for day in (monday, last_monday)
        )
        for week in (this, last):
            # nothing due: no rate ("nothing due" on the board)
            week["rate"] = week.pop("status") != completion.NOTHING_DUE and week["rate"]
        trend = False
        if this["rate"] is not False and last["rate"] is not False:
            trend = (
                "up"
                if this["rate"] > last["rate"]
                else "down"
                if this["rate"] < last["rate"]
                else "flat"
            )
        return {"this_week": this, "last_week": last, "trend": trend}

    @api.model
    def _compute_recent_weeks(self, today=None):
        """This week and the previous one (an action can still be done)."""
        today = today or fields.Date.context_today(self)
        monday = week_start(today)
        return self._compute_weeks(monday - timedelta(days=7), today, today)


# what moves a key action from one week's figure to another's
COUNTED_FIELDS = {
    "date_deadline",
    "user_id",
    "active",
    "date_done",
    "action_key",
    "action_pack_line_id",
}


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _completion_keys(self):
        return [
            (a.user_id, a.date_deadline)
            for a in self.sudo().with_context(active_test=False)
            if a.action_key and a.action_pack_line_id and a.user_id and a.date_deadline
        ]

    def _recount_completion(self, keys):
        """A key action planned, moved, done or removed counts at once, in
        its own week, wherever its rate is read."""
        if not keys:
            return
        users = self.env["res.users"].union(*(user for user, _day in keys))
        days = [day for _user, day in keys]
        self.env["sale.action.completion"].sudo()._compute_weeks(
            min(days), max(days), users=users
        )

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        activities._recount_completion(activities._completion_keys())
        return activities

    def write(self, vals):
        if not COUNTED_FIELDS & set(vals):
            return super().write(vals)
        before = self._completion_keys()
        result = super().write(vals)
        self._recount_completion(before + self._completion_keys())
        return result

    def unlink(self):
        keys = self._completion_keys()
        result = super().unlink()
        self._recount_completion(keys)
        return result
