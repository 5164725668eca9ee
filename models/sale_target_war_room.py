from datetime import timedelta

import pandas as pd
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from ..tools import pace, war_room
from ..tools.actuals import owner_sums
from ..tools.lag_warnings import week_start
from ..tools.periods import month_start
from .sale_customer_lifecycle import STAGES
from .sale_target import METRICS
from .sale_target_guard_mixin import _INT_MAX

LEVEL_RANK = {"company": 0, "region": 1, "team": 2, "user": 3}
TILE_FIELDS = [
    "name",
    "owner_name",
    "level",
    "state",
    "date_from",
    "date_to",
    "amount",
    "achieved_amount",
    "forecast_amount",
    "forecast_low",
    "forecast_high",
    "forecast_date",
    "parent_id",
]
GAPS = 10
CHOICES = 500
PLANS = 5


def _one_of(value, choices):
    """Whether ``value`` sent by a client is one of ``choices`` (texts, or
    False): a list, a dict or a number never is, and is never hashed."""
    return isinstance(value, str | bool) and value in choices


def _shown(value):
    """A value a client sent, as a refusal may quote it."""
    return str(value)[:40]


class SaleTargetWarRoom(models.AbstractModel):
    """The data of the war room (作战室): one call returns every panel of one
    scope, read as the user (the record rules decide what is in it), with grouped
    reads whatever the number of tiles."""

    _name = "sale.target.war.room"
    _description = "Sales Targets War Room"

    @api.model
    def get_data(self, metric=False, target_id=False, period="target"):
        """The war room of ``target_id`` (default: the user's own current target
        of ``metric``, HQ's company target) over ``period`` (this month, quarter,
        calendar year or the target's period). Without a metric, the first whose
        target has sub-targets, else the first with a target."""
        today = fields.Date.context_today(self)
        target_id = self._target_id(target_id)
        if not metric and target_id:
            metric = self.env["sale.target"].browse(target_id).exists().metric
        if not metric:
            metric = self._default_metric(today)
        if not _one_of(metric, dict(METRICS)):
            raise UserError(
                self.env._("Unknown metric: %(metric)s", metric=_shown(metric))
            )
        if not _one_of(period, war_room.PERIODS):
            raise UserError(
                self.env._("Unknown period: %(period)s", period=_shown(period))
            )
        scope = self._scope_target(metric, target_id, today)
        no_own_target = not scope and not target_id and not self._manages()
        if no_own_target:
            # a salesperson without a confirmed target: their team's, with
            # their own part of it
            scope = self._team_target(metric, today)
        labels = (
            self.env["sale.target"]._fields["metric"]._description_selection(self.env)
        )
        result = {
            "metrics": [list(pair) for pair in labels],
            "metric": metric,
            "period": period,
            "today": fields.Date.to_string(today),
            "scope": False,
            "path": [],
            "tiles": [],
            "warnings": {},
            "gaps": [],
            "completion": {"threshold": False, "people": [], "teams": []},
            "progress": False,
            "mix": False,
            "choices": self._choices(metric, today),
            "currency": False,
            "contribution": False,
        }
        if not scope:
            if not self.env.user.has_group("sale_regional_target.group_target_manager"):
                # no target of their own yet: their key actions all the same
                result["completion"] = self._completion(
                    self.env.user, self.env.company, today
                )
            return result
        window = war_room.window(period, today, scope.date_from, scope.date_to)
        children = self.env["sale.target"].search(
            [("parent_id", "=", scope.id), ("state", "!=", "draft")],
            order="name",
        )
        rows = (scope | children).read(TILE_FIELDS)
        figures = self._figures(rows, period, window, today)
        open_warnings = self._open_warnings((scope | children).ids)
        tiles = []
        for row in rows:
            tile = {
                "id": row["id"],
                "name": row["name"],
                "owner": row["owner_name"],
                "level": row["level"],
                "state": row["state"],
                "forecast": row["forecast_amount"] if row["forecast_date"] else False,
                "forecast_low": row["forecast_low"] if row["forecast_date"] else False,
                "forecast_high": row["forecast_high"]
                if row["forecast_date"]
                else False,
                "open_warnings": open_warnings.get(row["id"], 0),
                **figures[row["id"]],
            }
            tiles.append(tile)
        currency = scope.figure_currency_id
        result.update(
            currency={
                "id": currency.id,
                "symbol": currency.symbol,
                "position": currency.position,
            }
            if currency
            else False,
            scope=tiles[0],
            tiles=tiles[1:],
            path=self._path(scope),
            window=[fields.Date.to_string(d) for d in window] if window else False,
            warnings=self._warnings_of_week(scope, today),
            gaps=self._gaps(scope),
            completion=self._completion(
                self._scope_users(scope),
                scope.company_id,
                today,
                self._scope_teams(scope)
                if self.env.user.has_group("sale_regional_target.group_target_manager")
                else None,
            ),
            progress=self._progress(scope, window, today) if window else False,
            mix=self._mix(scope, today),
        )
        if self._contributes(scope):
            result["contribution"] = {
                **self._contribution(scope, window, tiles[0]["achieved"]),
                "no_own_target": no_own_target,
            }
        return result

    def _manages(self):
        return self.env.user.has_group("sale_regional_target.group_target_manager")

    def _team_target(self, metric, today):
        """The confirmed target of ``metric`` running today of the user's own
        team (their rules let a salesperson read it), or nothing."""
        team = self.env.user.sale_team_id
        if not team:
            return self.env["sale.target"]
        return self.env["sale.target"].search(
            [
                ("metric", "=", metric),
                ("state", "=", "confirmed"),
                ("level", "=", "team"),
                ("team_id", "=", team.id),
                ("date_from", "<=", today),
                ("date_to", ">=", today),
            ],
            order="date_from desc, id",
            limit=1,
        )

    def _contributes(self, scope):
        """Whether the user sees ``scope`` as one of its salespeople: a
        salesperson on a target above their own (their team's)."""
        return bool(scope) and scope.level != "user" and not self._manages()

    def _contribution(self, scope, window, achieved):
        """The user's own part of what ``scope`` achieved over ``window``
        (``achieved``, its tile's figure): their documents, counted by the same
        actuals as the scope's own figure."""
        own = 0.0
        if window:
            start, end = window
            rows = scope._actuals_document_rows(
                scope.metric, scope.company_id, start, end, user_id=self.env.user.id
            )
            owners = pd.DataFrame({"target": [scope.id], "start": start, "end": end})
            [own] = owner_sums(rows, owners, scope._actuals_owner_keys()).tolist()
        return {
            "user": self.env.user.name,
            "achieved": pace.stored(own, 2),
            "share": pace.stored(pace.rate(own, achieved), 1) if achieved else False,
        }

    # ------------------------------------------------------------------
    def _target_id(self, value):
        """The id of a target as the client sends it (a number, or its digits
        from a link), False for none; anything else, or a number no record can
        have, refused in words rather than failing in Python or the database."""
        if value in (False, None, ""):
            return False
        if isinstance(value, str) and value.isascii() and value.isdecimal():
            number = int(value) if len(value) <= 10 else 0
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            number = 0
        if not 0 < number <= _INT_MAX:
            raise UserError(self.env._("Not a target: %(value)s", value=_shown(value)))
        return number

    def _default_metric(self, today):
        first = False
        for metric, _label in METRICS:
            scope = self._scope_target(metric, False, today)
            if not scope and not self._manages():
                scope = self._team_target(metric, today)
            if scope and scope.child_ids:
                return metric
            first = first or (scope and metric)
        return first or METRICS[0][0]

    def _scope_target(self, metric, target_id, today):
        Target = self.env["sale.target"]
        if target_id:
            target = Target.browse(target_id).exists()
            if not target:
                raise UserError(self.env._("This target does not exist (any more)."))
            # a target out of the user's reach is refused, not shown empty
            target.check_access("read")
            return target
        current = [
            ("metric", "=", metric),
            ("state", "=", "confirmed"),
            ("date_from", "<=", today),
            ("date_to", ">=", today),
        ]
        candidates = Target.search(
            expression.AND([current, Target._owned_domain()]), order="parent_path, id"
        )
        if not candidates and self.env.user.has_group(
            "sale_regional_target.group_target_manager"
        ):
            # a manager owning nothing: the highest target they may read; a
            # salesperson gets their own target or nothing
            candidates = Target.search(current, order="parent_path, id")
        if not candidates:
            return Target
        return min(
            candidates,
            key=lambda t: (LEVEL_RANK[t.level], len(t.parent_path or ""), t.id),
        )

    def _choices(self, metric, today):
        """The regions and teams a manager may jump to: the confirmed targets of
        ``metric`` running today that they may read, top-down."""
        if not self.env.user.has_group("sale_regional_target.group_target_manager"):
            return []
        targets = self.env["sale.target"].search_fetch(
            [
                ("metric", "=", metric),
                ("state", "=", "confirmed"),
                ("level", "in", ["company", "region", "team"]),
                ("date_from", "<=", today),
                ("date_to", ">=", today),
            ],
            ["display_name", "level", "parent_path"],
            order="parent_path, id",
            limit=CHOICES,
        )
        return [
            {
                "id": target.id,
                "name": target.display_name,
                "level": target.level,
                "depth": (target.parent_path or "").count("/") - 1,
            }
            for target in targets
        ]

    def _path(self, scope):
        """The targets from the highest the user may read down to ``scope``: the
        breadcrumb back up."""
        ids = [int(i) for i in (scope.parent_path or "").split("/") if i][:-1]
        readable = self.env["sale.target"].search([("id", "in", ids)])
        by_id = {t.id: t for t in readable}
        path = []
        for tid in ids:
            if tid in by_id:
                path.append({"id": tid, "name": by_id[tid].display_name})
            else:
                path = []  # a gap: start again below it
        return path

    def _figures(self, rows, period, window, today):
        """{target id: tile figures} over ``window``: the targets' own stored
        figures for their whole period, else the sums of their months in the
        window (one grouped read)."""
        Target = self.env["sale.target"]
        thresholds, by_working_days = Target._pace_settings()
        sums = {}
        if period != "target" and window:
            for target, amount, achieved in self.env["sale.target.line"]._read_group(
                [
                    ("target_id", "in", [row["id"] for row in rows]),
                    ("date", ">=", month_start(window[0])),
                    ("date", "<=", window[1]),
                ],
                ["target_id"],
                ["amount:sum", "achieved_amount:sum"],
            ):
                sums[target.id] = (amount, achieved)
        figures = {}
        for row in rows:
            if period == "target":
                amount, achieved = row["amount"], row["achieved_amount"]
                start, end = row["date_from"], row["date_to"]
            elif window:
                amount, achieved = sums.get(row["id"], (0.0, 0.0))
                start, end = window
            else:
                figures[row["id"]] = war_room.tile(0.0, 0.0, today, today, today)
                continue
            figures[row["id"]] = war_room.tile(
                achieved, amount, start, end, today, thresholds, by_working_days
            )
        return figures

    def _open_warnings(self, target_ids):
        return {
            target.id: count
            for target, count in self.env["sale.target.warning"]._read_group(
                [("target_id", "in", target_ids), ("state", "!=", "resolved")],
                ["target_id"],
                ["__count"],
            )
        }

    def _warnings_of_week(self, scope, today):
        """What the last weekly check (this week's once it has run, else last
        week's) did under ``scope``, the warnings open now (needing action)
        and those acknowledged with a plan: the counts and the domains they
        open (``sale.target.warning.week._week_counts``, as the review's), and
        the warnings needing action first, then the plans soonest due."""
        Warning = self.env["sale.target.warning"]
        this_week = week_start(today)
        checked = scope.company_id.sudo().sale_target_lag_week
        week = min(checked, this_week) if checked else this_week
        result = self.env["sale.target.warning.week"]._week_counts(scope, week, week)
        items = []
        for state in ("open", "acknowledged"):
            for warning in Warning.search_fetch(
                result["domains"][state],
                ["display_name", "plan_action", "plan_user_id", "plan_date"],
                order="plan_date, id" if state == "acknowledged" else "level desc, id",
                limit=PLANS,
            ):
                items.append(
                    {
                        "id": warning.id,
                        "name": warning.display_name,
                        "state": state,
                        "plan": warning.plan_action or False,
                        "owner": warning.plan_user_id.name or False,
                        "date": fields.Date.to_string(warning.plan_date),
                    }
                )
        return {**result, "week": result["first"], "plans": items}

    def _scope_teams(self, scope):
        """The teams under ``scope`` (all of the company's for HQ; none under a
        salesperson's target), read whatever the user may read of them: only
        their members' names and figures are shown, as the rules allow."""
        Team = self.env["crm.team"].sudo().with_context(active_test=False)
        if scope.level == "user":
            return Team
        if scope.level == "team":
            return scope.team_id.sudo()
        if scope.level == "region":
            return Team.search([("region_id", "child_of", scope.region_id.id)])
        return Team.search([("company_id", "=", scope.company_id.id)])

    def _scope_users(self, scope):
        """The salespeople under ``scope``: its owner for a salesperson target,
        the members and leaders of its teams otherwise."""
        if scope.level == "user":
            return scope.user_id
        teams = self._scope_teams(scope)
        return teams.member_ids | teams.user_id

    def _completion(self, users, company, today, teams=None):
        """Key-action completion of ``users`` in ``company``, this week so far
        and last week (``sale.action.completion._weekly``, as the board, the
        warning and the review read it), with their overdue key actions, per
        salesperson with a target or key actions and per team of ``teams``
        (their members' sums)."""
        teams = teams or self.env["crm.team"]
        Completion = self.env["sale.action.completion"]
        users = self._completion_people(users, company)
        threshold = self.env["sale.target.warning"]._lag_settings()[
            "completion_threshold"
        ]
        monday = week_start(today)
        last_monday = monday - timedelta(days=7)
        weeks = Completion._weekly(users, company, [last_monday, monday])
        late_domain = [
            ("action_key", "=", True),
            ("date_deadline", "<", fields.Date.to_string(today)),
        ]
        weeks_shown = [fields.Date.to_string(d) for d in (last_monday, monday)]
        overdue = {
            user.id: count
            for user, count in self.env["mail.activity"]._read_group(
                [("user_id", "in", users.ids), *late_domain], ["user_id"], ["__count"]
            )
        }

        def row(key, name, members):
            """The figures of ``members`` together, or None without any."""
            if not members:
                return None
            figures = []
            for week in (monday, last_monday):
                sums = [weeks.get((user.id, week), (0, 0)) for user in members]
                figures.append(
                    Completion._figure(
                        sum(d for d, _b in sums), sum(b for _d, b in sums), threshold
                    )
                )
            return {
                "id": key,
                "name": name,
                # False: nothing due that week (shown as such, never 0 %)
                "this_week": figures[0]["rate"] if figures[0]["counted"] else False,
                "last_week": figures[1]["rate"] if figures[1]["counted"] else False,
                "this_week_counts": [figures[0]["done"], figures[0]["counted"]],
                "last_week_counts": [figures[1]["done"], figures[1]["counted"]],
                "below": any(f["status"] == "below" for f in figures),
                "overdue": sum(overdue.get(user.id, 0) for user in members),
                "overdue_domain": [("user_id", "in", members.ids), *late_domain],
                "weeks_domain": [
                    ("user_id", "in", members.ids),
                    ("company_id", "=", company.id),
                    ("week_start", "in", weeks_shown),
                ],
            }

        people = [row(user.id, user.name, user) for user in users.sorted("name")]
        team_rows = [
            row(team.id, team.name, (team.member_ids | team.user_id) & users)
            for team in teams.sorted("name")
        ]
        return {
            "threshold": threshold,
            "people": [r for r in people if r],
            "teams": [r for r in team_rows if r],
        }

    def _completion_people(self, users, company):
        """Those of ``users`` whose key actions the user may see (as the
        completion's own record rules: a salesperson themselves, a leader their
        team, ...) and who have a salesperson target or key actions in
        ``company``, or weeks counted that the user may read."""
        Completion = self.env["sale.action.completion"]
        me = self.env.user
        if me.has_group("sale_regional_target.group_target_admin"):
            visible = users
        elif me.has_group("sale_regional_target.group_target_manager"):
            visible = users.browse(
                users.sudo()
                .filtered(
                    lambda u: (
                        me
                        in (
                            u.sale_team_id.user_id
                            | u.sale_team_id.region_id.manager_user_ids
                        )
                    )
                )
                .ids
            )
        else:
            visible = users & me
        counted = self.env["res.users"].concat(
            *(
                user
                for [user] in Completion._read_group(
                    [("user_id", "in", users.ids)], ["user_id"]
                )
            )
        )
        targets = (
            self.env["sale.target"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("level", "=", "user"),
                    ("user_id", "in", visible.ids),
                ],
                ["user_id"],
            )
        )
        actions = (
            self.env["mail.activity"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [
                    ("action_key", "=", True),
                    ("user_id", "in", visible.ids),
                    ("action_pack_line_id.company_id", "=", company.id),
                ],
                ["user_id"],
            )
        )
        with_work = self.env["res.users"].concat(
            *(user for [user] in targets), *(user for [user] in actions)
        )
        return (with_work & visible) | counted

    def _gaps(self, scope):
        """The owners under ``scope`` furthest behind what was expected of them
        by now (over their own periods), with their open warnings. The gap is
        their tile's (``war_room.tile``: from the unrounded time elapsed, as the
        review prints it), not the stored rounded rate's."""
        rows = self.env["sale.target"].search_read(
            [
                ("id", "child_of", scope.id),
                ("id", "!=", scope.id),
                ("state", "=", "confirmed"),
            ],
            [
                "display_name",
                "owner_name",
                "level",
                "date_from",
                "date_to",
                "amount",
                "achieved_amount",
            ],
        )
        figures = self._figures(rows, "target", None, fields.Date.context_today(self))
        # the furthest behind first; between equals, the lowest level (the
        # salesperson can act on it)
        behind = sorted(
            (row for row in rows if figures[row["id"]]["behind_expected"] > 0),
            key=lambda row: (
                -figures[row["id"]]["behind_expected"],
                -LEVEL_RANK.get(row["level"], 0),
                row["id"],
            ),
        )[:GAPS]
        open_warnings = self._open_warnings([row["id"] for row in behind])
        return [
            {
                "id": row["id"],
                "name": row["display_name"],
                "owner": row["owner_name"],
                "level": row["level"],
                "behind_expected": figures[row["id"]]["behind_expected"],
                "achievement_rate": figures[row["id"]]["achievement_rate"],
                "expected_rate": figures[row["id"]]["expected_rate"],
                "pace_status": figures[row["id"]]["pace_status"],
                "open_warnings": open_warnings.get(row["id"], 0),
            }
            for row in behind
        ]

    def _progress(self, scope, window, today):
        """The scope's cumulative actuals at the end of each week of ``window``
        against what was expected by then, and the forecast to the end: one
        grouped query of documents whatever the number of weeks."""
        start, end = window
        _thresholds, by_working_days = scope._pace_settings()
        points = war_room.week_points(start, end)
        days = war_room.progress_days(points, start, today)
        achieved = []
        if days:
            rows = scope._actuals_document_rows(
                scope.metric,
                scope.company_id,
                start,
                end,
                company_only=scope.level == "company",
            )
            # the last point counts what is recorded in the window, dated later
            # or not (an invoice dated tomorrow): the figure of the tile
            owners = pd.DataFrame(
                {"target": scope.id, "start": start, "end": [*days[:-1], end]},
                index=range(len(days)),
            )
            sums = owner_sums(rows, owners, scope._actuals_owner_keys())
            achieved = list(zip(days, sums.tolist(), strict=True))
        landing = ahead = None
        if scope.forecast_date:
            ahead = [
                (fields.Date.to_date(day) + timedelta(days=6), amount)
                for day, amount in scope.forecast_weeks or []
            ]
            if end == scope.date_to:
                landing = scope.forecast_amount
        series = war_room.progress(
            scope.amount
            if end == scope.date_to and start == scope.date_from
            else self._window_amount(scope, window),
            start,
            end,
            today,
            achieved,
            by_working_days,
            ahead or (),
            landing,
        )
        if landing is not None and series["forecast"]:
            series.update(
                war_room.band(
                    *series["forecast"][0], end, scope.forecast_low, scope.forecast_high
                )
            )
        else:
            series.update(low=[], high=[])
        as_text = {
            name: [[fields.Date.to_string(day), value] for day, value in values]
            for name, values in series.items()
        }
        return {
            **as_text,
            "start": fields.Date.to_string(start),
            "end": fields.Date.to_string(end),
            "accuracy": scope.forecast_accuracy if scope.forecast_date else False,
        }

    def _window_amount(self, scope, window):
        """The scope's target over a part of its period: its phasing months in
        ``window`` (as the tiles count it)."""
        [[amount]] = self.env["sale.target.line"]._read_group(
            [
                ("target_id", "=", scope.id),
                ("date", ">=", month_start(window[0])),
                ("date", "<=", window[1]),
            ],
            aggregates=["amount:sum"],
        )
        return amount

    def _customer_domain(self, scope):
        """The customers (lifecycles) whose orders count for ``scope``: its
        salesperson's, its team's, its region's teams' or the company's."""
        domain = [("company_id", "=", scope.company_id.id)]
        if scope.level == "user":
            return [*domain, ("user_id", "=", scope.user_id.id)]
        if scope.level == "team":
            return [*domain, ("team_id", "=", scope.team_id.id)]
        if scope.level == "region":
            return [*domain, ("team_id.region_id", "child_of", scope.region_id.id)]
        return domain

    def _scope_customer_domain(self, scope):
        """The customers the war room of ``scope`` shows: those whose orders
        count for it; to a salesperson on their team's target, their own."""
        domain = self._customer_domain(scope)
        if self._contributes(scope):
            domain = [*domain, ("user_id", "=", self.env.user.id)]
        return domain

    def _mix(self, scope, today):
        """Customers and their 12-month revenue by confirmed lifecycle stage
        under ``scope`` (those the user may read), the stage moves of the last
        month from the tracked changes, and the stages' weights."""
        domain = self._scope_customer_domain(scope)
        since = today - relativedelta(months=1)
        stages, _moves = self._stage_rows(domain, since)
        return {
            "stages": stages,
            "since": fields.Date.to_string(since),
            "domain": domain,
        }

    def _stage_rows(self, domain, since, until=None):
        """One row per confirmed stage (and the unconfirmed, when there are
        any) of the lifecycles of ``domain``: customers, 12-month revenue, the
        moves in and out since ``since`` (before ``until``), the stage weight
        and the domain of its customers; with the moves themselves. The war
        room's mix and the review's customers section both read them."""
        Lifecycle = self.env["sale.customer.lifecycle"]
        groups = {
            stage: (count, revenue)
            for stage, count, revenue in Lifecycle._read_group(
                domain, ["stage"], ["__count", "revenue_12m:sum"]
            )
        }
        moves = self._stage_moves(Lifecycle._search(domain), since, until)
        weights = Lifecycle._stage_weights()
        labels = dict(Lifecycle._fields["stage"]._description_selection(self.env))
        stages = []
        for stage, _label in [*STAGES, (False, False)]:
            count, revenue = groups.get(stage, (0, 0.0))
            moved_in = len(self._moved(moves, stage, 1))
            moved_out = len(self._moved(moves, stage, 0))
            if stage is False and not (count or moved_in or moved_out):
                continue
            stages.append(
                {
                    "stage": stage,
                    "label": labels[stage] if stage else self.env._("Not confirmed"),
                    "customers": count,
                    "revenue": round(revenue or 0.0, 2),
                    "weight": round(100 * weights[stage], 1) if stage else False,
                    "moved_in": moved_in,
                    "moved_out": moved_out,
                    "domain": [*domain, ("stage", "=", stage)],
                }
            )
        return stages, moves

    @api.model
    def action_stage_moves(self, target_id, stage, direction):
        """The customers under the target ``target_id`` that moved into
        (``direction`` "in") or out of ``stage`` in the last month, as the mix
        panel counts them."""
        stages = {*dict(STAGES), False}
        if not (_one_of(direction, ("in", "out")) and _one_of(stage, stages)):
            raise UserError(self.env._("Unknown stage move."))
        target_id = self._target_id(target_id)
        if not target_id:
            raise UserError(self.env._("Choose a target first."))
        scope = self._scope_target(False, target_id, False)
        today = fields.Date.context_today(self)
        domain = self._scope_customer_domain(scope)
        moves = self._stage_moves(
            self.env["sale.customer.lifecycle"]._search(domain),
            today - relativedelta(months=1),
        )
        ids = self._moved(moves, stage, 1 if direction == "in" else 0)
        Lifecycle = self.env["sale.customer.lifecycle"]
        label = dict(Lifecycle._fields["stage"]._description_selection(self.env)).get(
            stage
        ) or self.env._("Not confirmed")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Moved into %(stage)s", stage=label)
            if direction == "in"
            else self.env._("Moved out of %(stage)s", stage=label),
            "res_model": "sale.customer.lifecycle",
            "views": [[False, "list"], [False, "form"]],
            "domain": [("id", "in", sorted(ids))],
        }

    def _stage_moves(self, lifecycles, since, until=None):
        """{(old stage, new stage): lifecycle ids} of the stage changes tracked
        on the ``lifecycles`` (a query of the ones the user may read) since
        ``since`` (and before ``until``), in one grouped query. The tracked
        values are labels in the writer's language: each installed language's
        labels are mapped back."""
        Lifecycle = self.env["sale.customer.lifecycle"]
        field = Lifecycle._fields["stage"]
        to_stage = {"": False}
        for lang, _name in self.env["res.lang"].get_installed():
            env = self.env(context=dict(self.env.context, lang=lang))
            for key, label in field._description_selection(env):
                to_stage[label] = key
        field_id = self.env["ir.model.fields"]._get(Lifecycle._name, "stage").id
        self.env.cr.execute(
            SQL(
                """
                SELECT v.old_value_char, v.new_value_char,
                       array_agg(DISTINCT m.res_id)
                  FROM mail_tracking_value v
                  JOIN mail_message m ON m.id = v.mail_message_id
                 WHERE v.field_id = %(field)s
                   AND m.model = %(model)s
                   AND m.date >= %(since)s
                   AND %(until)s
                   AND m.res_id IN (%(lifecycles)s)
                 GROUP BY 1, 2
                """,
                field=field_id,
                model=Lifecycle._name,
                since=fields.Datetime.to_datetime(since),
                until=SQL("m.date < %s", fields.Datetime.to_datetime(until))
                if until
                else SQL("TRUE"),
                lifecycles=lifecycles.subselect(),
            )
        )
        moves = {}
        for old, new, ids in self.env.cr.fetchall():
            key = (to_stage.get(old or "", old), to_stage.get(new or "", new))
            moves.setdefault(key, set()).update(ids)
        return moves

    @staticmethod
    def _moved(moves, stage, side):
        """The lifecycles that moved into (``side`` 1) or out of (0) ``stage``."""
        return {i for key, ids in moves.items() if key[side] == stage for i in ids}
