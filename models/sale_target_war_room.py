from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from ..tools import war_room
from ..tools.lag_warnings import week_start
from ..tools.periods import month_start
from .sale_target import METRICS

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
        if metric not in dict(METRICS):
            raise UserError(self.env._("Unknown metric: %(metric)s", metric=metric))
        if period not in war_room.PERIODS:
            raise UserError(self.env._("Unknown period: %(period)s", period=period))
        scope = self._scope_target(metric, target_id, today)
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
            "completion": {"threshold": False, "people": []},
            "currency": False,
        }
        if not scope:
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
            completion=self._completion(scope, today),
        )
        return result

    # ------------------------------------------------------------------
    def _target_id(self, value):
        if not value:
            return False
        try:
            return int(value)
        except (TypeError, ValueError):
            raise UserError(
                self.env._("Not a target: %(value)s", value=value)
            ) from None

    def _default_metric(self, today):
        first = False
        for metric, _label in METRICS:
            scope = self._scope_target(metric, False, today)
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
        """What this week's check did under ``scope``, and the warnings open or
        acknowledged with a plan now."""
        in_scope = [("target_id", "child_of", scope.id)]
        events = dict(
            self.env["sale.target.warning.week"]._read_group(
                [
                    ("week_start", "=", week_start(today)),
                    ("warning_id.target_id", "child_of", scope.id),
                ],
                ["event"],
                ["__count"],
            )
        )
        states = dict(
            self.env["sale.target.warning"]._read_group(
                in_scope, ["state"], ["__count"]
            )
        )
        return {
            "raised": events.get("raised", 0),
            "escalated": events.get("escalated", 0) + events.get("reopened", 0),
            "resolved": events.get("resolved", 0),
            "open": states.get("open", 0),
            "acknowledged": states.get("acknowledged", 0),
        }

    def _scope_users(self, scope):
        """The salespeople under ``scope``: its owner for a salesperson target,
        the members of its teams otherwise (all of the company's for HQ)."""
        if scope.level == "user":
            return scope.user_id
        Team = self.env["crm.team"].sudo().with_context(active_test=False)
        if scope.level == "team":
            teams = scope.team_id
        elif scope.level == "region":
            teams = Team.search([("region_id", "child_of", scope.region_id.id)])
        else:
            teams = Team.search([("company_id", "=", scope.company_id.id)])
        return teams.member_ids | teams.user_id

    def _completion(self, scope, today):
        """Key-action completion of the salespeople under ``scope``, this week so
        far and last week (the stored weekly figures, recounted daily), with
        their overdue key actions: two grouped reads."""
        users = self._scope_users(scope)
        # whose key actions the user may see: the completion's own record rules
        # (a salesperson themselves, a leader their team, ...), not the scope's
        users = self.env["res.users"].concat(
            *(
                user
                for [user] in self.env["sale.action.completion"]._read_group(
                    [("user_id", "in", users.ids)], ["user_id"]
                )
            )
        )
        threshold = self.env["sale.target.warning"]._lag_settings()[
            "completion_threshold"
        ]
        monday = week_start(today)
        last_monday = monday - timedelta(days=7)
        weeks = {}
        for user, week, done, base in self.env["sale.action.completion"]._read_group(
            [
                ("user_id", "in", users.ids),
                ("company_id", "=", scope.company_id.id),
                ("week_start", "in", [last_monday, monday]),
            ],
            ["user_id", "week_start:day"],
            ["done_count:sum", "base_count:sum"],
        ):
            weeks[(user.id, week)] = (done, base)
        overdue = dict(
            self.env["mail.activity"]._read_group(
                [
                    ("user_id", "in", users.ids),
                    ("action_key", "=", True),
                    ("date_deadline", "<", today),
                ],
                ["user_id"],
                ["__count"],
            )
        )

        def rate(user, week):
            done, base = weeks.get((user.id, week), (0, 0))
            return round(100.0 * done / base, 1) if base else False

        people = []
        for user in users.sorted("name"):
            this, last = rate(user, monday), rate(user, last_monday)
            late = overdue.get(user, 0)
            if this is False and last is False and not late:
                continue
            people.append(
                {
                    "id": user.id,
                    "name": user.name,
                    "this_week": this,
                    "last_week": last,
                    "below": any(
                        value is not False and value < threshold
                        for value in (this, last)
                    ),
                    "overdue": late,
                }
            )
        return {"threshold": threshold, "people": people}

    def _gaps(self, scope):
        """The owners under ``scope`` furthest behind what was expected of them
        by now (over their own periods), with their open warnings."""
        Target = self.env["sale.target"]
        query = Target._search(
            [
                ("id", "child_of", scope.id),
                ("id", "!=", scope.id),
                ("state", "=", "confirmed"),
            ]
        )
        # the furthest behind first; between equals, the lowest level (the
        # salesperson can act on it)
        query.order = SQL(
            "(%s * %s / 100.0 - %s) DESC, "
            "CASE %s WHEN 'user' THEN 0 WHEN 'team' THEN 1 WHEN 'region' THEN 2 "
            "ELSE 3 END, %s",
            SQL.identifier("sale_target", "amount"),
            SQL.identifier("sale_target", "expected_rate"),
            SQL.identifier("sale_target", "achieved_amount"),
            SQL.identifier("sale_target", "level"),
            SQL.identifier("sale_target", "id"),
        )
        query.limit = GAPS
        targets = Target.browse(query)
        open_warnings = self._open_warnings(targets.ids)
        gaps = []
        for target in targets:
            behind = (
                target.amount * target.expected_rate / 100.0 - target.achieved_amount
            )
            if behind <= 0:
                break
            gaps.append(
                {
                    "id": target.id,
                    "name": target.display_name,
                    "owner": target.owner_name,
                    "level": target.level,
                    "behind_expected": round(behind, 2),
                    "achievement_rate": target.achievement_rate,
                    "expected_rate": target.expected_rate,
                    "pace_status": target.pace_status,
                    "open_warnings": open_warnings.get(target.id, 0),
                }
            )
        return gaps
