"""The weekly lag check of one company (see ``sale.target.warning``).

Not a model: ``sale.target.warning`` builds a ``WeeklyCheck`` for a company and a
day, hands it the confirmed targets in batches, then lets it check the
salespeople's key actions, resolve what no longer has a subject and send the
digests. Each batch costs the same few queries whatever its size: the figures
come from the targets' stored actuals and one grouped query of the last orders,
the decisions from ``tools.lag_warnings``, and the changes are written grouped
(one create per model, one write per set of equal values, one message create).
"""

import logging
import time
from collections import Counter, defaultdict
from datetime import timedelta

import pandas as pd
import pytz

from odoo import SUPERUSER_ID, fields
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id

from ..queries.lag_warnings import last_order_days_query
from ..tools import lag_warnings as lw
from ..tools import pace
from ..tools.actuals import document_key_rows, owner_last_days
from .cron_isolation import isolated
from .sale_target_warning_figures import FIGURE_FIELDS

_logger = logging.getLogger(__name__)

METRIC_ORDER = ("revenue", "invoiced", "collected", "new_customers")


def hq_users(env, company):
    """The HQ administrators of ``company``, the one chosen in the settings to
    take HQ's warnings first, then the others by seniority."""
    group = env.ref("sale_regional_target.group_target_admin")
    users = (
        env["res.users"]
        .sudo()
        .search(
            [
                ("groups_id", "in", group.id),
                ("share", "=", False),
                ("company_ids", "in", company.id),
                ("id", "!=", SUPERUSER_ID),
            ],
            order="id",
        )
    )
    chosen = env["sale.target.settings.fields"]._hq_user(company)
    first = users & chosen
    return first | (users - first)


def run_due_checks(Warning, batch_size=1000):
    """The scheduled action: the weekly check of every company whose check of
    this week is due (its weekday and hour, in its time zone), a batch of
    targets per call. Returns how many targets are left (the scheduler calls
    again until none are). A company whose check fails outside its batches (its
    settings, its time zone, its digests) is logged and left to the next
    hourly run; the other companies go on. Targets a batch fails on are left
    until next week (``WeeklyCheck.skip_targets``)."""
    Warning = Warning.sudo()
    env = Warning.env
    for company in env["res.company"].search([]):
        check = None
        with isolated(env, "Weekly lag warnings", company):
            today = WeeklyCheck.due_day(Warning, company)
            if today:
                check = WeeklyCheck(Warning, company, today)
                check.batch_size = batch_size
        if not check:
            continue
        # not in a savepoint: a scheduled run commits each batch
        _done, remaining = env["sale.target"]._in_batches(
            check.targets_todo,
            batch_size,
            check.check_targets,
            check.skip_targets,
        )
        if remaining:
            return remaining
        with isolated(env, "Weekly lag warnings", company) as outcome:
            check.finish()
        if not outcome.error:
            _logger.info(
                "Weekly lag warnings of %s, week of %s: %s",
                company.name,
                check.week,
                check.counts,
            )
    return 0


class WeeklyCheck:
    """One company's check of one week."""

    batch_size = 1000
    send_digests = True

    def __init__(self, Warning, company, today, rules=None):
        self.Warning = Warning.sudo()
        self.env = self.Warning.env
        self.company = company
        self.today = today
        self.week = lw.week_start(today)
        self.settings = self.env["sale.target.settings.fields"]._lag_warning_settings(
            company
        )
        enabled = {rule for rule in lw.RULES if self.settings[rule]}
        self.rules = enabled & set(rules) if rules is not None else enabled
        self.counts = Counter()
        self.timings = Counter()
        self._ladders = {}
        self._hq = None
        self._order_rows = None
        self.activity_type = self.env.ref(
            "sale_regional_target.mail_activity_type_lag_warning"
        )

    # ------------------------------------------------------------------
    # When
    # ------------------------------------------------------------------
    @staticmethod
    def due_day(Warning, company, now=None):
        """The company's local day when its check of this week is due now (its
        weekday and hour in its time zone, once a week), else None."""
        settings = Warning.env["sale.target.settings.fields"]._lag_warning_settings(
            company
        )
        tz = pytz.timezone(company.partner_id.tz or "UTC")
        now = now or fields.Datetime.now()
        local = pytz.utc.localize(now).astimezone(tz).replace(tzinfo=None)
        week = lw.check_due(
            local, settings["weekday"], settings["hour"], company.sale_target_lag_week
        )
        return local.date() if week else None

    # ------------------------------------------------------------------
    # Who
    # ------------------------------------------------------------------
    def hq_ids(self):
        if self._hq is None:
            self._hq = hq_users(self.env, self.company).ids
        return self._hq

    def ladder(self, kind, user, team, region):
        """[(role, user id)]: who takes a warning at each level, for a subject
        of ``kind`` (a target level, or ``user`` for a salesperson)."""
        key = (kind, user.id, team.id, region.id)
        if key in self._ladders:
            return self._ladders[key]

        def active(u):
            return [u.id] if u and u.active and not u.share else []

        levels = []
        if kind == "user":
            levels.append((lw.SALESPERSON, active(user)))
        if kind in ("user", "team") and team:
            levels.append((lw.TEAM_LEADER, active(team.user_id)))
        if kind in ("user", "team", "region") and region:
            levels.append((lw.REGION_MANAGER, active(region.manager_id)))
            path = [int(i) for i in (region.parent_path or "").split("/") if i]
            for ancestor in reversed(region.browse(path[:-1])):
                levels.append((lw.PARENT_REGION_MANAGER, active(ancestor.manager_id)))
        levels.append((lw.HQ, self.hq_ids()))
        chain = lw.escalation_chain(levels, self.settings["top"])
        if not chain:
            # nobody at any level (no HQ administrator either): HQ's first
            chain = [(lw.HQ, (self.hq_ids() or [SUPERUSER_ID])[0])]
        self._ladders[key] = chain
        return chain

    def ladder_of_warning(self, warning):
        if warning.rule == lw.ACTIONS:
            return self.ladder(
                "user", warning.user_id, warning.team_id, warning.region_id
            )
        target = warning.target_id
        return self.ladder(
            target.level, target.user_id, target.team_id, target.region_id
        )

    # ------------------------------------------------------------------
    # Targets
    # ------------------------------------------------------------------
    def targets_todo(self):
        """The confirmed targets of the company whose period holds the day and
        that this week's check has not taken yet: it takes them in the order of
        their ids, and remembers the last one it took (``_cursor``), so that
        checking a target writes nothing on it."""
        return [
            ("company_id", "=", self.company.id),
            ("state", "=", "confirmed"),
            ("date_from", "<=", self.today),
            ("date_to", ">=", self.today),
            ("id", ">", self._cursor()),
        ]

    def _cursor(self):
        """The id of the last target this week's check took (0 before any)."""
        week, _sep, last = (self.company.sale_target_lag_cursor or "").partition(":")
        return int(last) if week == self.week.isoformat() and last.isdigit() else 0

    def _move_cursor(self, targets):
        last = max(targets.ids, default=0)
        if last <= self._cursor():
            return
        self.env.cr.execute(
            SQL(
                "UPDATE res_company SET sale_target_lag_cursor = %s WHERE id = %s",
                f"{self.week.isoformat()}:{last}",
                self.company.id,
            )
        )
        self.company.invalidate_recordset(["sale_target_lag_cursor"])

    def skip_targets(self, failed):
        """Targets the check failed on are left until next week, and logged."""
        for target, error in failed:
            _logger.warning(
                "Lag warnings: target %s skipped this week: %s", target.id, error
            )
            self.counts["skipped"] += 1
        self._move_cursor(self.env["sale.target"].union(*(t for t, _e in failed)))

    def _last_orders(self, targets):
        """{target id: local day of its owner's last confirmed order} (the
        company's orders are read once per check)."""
        if self._order_rows is None:
            self.env.flush_all()
            self.env.cr.execute(last_order_days_query(self.company, self.today))
            self._order_rows = document_key_rows(
                pd.DataFrame(
                    self.env.cr.fetchall(),
                    columns=["company", "user", "team", "day", "amount"],
                )
            )
        return owner_last_days(self._order_rows, targets._actuals_owner_keys())

    def _target_figures(self, targets):
        """{target: figures} as of the check's day, from the stored actuals."""
        thresholds, by_working_days = targets._pace_settings()
        last_orders = self._last_orders(targets) if lw.SILENT in self.rules else {}
        result = {}
        for target in targets:
            expected = pace.expected_rate(
                target.date_from, target.date_to, self.today, by_working_days
            )
            derived = pace.figures(
                target.achieved_amount,
                target.amount,
                target.floor_amount,
                target.stretch_amount,
                expected,
                thresholds,
            )
            landing = lw.run_rate_landing(
                target.achieved_amount,
                target.date_from,
                target.date_to,
                self.today,
                by_working_days,
            )
            if target.forecast_date and target.forecast_confidence == "high":
                # the forecast knows the pipeline and the seasons: better than
                # the run-rate, unless it rests on too little history
                landing = target.forecast_amount
            last_order = last_orders.get(target.id)
            result[target] = {
                "metric": target.metric,
                "currency_id": target.currency_id.id,
                "achieved_amount": target.achieved_amount,
                "target_amount": target.amount,
                "floor_amount": target.floor_amount,
                "expected_amount": pace.stored(target.amount * expected / 100.0, 2),
                "achievement_rate": derived["achievement_rate"],
                "expected_rate": derived["expected_rate"],
                "gap_amount": derived["gap_amount"],
                "projected_amount": pace.stored(landing or 0.0, 2),
                "days_without_order": lw.days_without_order(
                    last_order, target.date_from, self.today
                ),
                "last_order_date": last_order or False,
                "_pace": derived["pace_status"],
                "_landing": landing,
            }
        return result

    def _target_lags(self, rule, target, figures):
        rounding = target.currency_id.rounding
        if rule == lw.PACE:
            return target.amount > 0 and lw.pace_lagging(figures["_pace"])
        if rule == lw.FLOOR:
            return lw.floor_in_danger(
                figures["_landing"], target.floor_amount, rounding
            )
        if rule == lw.SILENT:
            return lw.silent(
                figures["last_order_date"] or None,
                target.date_from,
                self.today,
                figures["gap_amount"],
                self.settings["silent_days"],
                rounding,
            )
        return False

    def check_targets(self, targets, refresh=True):
        """Check a batch of confirmed targets: refresh their actuals (unless
        told not to), decide per rule and apply."""
        started = time.perf_counter()
        if refresh:
            self._timed("actuals", targets._refresh_actuals)
        figures = self._target_figures(targets)
        opened = self._open_warnings(
            [("target_id", "in", targets.ids), ("rule", "in", lw.TARGET_RULES)],
            lambda w: (w.rule, w.target_id.id),
        )
        plan = []
        for target in targets:
            subject = {
                "kind": target.level,
                "target": target,
                "user": target.user_id,
                "team": target.team_id,
                "region": target.region_id,
            }
            for rule in lw.TARGET_RULES:
                warning = opened.get((rule, target.id))
                if rule not in self.rules:
                    if warning:
                        plan.append(
                            (
                                lw.RESOLVE,
                                rule,
                                subject,
                                warning,
                                figures[target],
                                "rule_disabled",
                            )
                        )
                    continue
                lagging = self._target_lags(rule, target, figures[target])
                step = lw.next_step(
                    self._state_of(warning), lagging, self.week, self.today
                )
                if step != lw.NOTHING:
                    plan.append(
                        (step, rule, subject, warning, figures[target], "recovered")
                    )
        self.apply(plan)
        self._move_cursor(targets)
        self.timings["targets"] += time.perf_counter() - started

    # ------------------------------------------------------------------
    # Salespeople
    # ------------------------------------------------------------------
    def check_salespeople(self):
        """The key-action rule over the company's salespeople: the last complete
        weeks' completion (the previous week recounted first)."""
        Completion = self.env["sale.action.completion"].sudo()
        required = self.settings["completion_weeks"]
        last_monday = self.week - timedelta(days=7)
        first_monday = self.week - timedelta(days=7 * required)
        opened = self._open_warnings(
            [("rule", "=", lw.ACTIONS)], lambda w: (w.rule, w.user_id.id)
        )
        if lw.ACTIONS not in self.rules:
            self.apply(
                [
                    (
                        lw.RESOLVE,
                        lw.ACTIONS,
                        self._user_subject(w.user_id),
                        w,
                        {},
                        "rule_disabled",
                    )
                    for w in opened.values()
                ]
            )
            return
        # the last complete week may have moved since the last daily recount
        Completion._compute_weeks(
            last_monday, last_monday + timedelta(days=6), self.today
        )
        mondays = [self.week - timedelta(days=7 * n) for n in range(1, required + 1)]
        users = self.env["res.users"].union(
            *(
                user
                for [user] in Completion._read_group(
                    [
                        ("company_id", "=", self.company.id),
                        ("week_start", ">=", first_monday),
                        ("week_start", "<=", last_monday),
                    ],
                    ["user_id"],
                )
            ),
            *(w.user_id for w in opened.values()),
        )
        weeks = Completion._weekly(users, self.company, mondays)
        subjects = self._user_subjects(users)
        plan = []
        for user in users:
            # a week with nothing due is (0, 0): never a lagging week
            counts = [weeks.get((user.id, monday), (0, 0)) for monday in mondays]
            lagging = user.active and lw.completion_lagging(
                counts, self.settings["completion_threshold"], required
            )
            warning = opened.get((lw.ACTIONS, user.id))
            step = lw.next_step(self._state_of(warning), lagging, self.week, self.today)
            if step == lw.NOTHING:
                continue
            (done, base), (done_before, base_before) = (
                counts[0],
                (counts[1] if len(counts) > 1 else (0, 0)),
            )
            figures = {
                "metric": False,
                "currency_id": self.company.currency_id.id,
                "completion_rate": pace.stored(pace.rate(done, base), 1),
                "previous_completion_rate": pace.stored(
                    pace.rate(done_before, base_before), 1
                ),
                "completion_done": done,
                "completion_counted": base,
            }
            plan.append(
                (step, lw.ACTIONS, subjects[user], warning, figures, "recovered")
            )
        self.apply(plan)

    def _user_subject(self, user):
        return self._user_subjects(user)[user]

    def _user_subjects(self, users):
        """{user: subject}: a salesperson with their team in the company (the
        first they sell for) and that team's region; the activity goes on their
        current confirmed target, when they have one."""
        members = (
            self.env["crm.team.member"]
            .sudo()
            .search(
                [
                    ("user_id", "in", users.ids),
                    ("crm_team_id.company_id", "in", (self.company.id, False)),
                ],
                order="create_date, id",
            )
        )
        team_of = {}
        for member in members:
            team_of.setdefault(member.user_id, member.crm_team_id)
        targets = (
            self.env["sale.target"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company.id),
                    ("level", "=", "user"),
                    ("user_id", "in", users.ids),
                    ("state", "=", "confirmed"),
                    ("date_from", "<=", self.today),
                    ("date_to", ">=", self.today),
                ]
            )
        )
        target_of = {}
        for target in targets.sorted(lambda t: (METRIC_ORDER.index(t.metric), t.id)):
            target_of.setdefault(target.user_id, target)
        subjects = {}
        for user in users:
            team = team_of.get(user, self.env["crm.team"])
            subjects[user] = {
                "kind": "user",
                "target": target_of.get(user, self.env["sale.target"]),
                "user": user,
                "team": team,
                "region": team.region_id,
            }
        return subjects

    # ------------------------------------------------------------------
    # Deciding and applying
    # ------------------------------------------------------------------
    def _open_warnings(self, domain, key):
        warnings = self.Warning.search(
            [("company_id", "=", self.company.id), ("state", "!=", "resolved"), *domain]
        )
        return {key(w): w for w in warnings}

    @staticmethod
    def _state_of(warning):
        if not warning:
            return None
        return {
            "last_week": warning.last_week,
            "state": warning.state,
            "plan_date": warning.plan_date,
        }

    def apply(self, plan):
        """Carry out the steps of ``plan`` [(step, rule, subject, warning or
        None, figures, resolution)] with grouped writes."""
        if not plan:
            return
        by_step = defaultdict(list)
        for item in plan:
            by_step[item[0]].append(item)
        weeks = []
        self._raise(by_step[lw.RAISE], weeks)
        self._escalate(by_step[lw.ESCALATE], weeks)
        self._carry(by_step[lw.CARRY], weeks)
        self._resolve(by_step[lw.RESOLVE], weeks)
        self.env["sale.target.warning.week"].sudo().create(weeks)

    @staticmethod
    def _figures(figures):
        return {
            k: v
            for k, v in figures.items()
            if k in FIGURE_FIELDS or k in ("metric", "currency_id")
        }

    def _week_line(self, warning, event, figures, level=None, responsible=None):
        return {
            "warning_id": warning.id,
            "company_id": self.company.id,
            "rule": warning.rule,
            "week_start": self.week,
            "event": event,
            "level": level or warning.level,
            "responsible_id": (responsible or warning.responsible_id.id) or False,
            **self._figures(figures),
        }

    def _raise(self, items, weeks):
        if not items:
            return
        vals_list, subjects = [], []
        for _step, rule, subject, _warning, figures, _res in items:
            role, responsible = self.ladder(
                subject["kind"], subject["user"], subject["team"], subject["region"]
            )[0]
            vals_list.append(
                {
                    "rule": rule,
                    "target_id": subject["target"].id if rule != lw.ACTIONS else False,
                    "user_id": subject["user"].id or False,
                    "team_id": subject["team"].id or False,
                    "region_id": subject["region"].id or False,
                    "company_id": self.company.id,
                    "state": "open",
                    "week_start": self.week,
                    "last_week": self.week,
                    "consecutive_weeks": 1,
                    "level": 1,
                    "is_escalated": False,
                    "responsible_role": role,
                    "responsible_id": responsible,
                    **self._figures(figures),
                }
            )
            subjects.append(subject)
        warnings = self.Warning.with_context(
            tracking_disable=True, mail_create_nolog=True
        ).create(vals_list)
        for warning, (_s, _r, _subj, _w, figures, _res) in zip(
            warnings, items, strict=True
        ):
            weeks.append(self._week_line(warning, "raised", figures))
        self._new_activities(list(zip(warnings, subjects, strict=True)))
        self.counts["raised"] += len(warnings)

    def _escalate(self, items, weeks):
        """One level up the ladder (or kept at its top); an acknowledged warning
        whose plan's date has passed is open again and climbs too."""
        if not items:
            return
        groups = defaultdict(list)
        moved, reopened, tracked = [], [], {}
        for _step, _rule, subject, warning, figures, _res in items:
            ladder = self.ladder(
                subject["kind"], subject["user"], subject["team"], subject["region"]
            )
            level = lw.climb(warning.level, len(ladder))
            role, responsible = ladder[level - 1]
            was_acknowledged = warning.state == "acknowledged"
            changed = responsible != warning.responsible_id.id
            if was_acknowledged:
                event = "reopened"
            else:
                event = "escalated" if changed else "carried"
            vals = {
                "consecutive_weeks": warning.consecutive_weeks + 1,
                "last_week": self.week,
                "level": level,
                "is_escalated": level > 1,
                "responsible_role": role,
                "responsible_id": responsible,
                "state": "open",
            }
            groups[tuple(sorted(vals.items()))].append(warning.id)
            weeks.append(self._week_line(warning, event, figures, level, responsible))
            changes = []
            if changed:
                new_user = self.env["res.users"].browse(responsible)
                changes.append(("responsible_id", warning.responsible_id, new_user))
            if was_acknowledged:
                changes.append(("state", "acknowledged", "open"))
                reopened.append((warning, subject))
            elif changed:
                moved.append((warning, responsible))
            tracked[warning] = changes
            self.counts[event] += 1
        for key, ids in groups.items():
            self.Warning.browse(ids).with_context(tracking_disable=True).write(
                dict(key)
            )
        bodies = {}
        for warning, changes in tracked.items():
            env = self._env_for(warning.responsible_id)
            if changes:
                bodies[warning] = env._(
                    "Week %(weeks)s lagging: given to %(user)s (level %(level)s).",
                    weeks=warning.consecutive_weeks,
                    user=warning.responsible_id.name,
                    level=warning.level,
                )
            else:
                bodies[warning] = env._(
                    "Week %(weeks)s lagging: still with %(user)s, at the top of its "
                    "escalation.",
                    weeks=warning.consecutive_weeks,
                    user=warning.responsible_id.name,
                )
        self._log(bodies, tracked)
        self._move_activities(moved)
        self._new_activities(reopened)

    def _carry(self, items, weeks):
        if not items:
            return
        groups = defaultdict(list)
        for _step, _rule, _subject, warning, figures, _res in items:
            groups[warning.consecutive_weeks + 1].append(warning.id)
            weeks.append(self._week_line(warning, "carried", figures))
        for count, ids in groups.items():
            self.Warning.browse(ids).with_context(tracking_disable=True).write(
                {"consecutive_weeks": count, "last_week": self.week}
            )
        self.counts["carried"] += len(items)

    def _resolve(self, items, weeks):
        """Resolved, with the figures that resolved it; its activity is done."""
        if not items:
            return
        groups = defaultdict(list)
        tracked, bodies = {}, {}
        for _step, _rule, _subject, warning, figures, resolution in items:
            groups[resolution].append(warning.id)
            weeks.append(self._week_line(warning, "resolved", figures))
            tracked[warning] = [("state", warning.state, "resolved")]
            env = self._env_for(warning.responsible_id)
            why = dict(self.Warning._fields["resolution"]._description_selection(env))
            bodies[warning] = env._(
                "Resolved at the check of the week of %(week)s: %(why)s.",
                week=self.week,
                why=why[resolution],
            )
        for resolution, ids in groups.items():
            self.Warning.browse(ids).with_context(tracking_disable=True).write(
                {
                    "state": "resolved",
                    "resolution": resolution,
                    "resolved_week": self.week,
                    "last_week": self.week,
                }
            )
        self._log(bodies, tracked)
        activities = self.Warning.union(*bodies)._open_activities()
        if activities:
            activities._mark_lag_activity_done(None)
        self.counts["resolved"] += len(items)

    # ------------------------------------------------------------------
    # Activities, followers, chatter
    # ------------------------------------------------------------------
    def _env_for(self, user):
        """The environment in ``user``'s language, for what is written to them."""
        lang = (user and user.lang) or self.env.lang or "en_US"
        if lang == self.env.lang:
            return self.env
        return self.env(context=dict(self.env.context, lang=lang))

    def deadline(self):
        """When a warning's activity falls due: the Friday of the check's week,
        or the day itself later in the week."""
        return max(self.today, self.week + timedelta(days=4))

    def _activity_vals(self, warning, record):
        env = self._env_for(warning.responsible_id)
        local = warning.with_env(env)
        return {
            "res_model_id": self.env["ir.model"]._get_id(record._name),
            "res_id": record.id,
            "activity_type_id": self.activity_type.id,
            "user_id": warning.responsible_id.id,
            "date_deadline": self.deadline(),
            "summary": env._("Lag warning: %(name)s", name=local.display_name),
            "note": local._figure_text(warning.rule),
            "lag_warning_id": warning.id,
        }

    def _new_activities(self, pairs):
        """One activity per warning for its responsible, on its target (the
        salesperson's target for the key-action rule, or the warning itself
        when they have none). The responsibles follow the records in bulk
        first: Odoo's activity creation then finds them following."""
        vals_list, follow = [], []
        for warning, subject in pairs:
            record = (
                warning.target_id if warning.rule != lw.ACTIONS else subject["target"]
            ) or warning
            vals_list.append(self._activity_vals(warning, record))
            follow.append((record._name, record.id, warning.responsible_id))
        for model in {m for m, _i, _u in follow}:
            self._subscribe(model, [(i, u) for m, i, u in follow if m == model])
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(vals_list)

    def _assign_activities(self, rows):
        """Give activities [(id, user id)] to their users, with this week's due
        date, in one UPDATE."""
        if not rows:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE mail_activity a
                      SET user_id = v.user_id, date_deadline = %s,
                          write_date = now() AT TIME ZONE 'UTC'
                     FROM unnest(%s::int[], %s::int[]) AS v(id, user_id)
                    WHERE a.id = v.id""",
                self.deadline(),
                [r[0] for r in rows],
                [r[1] for r in rows],
            )
        )
        self.env["mail.activity"].browse([r[0] for r in rows]).invalidate_recordset(
            ["user_id", "date_deadline", "write_date"]
        )

    def _move_activities(self, moves):
        """Give the open activities of escalated warnings to their new
        responsible (the new responsible follows the record)."""
        if not moves:
            return
        warnings = self.Warning.union(*(w for w, _u in moves))
        by_warning = {a.lag_warning_id.id: a for a in warnings._open_activities()}
        rows = []
        follow = defaultdict(list)
        for warning, responsible in moves:
            activity = by_warning.get(warning.id)
            if not activity:
                continue
            rows.append((activity.id, responsible))
            follow[activity.res_model].append(
                (activity.res_id, self.env["res.users"].browse(responsible))
            )
        for model, pairs in follow.items():
            self._subscribe(model, pairs)
        self._assign_activities(rows)
        missing = [w for w, _u in moves if w.id not in by_warning]
        if missing:
            # an activity done by hand meanwhile: a new one for the new responsible
            self._new_activities([(w, self._subject_of(w)) for w in missing])

    def _subject_of(self, warning):
        if warning.rule == lw.ACTIONS:
            return self._user_subject(warning.user_id)
        return {"target": warning.target_id}

    def _subscribe(self, model, pairs):
        """Make each user of ``pairs`` [(record id, user)] a follower of the
        record's discussions, in bulk (the activity brings them there)."""
        self.Warning._subscribe_in_bulk(
            model,
            [(res_id, user.partner_id) for res_id, user in pairs if user],
            self.env.ref("mail.mt_comment"),
        )

    def _log(self, bodies, tracked=None):
        """One note per warning (and the tracked changes), in one create."""
        if not bodies:
            return
        tracked = tracked or {}
        Tracking = self.env["mail.tracking.value"].sudo()
        fields_info = self.Warning.fields_get(["state", "responsible_id"])
        author, email_from = self.Warning._message_compute_author(
            self.env.ref("base.partner_root").id, None, raise_on_email=False
        )
        # what Odoo's batch log sets once for all (no alias nor reply-to per record)
        base = {
            "model": self.Warning._name,
            "author_id": author,
            "email_from": email_from,
            "message_type": "notification",
            "subtype_id": self.env.ref("mail.mt_note").id,
            "is_internal": True,
            "record_alias_domain_id": False,
            "record_company_id": False,
            "record_name": False,
            "email_add_signature": False,
            "reply_to": self.env["mail.thread"]._notify_get_reply_to(
                default=email_from
            )[False],
        }
        items = list(bodies.items())
        messages = (
            self.env["mail.message"]
            .sudo()
            .create(
                [
                    dict(
                        base,
                        res_id=warning.id,
                        body=body,
                        message_id=generate_tracking_message_id("message-notify"),
                    )
                    for warning, body in items
                ]
            )
        )
        # the tracked changes of all messages in one create (through each
        # message's lines, Odoo would insert them message by message)
        Tracking.create(
            [
                dict(
                    Tracking._create_tracking_values(
                        old, new, name, fields_info[name], warning
                    ),
                    mail_message_id=message.id,
                )
                for (warning, _body), message in zip(items, messages, strict=True)
                for name, old, new in tracked.get(warning, ())
            ]
        )

    # ------------------------------------------------------------------
    # End of the week's check
    # ------------------------------------------------------------------
    def resolve_without_subject(self):
        """Open warnings of targets this week's check no longer takes (closed
        or reset, or their period over) are resolved, saying why."""
        warnings = self.Warning.search(
            [
                ("company_id", "=", self.company.id),
                ("state", "!=", "resolved"),
                ("rule", "in", lw.TARGET_RULES),
                "|",
                ("last_week", "=", False),
                ("last_week", "<", self.week),
            ]
        )
        plan = []
        for warning in warnings:
            target = warning.target_id
            if target.state != "confirmed":
                resolution = "target_closed"
            elif target.date_to < self.today:
                resolution = "period_ended"
            elif warning.rule not in self.rules:
                resolution = "rule_disabled"
            else:
                # still to be checked by a batch: not this one's to decide
                continue
            plan.append(
                (
                    lw.RESOLVE,
                    warning.rule,
                    {"target": target},
                    warning,
                    self._last_figures(warning),
                    resolution,
                )
            )
        self.apply(plan)

    def _last_figures(self, warning):
        """The figures of a warning's last checked week (nothing new to measure)."""
        line = warning._latest_weeks().get(warning, (None, None))[0] or warning
        return {name: line[name] for name in (*FIGURE_FIELDS, "metric")} | {
            "currency_id": line.currency_id.id
        }

    def finish(self):
        """After the last batch of targets: salespeople, warnings without a
        subject, the digests, and the week marked as checked."""
        if (
            self.company.sale_target_lag_week
            and self.company.sale_target_lag_week >= self.week
        ):
            return
        self._timed("salespeople", self.check_salespeople)
        self._timed("without subject", self.resolve_without_subject)
        if self.send_digests:
            self._timed(
                "digests",
                lambda: (
                    self.env["sale.target.warning.digest"].sudo()._send_digests(self)
                ),
            )
        self.company.sudo().sale_target_lag_week = self.week

    def _timed(self, phase, func):
        """Run ``func``, adding its seconds to ``timings[phase]`` (the benchmark
        prints them; the log of the scheduled action too)."""
        started = time.perf_counter()
        try:
            return func()
        finally:
            self.timings[phase] += time.perf_counter() - started

    def summary_text(self):
        env = self.env
        return env._(
            "Weekly check of the week of %(week)s: %(raised)s raised, %(escalated)s "
            "escalated, %(resolved)s resolved, %(carried)s carried.",
            week=self.week,
            raised=self.counts["raised"],
            escalated=self.counts["escalated"] + self.counts["reopened"],
            resolved=self.counts["resolved"],
            carried=self.counts["carried"],
        )
