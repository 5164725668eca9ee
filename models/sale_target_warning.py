import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import lag_warnings
from .lag_warning_check import WeeklyCheck, hq_users, run_due_checks

_logger = logging.getLogger(__name__)

RULE_SELECTION = [
    (lag_warnings.PACE, "Behind Pace"),
    (lag_warnings.FLOOR, "Floor in Danger"),
    (lag_warnings.ACTIONS, "Key Actions"),
    (lag_warnings.SILENT, "Silent"),
]
ROLE_SELECTION = [
    (lag_warnings.SALESPERSON, "Salesperson"),
    (lag_warnings.TEAM_LEADER, "Team Leader"),
    (lag_warnings.REGION_MANAGER, "Regional Manager"),
    (lag_warnings.PARENT_REGION_MANAGER, "Parent Region Manager"),
    (lag_warnings.HQ, "HQ"),
]
# How far ahead an improvement plan may run: until its date, the warning is not
# escalated.
PLAN_DAYS = 92
RESOLUTIONS = [
    ("recovered", "Back on Track"),
    ("period_ended", "Period Ended"),
    ("target_closed", "Target No Longer Confirmed"),
    ("rule_disabled", "Rule Switched Off"),
]


class SaleTargetWarning(models.Model):
    """A lag warning (预警): one rule found one subject lagging at a weekly check.

    The subject is a confirmed target (pace, floor in danger, silent) or a
    salesperson (key actions). At most one warning per rule and subject is open
    (or acknowledged) at a time; the weekly check raises it, carries it, climbs
    it one level of the escalation ladder each further week, and resolves it
    the first week the subject no longer lags (see ``lag_warning_check``).
    Everything here is written by the system, but the improvement plan, which
    the responsible gives when acknowledging.
    """

    _name = "sale.target.warning"
    _description = "Lag Warning"
    _inherit = [
        "sale.target.warning.figures",
        "sale.target.guard.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "week_start desc, level desc, id desc"
    _rec_names_search = ["target_id.name", "user_id.name"]
    # whoever reads a warning may discuss it
    _mail_post_access = "read"

    rule = fields.Selection(RULE_SELECTION, required=True, index=True, readonly=True)
    target_id = fields.Many2one(
        "sale.target",
        string="Target",
        index=True,
        ondelete="cascade",
        readonly=True,
        help="The confirmed target that lags (pace, floor and silent rules).",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        readonly=True,
        help="The salesperson the warning is about: the owner of a salesperson "
        "target, or the salesperson whose key actions lag.",
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", index=True, readonly=True
    )
    region_id = fields.Many2one(
        "sale.region", string="Region", index=True, readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    state = fields.Selection(
        [
            ("open", "Open"),
            ("acknowledged", "Acknowledged"),
            ("resolved", "Resolved"),
        ],
        default="open",
        required=True,
        index=True,
        tracking=True,
        readonly=True,
        group_expand="_expand_states",
    )
    resolution = fields.Selection(RESOLUTIONS, readonly=True)
    week_start = fields.Date(
        string="Raised Week",
        required=True,
        index=True,
        readonly=True,
        help="The Monday of the week the subject first lagged.",
    )
    last_week = fields.Date(
        string="Last Checked Week",
        readonly=True,
        help="The Monday of the last weekly check that saw this warning.",
    )
    resolved_week = fields.Date(string="Resolved Week", readonly=True, index=True)
    consecutive_weeks = fields.Integer(
        string="Weeks Lagging",
        readonly=True,
        default=1,
        help="Weekly checks in a row that found the subject lagging.",
    )
    level = fields.Integer(
        string="Escalation Level",
        readonly=True,
        default=1,
        help="1 is the subject's own owner; each further week lagging climbs one "
        "level of its escalation ladder.",
    )
    is_escalated = fields.Boolean(string="Escalated", readonly=True, index=True)
    responsible_role = fields.Selection(
        ROLE_SELECTION, string="Responsible As", readonly=True
    )
    responsible_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        tracking=True,
        readonly=True,
        help="Who must act on this warning now.",
    )
    responsible_user_ids = fields.Many2many(
        "res.users",
        string="Responsible Now and Before",
        compute="_compute_responsible_user_ids",
        help="Everyone the warning was given to, week by week: who had it before "
        "keeps reading it.",
    )
    week_ids = fields.One2many(
        "sale.target.warning.week", "warning_id", string="Weeks", readonly=True
    )
    plan_action = fields.Text(
        string="Improvement Plan",
        readonly=True,
        help="What will be done to close the gap, given when the "
        "warning is acknowledged.",
    )
    plan_user_id = fields.Many2one(
        "res.users", string="Plan Owner", readonly=True, help="Who carries the plan."
    )
    plan_date = fields.Date(
        string="Plan Due",
        readonly=True,
        help="By when the plan is to work: until then, a warning still lagging "
        "is carried without climbing.",
    )
    acknowledged_by_id = fields.Many2one(
        "res.users", string="Acknowledged By", readonly=True
    )
    acknowledged_date = fields.Datetime(string="Acknowledged On", readonly=True)
    summary = fields.Char(
        compute="_compute_summary",
        help="What the last weekly check found, in a line.",
    )
    user_can_acknowledge = fields.Boolean(
        string="May Acknowledge", compute="_compute_user_can_acknowledge"
    )
    in_my_scope = fields.Boolean(
        string="In My Scope",
        compute="_compute_in_my_scope",
        search="_search_in_my_scope",
        help="The warning is about the current user, a team they lead or a "
        "region they manage (all warnings for HQ).",
    )

    _sql_constraints = [
        (
            "subject_check",
            "CHECK((rule = 'actions' AND user_id IS NOT NULL) "
            "OR (rule != 'actions' AND target_id IS NOT NULL))",
            "A lag warning is about a target, or a salesperson for the key action "
            "rule.",
        ),
    ]

    def init(self):
        # at most one open warning per rule and subject, held by the database
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS sale_target_warning_open_subject_uniq
                ON sale_target_warning (rule, company_id,
                                        COALESCE(target_id, 0), COALESCE(user_id, 0))
             WHERE state != 'resolved'
            """
        )

    def _check_user_values(self, vals, creating=False):
        # only the weekly check writes warnings, as superuser, with figures it
        # computed itself: nothing of a user's to check (thousands a week)
        if self.env.su:
            return
        super()._check_user_values(vals, creating=creating)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.model
    def _expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    @api.depends("rule", "target_id", "user_id")
    @api.depends_context("lang")
    def _compute_display_name(self):
        rules = dict(self._fields["rule"]._description_selection(self.env))
        for warning in self:
            subject = (
                warning.sudo().target_id.display_name
                if warning.rule != lag_warnings.ACTIONS
                else warning.sudo().user_id.name
            )
            warning.display_name = f"{rules.get(warning.rule, '')} · {subject or ''}"

    def _latest_weeks(self):
        """{warning: (latest week, the one before)} of these warnings."""
        weeks = {}
        for line in self.week_ids.sorted(lambda w: (w.warning_id.id, w.week_start)):
            previous = weeks.get(line.warning_id, (None, None))[0]
            weeks[line.warning_id] = (line, previous)
        return weeks

    @api.depends("week_ids", "rule")
    @api.depends_context("lang")
    def _compute_summary(self):
        latest = self._latest_weeks()
        for warning in self:
            line = latest.get(warning, (None, None))[0]
            warning.summary = (line or warning)._figure_text(warning.rule)

    @api.depends("week_ids.responsible_id")
    def _compute_responsible_user_ids(self):
        for warning in self:
            warning.responsible_user_ids = warning.sudo().week_ids.responsible_id

    def _compute_user_can_acknowledge(self):
        for warning in self:
            warning.user_can_acknowledge = (
                warning.state == "open" and warning._may_acknowledge()
            )

    @api.depends_context("uid")
    def _compute_in_my_scope(self):
        mine = self.search([("id", "in", self.ids), ("in_my_scope", "=", True)])
        for warning in self:
            warning.in_my_scope = warning in mine

    def _search_in_my_scope(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on “In My Scope”."))
        user = self.env.user
        if user.has_group("sale_regional_target.group_target_admin"):
            domain = [(1, "=", 1)]
        else:
            domain = [
                "|",
                "|",
                ("user_id", "=", user.id),
                ("team_id.user_id", "=", user.id),
                ("region_id.manager_user_ids", "in", user.id),
            ]
        positive = (operator == "=") == value
        return domain if positive else ["!", *domain]

    # ------------------------------------------------------------------
    # Acknowledging
    # ------------------------------------------------------------------
    def _may_acknowledge(self):
        """The current responsible, whoever is above them on the warning's
        ladder, and HQ acknowledge a warning."""
        self.ensure_one()
        user = self.env.user
        if self.env.su or user.has_group("sale_regional_target.group_target_admin"):
            return True
        if user == self.responsible_id:
            return True
        check = WeeklyCheck(self.sudo(), self.company_id, fields.Date.today())
        ladder = check.ladder_of_warning(self.sudo())
        above = [uid for _role, uid in ladder[self.level :]]
        return user.id in above

    def _acknowledge(self, what, who, when):
        """Acknowledge with an improvement plan: what will be done, who carries
        it and by when. The warning's activity is marked done with the plan."""
        self.check_access("read")
        # Two acknowledgements at the same moment: the first holds the warning
        # until it is committed, the second is told so; the state is read again
        # once locked.
        self.sudo()._lock_for_update(
            self.env._(
                "Someone else is acknowledging “%(name)s” right now: reload it in a "
                "moment to see their improvement plan.",
                name=self[:1].display_name,
            )
        )
        for warning in self:
            if warning.state == "acknowledged":
                raise UserError(
                    self.env._(
                        "“%(name)s” has already been acknowledged by %(user)s: "
                        "reload it to see their improvement plan.",
                        name=warning.display_name,
                        user=warning.sudo().acknowledged_by_id.name,
                    )
                )
            if warning.state != "open":
                raise UserError(
                    self.env._(
                        "“%(name)s” is not open: only an open warning is acknowledged.",
                        name=warning.display_name,
                    )
                )
            if not warning._may_acknowledge():
                raise AccessError(
                    self.env._(
                        "“%(name)s” is for %(responsible)s to acknowledge (or someone "
                        "above them, or HQ).",
                        name=warning.display_name,
                        responsible=warning.responsible_id.name,
                    )
                )
        today = fields.Date.context_today(self)
        if not (what or "").strip():
            raise UserError(
                self.env._("Say what will be done: the improvement plan is required.")
            )
        if not who:
            raise UserError(self.env._("Say who carries the improvement plan."))
        carrier = who.sudo()
        for warning in self:
            # an active colleague of the warning's company, not a customer's
            # portal account
            if (
                carrier.share
                or not carrier.active
                or warning.company_id not in carrier.company_ids
            ):
                raise UserError(
                    self.env._(
                        "%(user)s cannot carry the improvement plan: choose an "
                        "active colleague of %(company)s.",
                        user=carrier.name,
                        company=warning.company_id.name,
                    )
                )
        if not when:
            raise UserError(self.env._("Say by when the improvement plan is to work."))
        if when < today:
            raise UserError(
                self.env._(
                    "The plan's date (%(day)s) is already past: give a day from "
                    "today on.",
                    day=when,
                )
            )
        latest = today + timedelta(days=PLAN_DAYS)
        if when > latest:
            # a plan holds the escalation until its date: not for ever
            raise UserError(
                self.env._(
                    "An improvement plan runs for a quarter at most: give a day "
                    "until %(latest)s, and acknowledge again with a new plan if "
                    "it needs longer.",
                    latest=latest,
                )
            )
        plan = what.strip()
        self.sudo().write(
            {
                "state": "acknowledged",
                "plan_action": plan,
                "plan_user_id": who.id,
                "plan_date": when,
                "acknowledged_by_id": self.env.user.id,
                "acknowledged_date": fields.Datetime.now(),
            }
        )
        feedback = self.env._(
            "Acknowledged with an improvement plan: %(plan)s (%(who)s, by %(when)s)",
            plan=plan,
            who=who.name,
            when=when,
        )
        for warning in self:
            warning.sudo().message_post(
                body=Markup("<p>%s</p>") % feedback, subtype_xmlid="mail.mt_note"
            )
        self.sudo()._open_activities()._mark_lag_activity_done(feedback)
        return True

    def action_acknowledge(self):
        """Open the dialog that asks for the improvement plan."""
        self.ensure_one()
        if not self._may_acknowledge():
            raise AccessError(
                self.env._(
                    "“%(name)s” is for %(responsible)s to acknowledge (or someone "
                    "above them, or HQ).",
                    name=self.display_name,
                    responsible=self.responsible_id.name,
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_regional_target.sale_target_warning_acknowledge_action"
        )
        action["context"] = {"default_warning_id": self.id}
        return action

    def _open_activities(self):
        return (
            self.env["mail.activity"]
            .sudo()
            .search([("lag_warning_id", "in", self.ids), ("active", "=", True)])
        )

    def action_open_subject(self):
        """The target the warning is about (or the salesperson's completion)."""
        self.ensure_one()
        if self.target_id:
            return {
                "type": "ir.actions.act_window",
                "res_model": "sale.target",
                "res_id": self.target_id.id,
                "view_mode": "form",
                "views": [(False, "form")],
            }
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_regional_target.sale_action_completion_action"
        )
        action["domain"] = [
            ("user_id", "=", self.user_id.id),
            ("company_id", "=", self.company_id.id),
        ]
        return action

    # ------------------------------------------------------------------
    # The weekly check
    # ------------------------------------------------------------------
    @api.model
    def _lag_settings(self):
        """The rules' switches and thresholds (Settings → Sales Targets → Lag
        Warnings)."""
        return self.env["sale.target.settings.fields"]._lag_warning_settings()

    @api.model
    def _run_weekly_check(self, company, today, refresh=True, rules=None, digests=True):
        """The whole weekly check of ``company`` as of ``today``: every target
        batch, then the salespeople, the warnings left without a subject and the
        digests (unless told not to send them). Idempotent within a week.
        Returns the check (its counts)."""
        check = WeeklyCheck(self.sudo(), company, today, rules=rules)
        check.send_digests = digests
        Target = self.env["sale.target"].sudo()
        Target._in_batches(
            check.targets_todo,
            check.batch_size,
            lambda batch: check.check_targets(batch, refresh=refresh),
            check.skip_targets,
        )
        check.finish()
        return check

    @api.model
    def _cron_weekly_lag_warnings(self, batch_size=1000):
        """Run the weekly check of every company whose check of this week is due
        (its weekday and hour, in its time zone), a batch of targets per call:
        the progress tells the scheduler to call again until all are done."""
        return run_due_checks(self, batch_size)

    def action_run_weekly_check(self):
        """HQ: run this week's check now (a second run changes nothing)."""
        if not self.env.user.has_group("sale_regional_target.group_target_admin"):
            raise AccessError(self.env._("Only HQ runs the weekly check by hand."))
        company = self.env.company
        check = self._run_weekly_check(company, fields.Date.context_today(self))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": check.summary_text(),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _hq_users(self, company):
        return hq_users(self.env, company)
