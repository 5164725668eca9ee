"""What the allocation wizard needs to know about children, gathered in bulk.

A plain helper (not a model): it holds the documents of one metric over the
history window, fetched with one grouped query, and answers per child: last years'
actuals, monthly history and potential, for any number of children and levels.
"""

from collections import defaultdict
from datetime import timedelta

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

from odoo import fields

from ..queries.actuals import revenue_query
from ..tools import allocation, levels, lifecycle, periods
from ..tools.actuals import COMPANY, TEAM, USER, document_key_rows, make_key, owner_sums


class Child:
    """One child of a target: a region, a team or a salesperson."""

    __slots__ = ("level", "parent", "record")

    def __init__(self, level, record, parent=None):
        self.level = level
        self.record = record
        self.parent = parent

    @property
    def key(self):
        return levels.owner_key(self.level, self.record.id)

    @property
    def name(self):
        if self.level == "region":
            return self.record.display_name
        return self.record.name

    def owner_vals(self):
        """The owner fields of this child's target (a team's names its region)."""
        vals = levels.owner_values(self.level, self.record.id)
        if self.level == levels.TEAM:
            vals[levels.OWNER_FIELD[levels.REGION]] = self.record.region_id.id
        return vals

    def line_owner_vals(self):
        """The owner fields of this child's preview line."""
        return levels.owner_values(self.level, self.record.id)

    def owner_users(self):
        """Who owns this child's target (``sale.target._owner_users``): the
        salesperson, the team's leader or the region's manager."""
        record = self.record.sudo()
        if self.level == levels.TEAM:
            return record.user_id
        if self.level == levels.REGION:
            return record.manager_id
        if self.level == levels.USER:
            return record
        return record.env["res.users"]


def children_of(env, level, record, company, teams_only=False):
    """The next level under an owner: regions under the company, sub-regions and
    teams under a region (or, with ``teams_only``, every team of the region and
    of its sub-regions), members under a team."""
    if level == "region" and teams_only:
        teams = env["crm.team"].search(
            [
                ("region_id", "child_of", record.id),
                ("company_id", "in", (company.id, False)),
            ]
        )
        return [Child("team", t) for t in teams]
    if level == "company":
        regions = env["sale.region"].search(
            [("parent_id", "=", False), ("company_id", "=", company.id)]
        )
        # A lone top region (the country) is looked through: HQ splits among the
        # regions under it.
        while len(regions) == 1 and regions.child_ids:
            regions = regions.child_ids
        return [Child("region", r) for r in regions]
    if level == "region":
        teams = env["crm.team"].search(
            [("region_id", "=", record.id), ("company_id", "in", (company.id, False))]
        )
        return [Child("region", r) for r in record.child_ids] + [
            Child("team", t) for t in teams
        ]
    if level == "team":
        return [Child("user", u) for u in record.member_ids.sorted("name")]
    return []


def _group_key(children):
    return tuple(child.key for child in children)


def _borrowed(region, details):
    """[(region, factor, ancestor), ...]: the values of ``region`` borrowed
    from an ancestor, from its potential details (``_potential_scores``)."""
    return [(region, factor, lent) for factor, _points, lent in details if lent]


class AllocationData:
    """History and potential of children, for one parent target's metric."""

    def __init__(self, env, target, years, teams_only=False):
        self.env = env
        self.target = target
        # the target's own children: straight to the teams of its region?
        self.top = (target.level, target._allocation_owner().id, teams_only)
        self.years = years
        self.company = target.company_id
        start = target.date_from - relativedelta(years=years)
        end = target.date_to - relativedelta(years=1)
        today = fields.Date.context_today(target)
        # A history year still running counts at its pace so far, scaled to a
        # full year (share of it elapsed, per year back; 1 when over).
        self.year_shares = [
            allocation.elapsed_share(
                target.date_from - relativedelta(years=k),
                target.date_to - relativedelta(years=k),
                today,
            )
            for k in range(1, years + 1)
        ]
        # What was made since the history years ended, up to today: the basis
        # of those without any history (newcomers who sell already), at its
        # pace over the period's length.
        self.recent_span = (end + timedelta(days=1), min(today, target.date_to))
        recent_days = (self.recent_span[1] - self.recent_span[0]).days + 1
        period_days = (target.date_to - target.date_from).days + 1
        self.recent_share = max(recent_days, 0) / period_days
        self.rows = env["sale.target"]._actuals_document_rows(
            target.metric, target.company_id, start, max(end, self.recent_span[1])
        )
        self.today = today
        self.months = periods.month_starts(target.date_from, target.date_to)
        self._region_teams = None
        self._children = {}
        self._history_cache = {}

    # ------------------------------------------------------------------
    def _teams_by_region(self):
        """Region id -> teams of that region and of all its sub-regions."""
        if self._region_teams is None:
            teams = (
                self.env["crm.team"]
                .with_context(active_test=False)
                .search([("region_id", "!=", False)])
            )
            result = defaultdict(list)
            for team in teams:
                for region_id in map(int, team.region_id.parent_path.split("/")[:-1]):
                    result[region_id].append(team.id)
            self._region_teams = result
        return self._region_teams

    def owner_keys(self, children):
        """(target=child position, key) rows: what a child's documents match."""
        company = self.company.id
        rows = []
        for i, child in enumerate(children):
            if child.level == "user":
                rows.append((i, int(make_key(USER, company, child.record.id))))
            elif child.level == "team":
                rows.append((i, int(make_key(TEAM, company, child.record.id))))
            elif child.level == "region":
                for team in self._teams_by_region().get(child.record.id, []):
                    rows.append((i, int(make_key(TEAM, company, team))))
            else:
                rows.append((i, int(make_key(COMPANY, company))))
        return pd.DataFrame(rows, columns=["target", "key"])

    def children(self, level, record):
        """The children of an owner (cached: the preview walks the tree twice)."""
        key = (level, record.id)
        if key not in self._children:
            teams_only = self.top[2] and self.top[:2] == key
            self._children[key] = children_of(
                self.env, level, record, self.company, teams_only=teams_only
            )
        return self._children[key]

    def prefetch_history(self, level, record, cascade):
        """The history of every group of children in the run, in one pass over
        the documents (a cascade has one group per region and team)."""
        groups, todo = [], [(level, record)]
        while todo:
            level, record = todo.pop()
            children = self.children(level, record)
            if children:
                groups.append(children)
            if cascade:
                todo.extend(
                    (c.level, c.record)
                    for c in children
                    if c.level in ("region", "team")
                )
        everyone = [child for group in groups for child in group]
        if not everyone:
            return
        history = self._history(everyone)
        start = 0
        for group in groups:
            stop = start + len(group)
            self._history_cache[_group_key(group)] = tuple(
                figures[start:stop] for figures in history
            )
            start = stop

    def history(self, children):
        """(actuals, monthly, recent): per child, the actuals of the same period
        1..years years back (n x years), per month of the period the sum over
        those years (n x months), spans still running scaled to their whole
        (``year_shares``), and the actuals since, up to today (n, as made, over
        ``recent_share`` of the period)."""
        cached = self._history_cache.get(_group_key(children))
        if cached is not None:
            return cached
        return self._history(children)

    def _history(self, children):
        target = self.target
        spans = []  # the same intervals for every child: years, then months x years
        for k in range(1, self.years + 1):
            shift = relativedelta(years=k)
            spans.append((target.date_from - shift, target.date_to - shift))
        for month in self.months:
            last_day = min(
                periods.next_month(month) - timedelta(days=1), target.date_to
            )
            for k in range(1, self.years + 1):
                shift = relativedelta(years=k)
                spans.append((max(month, target.date_from) - shift, last_day - shift))
        shares = [allocation.elapsed_share(a, b, self.today) for a, b in spans]
        spans.append(self.recent_span)  # empty (start after end) when none
        n, width = len(children), len(spans)
        frame = pd.DataFrame(
            {
                "target": np.repeat(np.arange(n), width),
                "start": np.tile(np.array([a for a, _b in spans], "datetime64[D]"), n),
                "end": np.tile(np.array([b for _a, b in spans], "datetime64[D]"), n),
            }
        )
        sums = owner_sums(self.rows, frame, self.owner_keys(children)).reshape(n, width)
        recent = sums[:, -1]
        sums = allocation.annualise(sums[:, :-1], shares)
        yearly = sums[:, : self.years]
        monthly = (
            sums[:, self.years :].reshape(n, len(self.months), self.years).sum(axis=2)
        )
        return yearly, monthly, recent

    # ------------------------------------------------------------------
    def lifecycle_revenue(self, children):
        """Per child (rows) and lifecycle stage (columns, ``lifecycle.STAGES``):
        the confirmed sales of the same period one year back to customers in
        that stage (confirmed stage, else the suggested one), in one query."""
        shift = relativedelta(years=1)
        start = self.target.date_from - shift
        end = self.target.date_to - shift
        self.env.flush_all()
        self.env.cr.execute(revenue_query(self.company, start, end, by_stage=True))
        data = pd.DataFrame(
            self.env.cr.fetchall(),
            columns=["company", "user", "team", "day", "amount", "stage"],
        )
        n = len(children)
        result = np.zeros((n, len(lifecycle.STAGES)))
        if data.empty or not n:
            return result
        frame = pd.DataFrame(
            {
                "target": np.arange(n),
                "start": np.datetime64(start, "D"),
                "end": np.datetime64(end, "D"),
            }
        )
        keys = self.owner_keys(children)
        for j, stage in enumerate(lifecycle.STAGES):
            rows = document_key_rows(data[data["stage"] == stage])
            if not rows.empty:
                result[:, j] = owner_sums(rows, frame, keys)
        return result

    def potential(self, children, year):
        """Potential per child, for regions the factor points behind it, and
        per child position the values borrowed from an ancestor region:
        [(region, factor, ancestor), ...].

        Regions are scored against each other; a team's or a salesperson's
        potential is the sum over the customers they own of their region's score
        shared among that region's customers.
        """
        regions = [c.record for c in children if c.level == "region"]
        if regions and len(regions) == len(children):
            records = self.env["sale.region"].concat(*regions)
            scores, details = records._potential_scores(year)
            borrowed = {
                i: _borrowed(region, details[region.id])
                for i, region in enumerate(records)
            }
            return np.array([scores[r.id] for r in records]), details, borrowed
        partners = self.env["res.partner"].with_context(active_test=False)
        domain = [
            ("parent_id", "=", False),
            ("region_id.company_id", "=", self.company.id),
            "|",
            ("company_id", "=", self.company.id),
            ("company_id", "=", False),
        ]
        # Odoo derives a customer's team from its salesperson (res.partner has
        # no team since 17.3): customers count for their salesperson, and for
        # that salesperson's team.
        counts = partners._read_group(domain, ["region_id", "user_id"], ["__count"])
        per_region = defaultdict(int)
        for region, _user, count in counts:
            per_region[region] += count
        # Regions scored among their siblings, one sibling group at a time.
        region_score, region_borrowed = {}, {}
        for parent in {region.parent_id for region in per_region}:
            siblings = (
                parent.child_ids
                if parent
                else self.env["sale.region"].search(
                    [("parent_id", "=", False), ("company_id", "=", self.company.id)]
                )
            )
            scores, details = siblings._potential_scores(year)
            region_score.update(scores)
            for region in siblings:
                region_borrowed[region.id] = _borrowed(region, details[region.id])
        per_customer = {
            region: region_score.get(region.id, 0.0) / count
            for region, count in per_region.items()
        }
        values, borrowed = [], {}
        for i, child in enumerate(children):
            total, owned_regions = 0.0, {}
            for region, user, count in counts:
                if child.level == "user":
                    owned = user == child.record
                elif child.level == "team":
                    owned = bool(user) and user.sale_team_id == child.record
                else:  # a region beside teams: the customers of its subtree
                    owned = region.parent_path.startswith(child.record.parent_path)
                if owned:
                    total += per_customer[region] * count
                    owned_regions[region] = True
            values.append(total)
            borrowed[i] = [
                item
                for region in owned_regions
                for item in region_borrowed.get(region.id, [])
            ]
        return np.array(values, dtype=float), {}, borrowed

    # ------------------------------------------------------------------
    def tenure_months(self, child):
        """Whole months of tenure at the start of the period (negative when the
        child starts during it), or None when unknown."""
        if child.level == "region":
            start = child.record.opened_on
        elif child.level == "user":
            start = child.record.sale_target_start_date
        else:
            start = False
        if not start:
            return None
        delta = relativedelta(self.target.date_from, start)
        return delta.years * 12 + delta.months
