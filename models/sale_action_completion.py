from datetime import timedelta

import pandas as pd

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.action_plan import completion_by_week, week_start, weeks_between


class SaleActionCompletion(models.Model):
    """Key action completion of one salesperson in one week (关键动作达成率).

    Stored per week so that later checks (lag warnings) and reports read it
    without recounting. See ``tools.action_plan`` for how late and early actions
    count.
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
    due_count = fields.Integer(string="Due", aggregator="sum")
    done_count = fields.Integer(string="Done", aggregator="sum")
    done_on_time_count = fields.Integer(string="Done on Time", aggregator="sum")
    done_late_count = fields.Integer(string="Done Late", aggregator="sum")
    done_early_count = fields.Integer(string="Done Early", aggregator="sum")
    missed_count = fields.Integer(string="Missed", aggregator="sum")
    base_count = fields.Integer(
        string="Counted",
        aggregator="sum",
        help="Due in the week, plus done in the week while due another week.",
    )
    rate = fields.Float(
        string="Completion (%)",
        aggregator="avg",
        digits=(16, 1),
        help="Done over counted, in percent.",
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
        """Key pack actions due or done from ``first`` to ``last`` (one query),
        of ``users`` only when given."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT a.user_id, l.company_id, a.date_deadline,
                       CASE WHEN a.active THEN NULL ELSE a.date_done END
                  FROM mail_activity a
                  JOIN sale_action_pack_line l ON l.id = a.action_pack_line_id
                 WHERE a.action_key
                   AND a.user_id IS NOT NULL
                   %(of_users)s
                   AND ((a.date_deadline BETWEEN %(first)s AND %(last)s)
                        OR (NOT a.active
                            AND a.date_done BETWEEN %(first)s AND %(last)s))
                """,
                first=first,
                last=last,
                of_users=SQL("AND a.user_id IN %s", tuple(users.ids))
                if users
                else SQL(),
            )
        )
        return pd.DataFrame(
            self.env.cr.fetchall(), columns=["user", "company", "deadline", "done"]
        )

    @api.model
    def _compute_weeks(self, first, last, today=None):
        """Recount the weeks from ``first`` to ``last`` and store them: rows are
        updated in place, created where new and removed where nothing is left.
        In the week in progress, what falls due after today is not counted yet."""
        today = today or fields.Date.context_today(self)
        weeks = weeks_between(first, last)
        start, stop = weeks[0], weeks[-1] + timedelta(days=6)
        figures = completion_by_week(self._key_actions(start, stop), weeks, today)
        existing = {
            (r.user_id.id, r.company_id.id, r.week_start): r
            for r in self.sudo().search(
                [("week_start", ">=", start), ("week_start", "<=", stop)]
            )
        }
        to_create = []
        for row in figures.itertuples(index=False):
            vals = {
                "due_count": int(row.due),
                "done_count": int(row.done),
                "done_on_time_count": int(row.done_on_time),
                "done_late_count": int(row.done_late),
                "done_early_count": int(row.done_early),
                "missed_count": int(row.missed),
                "base_count": int(row.base),
                "rate": round(100.0 * float(row.rate), 1),
            }
            key = (int(row.user), int(row.company), row.week)
            record = existing.pop(key, None)
            if record is None:
                to_create.append(
                    dict(vals, user_id=key[0], company_id=key[1], week_start=key[2])
                )
            elif any(record[f] != v for f, v in vals.items()):
                record.write(vals)
        self.sudo().create(to_create)
        self.sudo().concat(*existing.values()).unlink()
        return len(figures)

    @api.model
    def get_my_summary(self):
        """The current user's key-action completion, this week so far and last
        week, counted now (the stored weeks are recounted daily), for the top
        of their action plan."""
        today = fields.Date.context_today(self)
        monday = week_start(today)
        last_monday = monday - timedelta(days=7)
        figures = completion_by_week(
            self._key_actions(last_monday, today, self.env.user),
            [last_monday, monday],
            today,
        )
        figures = figures[figures["company"] == self.env.company.id]

        def week(day):
            row = figures[figures["week"] == day]
            if row.empty:
                return {"done": 0, "counted": 0, "rate": False}
            done, base = int(row["done"].sum()), int(row["base"].sum())
            return {
                "done": done,
                "counted": base,
                "rate": round(100.0 * done / base) if base else False,
            }

        this, last = week(monday), week(last_monday)
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
        """This week and the previous one (a late action can still be done)."""
        today = today or fields.Date.context_today(self)
        monday = week_start(today)
        return self._compute_weeks(monday - timedelta(days=7), today, today)
