import logging
from datetime import timedelta

import numpy as np
import pandas as pd
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, float_compare, float_is_zero, format_amount

from ..queries.actuals import QUERIES, owner_keys_query, owners_query
from ..tools import levels, pace, periods
from ..tools.actuals import document_key_rows, make_key, owner_sums
from ..tools.levels import ALLOWED_CHILD_LEVELS, OWNER_FIELD, owner_sql
from ..tools.rounding import (
    MAX_UNITS,
    max_amount,
    same_amount,
    split_exact,
    to_units,
)
from .sale_target_line import BULK_PHASING, FROM_TARGET

_logger = logging.getLogger(__name__)

# How a target's children were computed (the allocation wizard's methods) and the
# units its amounts are rounded to.
ALLOCATION_METHODS = [
    ("history", "History"),
    ("potential", "Potential"),
    ("blend", "History and Potential"),
    ("equal", "Equal"),
    ("manual", "Manual"),
    ("lifecycle", "Customer Lifecycle"),
]
ALLOCATION_UNITS = [("1", "1"), ("100", "100"), ("10000", "10,000")]

METRICS = [
    ("revenue", "Revenue (confirmed sales)"),
    ("invoiced", "Invoiced"),
    ("collected", "Collected (payments received)"),
    ("new_customers", "New Customers"),
]
LEVELS = [
    ("company", "Company"),
    ("region", "Region"),
    ("team", "Team"),
    ("user", "Salesperson"),
]
AMOUNT_FIELDS = ("amount", "floor_amount", "stretch_amount")
# Figures that add up only over targets of one metric, none under another.
ADDITIVE_FIELDS = (
    *AMOUNT_FIELDS,
    "achieved_amount",
    "gap_amount",
    "forecast_amount",
    "forecast_low",
    "forecast_high",
    "forecast_committed",
    "forecast_pipeline",
    "forecast_run_rate",
    "forecast_doubtful",
)
# What the owner of a target may still write on it: its amounts and state are set
# by the level above (see README, Security model).
OWNER_WRITABLE = {"note", "color", "message_main_attachment_id"}


# Stored fields computed from the achieved amount, written with it in bulk.
DERIVED_FROM_ACTUALS = (
    "achievement_rate",
    "floor_rate",
    "stretch_rate",
    "gap_amount",
    "expected_rate",
    "pace_status",
)


class SaleTarget(models.Model):
    _name = "sale.target"
    _description = "Sales Target"
    _inherit = ["sale.target.guard.mixin", "mail.thread", "mail.activity.mixin"]
    _parent_name = "parent_id"
    _parent_store = True
    _order = "date_from desc, parent_path, id"
    _check_company_auto = True
    # whoever reads a target may discuss it in its chatter (目标协商)
    _mail_post_access = "read"
    # written by the workflow actions, the allocation wizard and the actuals refresh
    _system_fields = (
        "state",
        "achieved_amount",
        "actuals_date",
        "actuals_error",
        "allocation_version",
        "allocation_method",
    )

    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        tracking=True,
        translate=True,
        help="Made from the period, the metric and the owner in each active "
        "language unless typed in.",
    )
    metric = fields.Selection(
        METRICS, required=True, default="revenue", tracking=True, index=True
    )
    date_from = fields.Date(
        string="Start Date", required=True, index=True, tracking=True
    )
    date_to = fields.Date(string="End Date", required=True, index=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
        recursive=True,
    )
    parent_id = fields.Many2one(
        "sale.target",
        string="Parent Target",
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("sale.target", "parent_id", string="Sub-targets")
    region_id = fields.Many2one(
        "sale.region",
        string="Region",
        index=True,
        ondelete="restrict",
        check_company=True,
        compute="_compute_region_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    level = fields.Selection(
        LEVELS, compute="_compute_level", store=True, index=True, precompute=True
    )
    owner_name = fields.Char(string="Owner", compute="_compute_owner_name")
    amount = fields.Monetary(string="Target", tracking=True)
    floor_amount = fields.Monetary(
        string="Floor",
        tracking=True,
        help="The commitment: the amount the owner is about 80% confident to reach.",
    )
    stretch_amount = fields.Monetary(
        string="Stretch",
        tracking=True,
        help="The challenge level, usually tied to an incentive.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("negotiation", "In Negotiation"),
            ("confirmed", "Confirmed"),
            ("closed", "Closed"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    change_reason = fields.Char(
        string="Reason for Change",
        tracking=True,
        copy=False,
        help="Required to change the amounts of a confirmed target; kept in the "
        "chatter.",
    )
    line_ids = fields.One2many(
        "sale.target.line", "target_id", string="Monthly Phasing", copy=True
    )
    phasing_total = fields.Monetary(compute="_compute_phasing_total")
    phasing_chart = fields.Json(
        string="Month by Month", compute="_compute_phasing_chart"
    )
    children_amount = fields.Monetary(
        string="Allocated to Sub-targets", compute="_compute_children_amount"
    )
    children_gap = fields.Monetary(
        string="Left to Allocate", compute="_compute_children_amount"
    )
    allocated_rate = fields.Float(
        string="Allocated (%)", compute="_compute_children_amount"
    )
    child_count = fields.Integer(compute="_compute_children_amount")
    allocation_version = fields.Integer(
        copy=False,
        readonly=True,
        help="Counts the allocations confirmed on this target: an allocation "
        "wizard opened before the last one cannot overwrite it.",
    )
    allocation_method = fields.Selection(
        ALLOCATION_METHODS,
        string="Allocated By",
        copy=False,
        readonly=True,
        tracking=True,
    )
    note = fields.Html()
    color = fields.Integer()

    # Actuals: written by _refresh_actuals() from the documents (see README).
    achieved_amount = fields.Float(
        string="Achieved",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="What the owner's documents reached over the period, in company "
        "currency (a count for new customers).",
    )
    actuals_date = fields.Datetime(
        string="Actuals Refreshed On", readonly=True, copy=False
    )
    actuals_error = fields.Char(
        string="Actuals Not Refreshed",
        readonly=True,
        copy=False,
        help="Why the last scheduled refresh could not compute this target's "
        "actuals; the other targets were refreshed.",
    )
    figure_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_figure_currency_id",
        help="The currency the figures are shown in: none for a count of new "
        "customers.",
    )
    user_can_edit = fields.Boolean(
        string="Can Decide",
        compute="_compute_user_rights",
        help="The current user may change and confirm this target: HQ, or a "
        "manager above its owner, never the owner.",
    )
    user_is_owner = fields.Boolean(
        string="My Own Target", compute="_compute_user_rights"
    )
    achievement_rate = fields.Float(
        string="Achievement (%)",
        compute="_compute_figures",
        store=True,
        aggregator="avg",
        digits=(16, 1),
    )
    floor_rate = fields.Float(
        string="Of Floor (%)",
        compute="_compute_figures",
        store=True,
        aggregator="avg",
        digits=(16, 1),
    )
    stretch_rate = fields.Float(
        string="Of Stretch (%)",
        compute="_compute_figures",
        store=True,
        aggregator="avg",
        digits=(16, 1),
    )
    gap_amount = fields.Float(
        string="Gap",
        compute="_compute_figures",
        store=True,
        digits=(16, 2),
        help="Target less achieved: what is still to reach (negative when exceeded).",
    )
    expected_rate = fields.Float(
        string="Time Elapsed (%)",
        compute="_compute_figures",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="Share of the period elapsed, by calendar or working days as set in "
        "the settings; refreshed with the actuals.",
    )
    pace_status = fields.Selection(
        [
            ("ahead", "Ahead"),
            ("on_track", "On Track"),
            ("at_risk", "At Risk"),
            ("behind", "Behind"),
        ],
        string="Pace",
        compute="_compute_figures",
        store=True,
        index=True,
    )

    # Lag warnings (written by the weekly check, see sale.target.warning)
    warning_ids = fields.One2many(
        "sale.target.warning", "target_id", string="Lag Warnings", readonly=True
    )
    open_warning_count = fields.Integer(
        string="Open Warnings", compute="_compute_open_warning_count"
    )
    warning_count = fields.Integer(
        string="Warnings", compute="_compute_open_warning_count"
    )

    _sql_constraints = [
        # Enforced by the database so that two transactions cannot both pass the
        # Python check (``_check_confirmed_overlap`` words the usual case).
        (
            "confirmed_owner_period_excl",
            "EXCLUDE USING gist (company_id WITH =, metric WITH =, level WITH =, "
            f"{owner_sql()} WITH =, daterange(date_from, date_to, '[]') WITH &&) "
            "WHERE (state = 'confirmed')",
            "Only one target per owner and metric can be confirmed over a period: "
            "another one overlaps it.",
        ),
        (
            "one_child_per_owner_excl",
            "EXCLUDE USING btree (parent_id WITH =, level WITH =, "
            f"{owner_sql()} WITH =) WHERE (parent_id IS NOT NULL)",
            "A target has one sub-target per owner: update the existing one.",
        ),
    ]

    def _auto_init(self):
        # the confirmed-overlap constraint compares integers and text in a GiST
        # index: PostgreSQL's btree_gist (a trusted extension since PostgreSQL 13)
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(SQL("CREATE EXTENSION IF NOT EXISTS btree_gist"))
        except Exception:  # no right to create it: the Python check remains
            _logger.warning(
                "Could not create the PostgreSQL extension btree_gist: confirmed "
                "targets are checked for overlaps in Python only."
            )
        return super()._auto_init()

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("company_id", "parent_id.currency_id")
    def _compute_currency_id(self):
        for target in self:
            target.currency_id = (
                target.parent_id.currency_id
                or target.currency_id
                or target.company_id.currency_id
            )

    @api.depends(*OWNER_FIELD.values())
    def _compute_level(self):
        for target in self:
            target.level = levels.level_of(
                {field: target[field] for field in OWNER_FIELD.values()}
            )

    def _owner_users(self):
        """The users who own this target: its salesperson, its team's leader or
        its region's manager (nobody for a company target). They never set nor
        confirm it themselves."""
        self.ensure_one()
        target = self.sudo()
        return {
            "user": target.user_id,
            "team": target.team_id.user_id,
            "region": target.region_id.manager_id,
        }.get(target.level, self.env["res.users"])

    @api.model
    def _owned_domain(self):
        """The targets the current user owns (``_owner_users`` the other way
        round), and for HQ the company targets, which nobody else owns."""
        uid = self.env.uid
        owned = [
            [("level", "=", "user"), ("user_id", "=", uid)],
            [("level", "=", "team"), ("team_id.user_id", "=", uid)],
            [("level", "=", "region"), ("region_id.manager_id", "=", uid)],
        ]
        if self.env.user.has_group("sale_regional_target.group_target_admin"):
            owned.append([("level", "=", "company")])
        return expression.OR(owned)

    @api.depends_context("uid")
    @api.depends("level", "user_id", "team_id", "region_id")
    def _compute_user_rights(self):
        editable = self._filtered_access("write")
        for target in self:
            target.user_is_owner = self.env.user in target._owner_users()
            target.user_can_edit = target in editable and not target.user_is_owner

    def _compute_open_warning_count(self):
        """Warnings about these targets the user may read, open ones apart (one
        grouped read)."""
        counts = {
            (target.id, state): count
            for target, state, count in self.env["sale.target.warning"]._read_group(
                [("target_id", "in", self.ids)], ["target_id", "state"], ["__count"]
            )
        }
        for target in self:
            opened = sum(
                counts.get((target.id, state), 0) for state in ("open", "acknowledged")
            )
            target.open_warning_count = opened
            target.warning_count = opened + counts.get((target.id, "resolved"), 0)

    def action_view_warnings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_regional_target.sale_target_warning_action"
        )
        action["domain"] = [("target_id", "=", self.id)]
        action["context"] = {"search_default_open": 1}
        return action

    @api.depends("metric", "currency_id")
    def _compute_figure_currency_id(self):
        for target in self:
            target.figure_currency_id = (
                target.metric != "new_customers" and target.currency_id
            )

    @api.depends("team_id")
    def _compute_region_id(self):
        for target in self:
            if target.team_id.region_id:
                target.region_id = target.team_id.region_id

    @api.depends("level", "user_id", "team_id", "region_id", "company_id")
    def _compute_owner_name(self):
        for target in self:
            target.owner_name = target._owner_record().display_name

    def _creation_message(self):
        # written once for all who follow it: in its company's language
        lang = self.company_id.partner_id.lang
        record = self.with_context(lang=lang) if lang else self
        return super(SaleTarget, record)._creation_message()

    def _metric_short_labels(self):
        return {
            "revenue": self.env._("Revenue"),
            "invoiced": self.env._("Invoiced"),
            "collected": self.env._("Collections"),
            "new_customers": self.env._("New Customers"),
        }

    @api.depends("metric", "date_from", "date_to", "user_id", "team_id", "region_id")
    def _compute_name(self):
        for target in self:
            if target.name or not (
                target.metric and target.date_from and target.date_to
            ):
                continue
            target.name = target._generated_name()

    def _generated_name(self, labels=None):
        """The name this target gets when none is typed in, in the language of
        the environment: "2027 Revenue · East China"."""
        self.ensure_one()
        labels = labels or self._metric_short_labels()
        owner = self.user_id or self.team_id or self.region_id or self.company_id
        start, end = self.date_from, self.date_to
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            period = (
                str(start.year)
                if start.year == end.year
                else (f"{start.year}-{end.year}")
            )
        else:
            period = f"{start:%Y-%m}..{end:%Y-%m}"
        return f"{period} {labels[self.metric]} · {owner.name}"

    def _name_in_all_languages(self):
        """Write the generated name of these new targets in every active
        language (English included: a target created by a user reading Chinese
        otherwise keeps the Chinese name as its English one)."""
        codes = {code for code, _name in self.env["res.lang"].get_installed()}
        self._write_generated_names(self, sorted(codes | {"en_US"}))

    def _name_for_every_language(self, name):
        """A name typed in replaces the generated one in every language: a
        renamed target must not keep its old generated name for readers of
        another language. (Translations made on purpose with the translation
        dialog are kept: it does not write through here.)"""
        if not self:
            return
        self.flush_recordset(["name"])
        self.env.cr.execute(
            SQL(
                "UPDATE sale_target SET name = jsonb_build_object('en_US', %s) "
                "WHERE id IN %s",
                name,
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["name"])

    def _translate_generated_names(self, langs=None):
        """Give these targets' generated names in the active languages (or in
        ``langs``), e.g. once a language is installed. Names typed in by a user
        stay as they are: a name counts as generated when its English value is
        the one the target would get."""
        codes = langs or [code for code, _name in self.env["res.lang"].get_installed()]
        codes = [code for code in codes if code != "en_US"]
        targets = self.exists()
        if not (codes and targets):
            return
        targets.flush_recordset(["name"])
        english = targets.with_context(lang="en_US")
        en_labels = english._metric_short_labels()
        generated = english.filtered(
            lambda t: (
                t.date_from and t.date_to and t.name == t._generated_name(en_labels)
            )
        )
        self._write_generated_names(generated, codes)

    def _write_generated_names(self, targets, codes):
        """Store each target's generated name in the languages ``codes``, one
        query per language and 5,000 targets (each reader then sees "2027 销售额
        · 华东" or "2027 Revenue · East China" from the same record)."""
        targets = targets.filtered(lambda t: t.date_from and t.date_to and t.metric)
        if not targets:
            return
        targets.flush_recordset(["name"])
        for code in codes:
            local = targets.with_context(lang=code)
            labels = local._metric_short_labels()
            rows = [SQL("(%s, %s)", t.id, t._generated_name(labels)) for t in local]
            for start in range(0, len(rows), 5000):
                self.env.cr.execute(
                    SQL(
                        """
                        UPDATE sale_target t
                           SET name = t.name || jsonb_build_object(%s, v.name)
                          FROM (VALUES %s) AS v(id, name)
                         WHERE t.id = v.id
                        """,
                        code,
                        SQL(", ").join(rows[start : start + 5000]),
                    )
                )
        targets.invalidate_recordset(["name"])

    @api.onchange("amount", "floor_amount", "stretch_amount", "line_ids")
    def _onchange_amounts_new_reason(self):
        """Each change of a confirmed target's amounts asks for its own reason:
        the field starts empty instead of showing the previous one (kept in the
        chatter)."""
        if self.state == "confirmed" and self._origin.change_reason:
            if self.change_reason == self._origin.change_reason:
                self.change_reason = False

    @api.depends("line_ids.amount")
    def _compute_phasing_total(self):
        for target in self:
            target.phasing_total = sum(target.line_ids.mapped("amount"))

    @api.depends("line_ids.date", "line_ids.amount", "line_ids.achieved_amount")
    def _compute_phasing_chart(self):
        for target in self:
            lines = target.line_ids.sorted("date")
            target.phasing_chart = {
                "labels": [f"{line.date:%Y-%m}" for line in lines if line.date],
                "target": [line.amount for line in lines if line.date],
                "achieved": [line.achieved_amount for line in lines if line.date],
            }

    @api.depends("child_ids.amount", "amount")
    def _compute_children_amount(self):
        groups = self._read_group(
            [("parent_id", "in", self.ids)], ["parent_id"], ["amount:sum", "__count"]
        )
        sums = {parent: (total, count) for parent, total, count in groups}
        for target in self:
            total, count = sums.get(target, (0.0, 0))
            if not target.id:  # a record being edited in a form
                total = sum(target.child_ids.mapped("amount"))
                count = len(target.child_ids)
            target.children_amount = total
            target.child_count = count
            target.children_gap = target.amount - total if count else 0.0
            target.allocated_rate = (
                100.0 * total / target.amount if count and target.amount else 0.0
            )

    @api.model
    def _pace_settings(self):
        return self.env["sale.target.settings.fields"]._pace_settings()

    @api.depends(
        "date_from",
        "date_to",
        "achieved_amount",
        "amount",
        "floor_amount",
        "stretch_amount",
    )
    def _compute_figures(self):
        """Rates, gap, expected rate and pace, all from ``pace.figures`` (as the
        bulk refresh writes them)."""
        thresholds, by_working_days = self._pace_settings()
        today = fields.Date.context_today(self)
        for target in self:
            expected = None
            if target.date_from and target.date_to:
                expected = pace.expected_rate(
                    target.date_from, target.date_to, today, by_working_days
                )
            derived = pace.figures(
                target.achieved_amount,
                target.amount,
                target.floor_amount,
                target.stretch_amount,
                expected,
                thresholds,
            )
            for name in DERIVED_FROM_ACTUALS:
                target[name] = derived[name]

    # ------------------------------------------------------------------
    # Grouped figures
    # ------------------------------------------------------------------
    @api.model
    def read_group(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        """Totals only where they add like things.

        A company target, its regions', teams' and salespeople's targets count
        the same sales several times, and a revenue target does not add to a
        new-customer one: a group (or a total) mixing metrics, or holding a
        target with one of its ancestors, gets no sum of amounts, instead of a
        figure that means nothing. A group's achievement is its achieved total
        over its target total; its forecast rate, the forecast total over the
        target total of the members that have a forecast (none: no rate)."""
        asked = {spec.split(":")[0] for spec in fields}
        summed = [name for name in ADDITIVE_FIELDS if name in asked]
        rate = "achievement_rate" in asked
        forecast_rate = "forecast_rate" in asked
        if not (summed or rate or forecast_rate):
            return super().read_group(
                domain, fields, groupby, offset, limit, orderby, lazy
            )
        # what decides, in the same grouped query: the metrics and members of
        # each group, its target and achieved totals
        extra = {
            "__srt_metrics": "count_distinct(metric)",
            "__srt_ids": "array_agg(id)",
            "__srt_amount": "sum(amount)",
            "__srt_achieved": "sum(achieved_amount)",
        }
        groups = super().read_group(
            domain,
            [*fields, *(f"{name}:{spec}" for name, spec in extra.items())],
            groupby,
            offset,
            limit,
            orderby,
            lazy,
        )
        members = [set(group.pop("__srt_ids", None) or ()) for group in groups]
        ancestors = self._ancestors_within(set().union(*members))
        forecasts = (
            self._forecast_figures(set().union(*members)) if forecast_rate else {}
        )
        for group, ids in zip(groups, members, strict=True):
            metrics = group.pop("__srt_metrics", None) or 0
            amount = group.pop("__srt_amount", None) or 0.0
            achieved = group.pop("__srt_achieved", None) or 0.0
            nests = any(ancestors.get(tid, set()) & ids for tid in ids)
            alike = metrics <= 1 and not nests
            if not alike:
                for name in summed:
                    group[name] = False
            if rate:
                # achieved over target of the whole group, not an average of rates
                group["achievement_rate"] = (
                    pace.rate(achieved, amount) if alike and amount else False
                )
            if forecast_rate:
                having = [forecasts[tid] for tid in ids if tid in forecasts]
                base = sum(target for target, _forecast in having)
                group["forecast_rate"] = (
                    pace.rate(sum(f for _target, f in having), base)
                    if alike and base
                    else False
                )
        return groups

    @api.model
    def _forecast_figures(self, ids):
        """{target id: (amount, forecast)} of those of ``ids`` that have a
        forecast (one query)."""
        if not ids:
            return {}
        self.flush_model(["amount", "forecast_amount", "forecast_date"])
        self.env.cr.execute(
            SQL(
                """SELECT id, amount, forecast_amount FROM sale_target
                    WHERE id IN %s AND forecast_date IS NOT NULL""",
                tuple(ids),
            )
        )
        return {
            tid: (amount or 0.0, forecast or 0.0)
            for tid, amount, forecast in self.env.cr.fetchall()
        }

    @api.model
    def _ancestors_within(self, ids):
        """{target id: ids of its ancestors} among ``ids`` (one query): a target
        whose ancestor is in the same group has its sales counted there already
        (a company target and its regions', a region's and its sub-regions')."""
        if not ids:
            return {}
        self.env.cr.execute(
            SQL(
                """SELECT t.id, ancestor.id::int
                     FROM sale_target t,
                          unnest(string_to_array(rtrim(t.parent_path, '/'), '/'))
                            AS ancestor(id)
                    WHERE t.id = ANY(%(ids)s)
                      AND ancestor.id::int != t.id
                      AND ancestor.id::int = ANY(%(ids)s)""",
                ids=list(ids),
            )
        )
        ancestors = {}
        for tid, ancestor in self.env.cr.fetchall():
            ancestors.setdefault(tid, set()).add(ancestor)
        return ancestors

    # ------------------------------------------------------------------
    # Actuals
    # ------------------------------------------------------------------
    def _actuals_rows(self, metric):
        """The grouped rows of one metric for these targets' companies and dates."""
        return self._actuals_document_rows(
            metric,
            self.company_id,
            min(self.mapped("date_from")),
            max(self.mapped("date_to")),
        )

    @api.model
    def _actuals_document_rows(
        self, metric, companies, date_from, date_to, company_only=False, user_id=None
    ):
        """(key, day, amount) rows of one metric's documents of ``companies`` from
        ``date_from`` to ``date_to``, each counted for its salesperson, its team and
        its company (``tools.actuals.make_key``); with ``company_only``, summed per
        company and day (enough for company targets, and far fewer rows); with
        ``user_id``, that salesperson's documents only (their part of a target)."""
        # the query reads orders, invoices and payments in SQL: pending ORM
        # writes must be in the database first
        self.env.flush_all()
        query = QUERIES[metric](companies, date_from, date_to)
        if user_id:
            query = SQL(
                """SELECT * FROM (%s) AS documents(company, salesperson, team, day,
                                                   amount)
                    WHERE salesperson = %s""",
                query,
                user_id,
            )
        if company_only:
            query = SQL(
                """SELECT company, NULL::int, NULL::int, day, SUM(amount)
                     FROM (%s) AS documents(company, salesperson, team, day, amount)
                    GROUP BY company, day""",
                query,
            )
        self.env.cr.execute(query)
        return document_key_rows(
            pd.DataFrame(
                self.env.cr.fetchall(),
                columns=["company", "user", "team", "day", "amount"],
            )
        )

    def _actuals_owner_keys(self):
        """(target, key) rows: the keys each target's documents are matched on."""
        self.env.cr.execute(owner_keys_query(self.ids))
        keys = pd.DataFrame(
            self.env.cr.fetchall(), columns=["target", "kind", "company", "record"]
        )
        keys["key"] = make_key(
            keys["kind"].to_numpy(dtype=np.int64),
            keys["company"].to_numpy(dtype=np.int64),
            keys["record"].fillna(0).to_numpy(dtype=np.int64),
        )
        return keys[["target", "key"]]

    def _refresh_actuals(self):
        """Recompute achieved amounts of these targets and of their phasing lines,
        then their forecast (``_refresh_forecast``), which starts from them."""
        self._refresh_achieved()
        self._refresh_forecast()
        return True

    def _refresh_achieved(self):
        """Recompute achieved amounts of these targets and of their phasing lines.

        Per metric: one grouped query of documents, one of the targets' keys and
        one of their periods and months; attribution is vectorised
        (``tools.actuals``), and the figures are stored with one UPDATE per table
        together with what derives from them (rates, gap, pace).
        """
        targets = self.filtered(lambda t: t.date_from and t.date_to)
        if not targets:
            return True
        now = fields.Datetime.now()
        # The queries read the database: pending changes to documents must be in it.
        self.env.flush_all()
        for metric, group in targets.grouped("metric").items():
            rows = group._actuals_rows(metric)
            self.env.cr.execute(owners_query(group.ids))
            owners = pd.DataFrame(
                self.env.cr.fetchall(), columns=["kind", "id", "target", "start", "end"]
            )
            owners["achieved"] = owner_sums(rows, owners, group._actuals_owner_keys())
            is_target = owners["kind"] == "target"
            group._write_actuals(
                dict(
                    zip(
                        owners.loc[is_target, "id"].tolist(),
                        owners.loc[is_target, "achieved"].tolist(),
                        strict=True,
                    )
                ),
                now,
            )
            self.env["sale.target.line"]._write_achieved(
                dict(
                    zip(
                        owners.loc[~is_target, "id"].tolist(),
                        owners.loc[~is_target, "achieved"].tolist(),
                        strict=True,
                    )
                )
            )
        return True

    def _write_actuals(self, achieved, now):
        """Store achieved amounts {target id: amount} and what derives from them.

        The rates, gap and pace are computed here with the same pure functions as
        their compute methods, and everything is written in one UPDATE: at company
        scale, recomputing them field by field through the ORM would take longer
        than gathering the actuals.
        """
        if not achieved:
            return
        names = ["achieved_amount", "actuals_date", *DERIVED_FROM_ACTUALS]
        self.flush_recordset(names)
        thresholds, by_working_days = self._pace_settings()
        today = fields.Date.context_today(self)
        self.env.cr.execute(
            SQL(
                """SELECT id, amount, floor_amount, stretch_amount, date_from, date_to
                     FROM sale_target WHERE id IN %s""",
                tuple(achieved),
            )
        )
        found = self.env.cr.fetchall()
        expected_by_period = {}
        columns = {name: [] for name in ["id", "achieved", *DERIVED_FROM_ACTUALS]}
        for tid, *amounts, date_from, date_to in found:
            amount, floor, stretch = (float(a or 0.0) for a in amounts)
            value = pace.stored(achieved[tid], 2)
            period = (date_from, date_to)
            if period not in expected_by_period:
                expected_by_period[period] = pace.expected_rate(
                    date_from, date_to, today, by_working_days
                )
            derived = pace.figures(
                value, amount, floor, stretch, expected_by_period[period], thresholds
            )
            columns["id"].append(tid)
            columns["achieved"].append(value)
            for name in DERIVED_FROM_ACTUALS:
                columns[name].append(derived[name])
        self.env.cr.execute(
            SQL(
                """UPDATE sale_target t
                      SET achieved_amount = v.achieved, actuals_date = %s,
                          achievement_rate = v.achievement_rate,
                          floor_rate = v.floor_rate, stretch_rate = v.stretch_rate,
                          gap_amount = v.gap_amount, expected_rate = v.expected_rate,
                          pace_status = v.pace_status
                     FROM unnest(%s::int[], %s::numeric[], %s::numeric[],
                                 %s::numeric[], %s::numeric[], %s::numeric[],
                                 %s::numeric[], %s::varchar[])
                       AS v(id, achieved, achievement_rate, floor_rate, stretch_rate,
                            gap_amount, expected_rate, pace_status)
                    WHERE t.id = v.id""",
                now,
                *columns.values(),
            )
        )
        self.browse(columns["id"]).invalidate_recordset(names)

    @api.model
    def _cron_refresh_actuals(self, batch_size=1000):
        """Refresh the actuals of open targets, a batch per call.

        Targets refreshed less than an hour ago are skipped, so a run that is cut
        short goes on where it stopped; the progress tells the cron to call again
        until nothing is left. A target whose figures cannot be computed does not
        stop the others: it is left out, logged and flagged (``actuals_error``).
        """
        self = self.sudo()
        cutoff = fields.Datetime.now() - timedelta(hours=1)
        domain = [
            ("state", "!=", "closed"),
            "|",
            ("actuals_date", "=", False),
            ("actuals_date", "<", cutoff),
        ]
        _done, remaining = self._in_batches(
            domain,
            batch_size,
            lambda targets: targets._refresh_actuals_and_clear(),
            self._flag_actuals_errors,
            order="actuals_date asc nulls first, id",
            until_done=False,
        )
        return remaining

    def _refresh_actuals_and_clear(self):
        """Refresh, and clear the flag of a previous failure."""
        self._refresh_actuals()
        cleared = self.filtered("actuals_error")
        if cleared:
            cleared.sudo().write({"actuals_error": False})

    def _refresh_actuals_isolated(self):
        """``_refresh_actuals`` where a target it fails on is flagged and the
        others are refreshed (``_process_isolated``). Returns the failed ones."""
        failed = self._process_isolated(
            lambda targets: targets._refresh_actuals_and_clear()
        )
        self._flag_actuals_errors(failed)
        return self.browse([target.id for target, _error in failed])

    @api.model
    def _flag_actuals_errors(self, failed):
        for target, error in failed:
            target._flag_actuals_error(error)

    def _flag_actuals_error(self, error):
        """Record on the target why its actuals could not be refreshed, and mark it
        refreshed now so that the next runs take the others first."""
        self.ensure_one()
        message = (str(error) or type(error).__name__).splitlines()[0][:200]
        _logger.warning(
            "Actuals of sales target %s (%s) not refreshed: %s",
            self.id,
            self.sudo().display_name,
            message,
        )
        self.sudo().write(
            {
                "actuals_date": fields.Datetime.now(),
                "actuals_error": self.env._(
                    "The last refresh failed on this target (%(error)s); the other "
                    "targets were refreshed.",
                    error=message,
                ),
            }
        )

    def action_refresh_actuals(self):
        """Refresh now (managers, on the targets they may read)."""
        if not self.env.su:
            if not self.env.user.has_group("sale_regional_target.group_target_manager"):
                raise AccessError(
                    self.env._("Only managers can refresh the actuals of targets.")
                )
            self.check_access("read")
        failed = (
            self.sudo().with_context(sale_target_refit=True)._refresh_actuals_isolated()
        )
        if failed:
            raise UserError(failed[0].actuals_error)
        return True

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.model
    def _period_error(self, date_from, date_to):
        """Why [date_from, date_to] cannot be a target's period (False if it can)."""
        for day in (date_from, date_to):
            if day and not periods.within_bounds(day):
                return self.env._(
                    "its dates must lie between %(min)s and %(max)s; %(day)s looks "
                    "like a typo.",
                    min=periods.MIN_DATE,
                    max=periods.MAX_DATE,
                    day=day,
                )
        if date_from and date_to and date_to < date_from:
            return self.env._("the end date must not be before the start date.")
        return False

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for target in self:
            error = self._period_error(target.date_from, target.date_to)
            if error:
                raise ValidationError(
                    self.env._(
                        "Target “%(name)s”: %(error)s",
                        name=target.display_name,
                        error=error,
                    )
                )

    def _check_period_vals(self, vals):
        """The period check on values about to be written, before anything (the
        monthly phasing) is built from them."""
        if "date_from" not in vals and "date_to" not in vals:
            return
        for target in self or [self.browse()]:
            date_from = fields.Date.to_date(vals.get("date_from")) or target.date_from
            date_to = fields.Date.to_date(vals.get("date_to")) or target.date_to
            error = self._period_error(date_from, date_to)
            if error:
                raise ValidationError(
                    self.env._(
                        "Target “%(name)s”: %(error)s",
                        name=vals.get("name") or target.display_name,
                        error=error,
                    )
                )

    @api.constrains(*AMOUNT_FIELDS)
    def _check_amounts(self):
        for target in self:
            currency = target.currency_id

            def compare(a, b, currency=currency):
                return float_compare(a, b, precision_rounding=currency.rounding)

            def fmt(value, currency=currency):
                return format_amount(self.env, value, currency)

            error = False
            limit = max_amount(currency.rounding)
            if any(compare(target[f], 0.0) < 0 for f in AMOUNT_FIELDS):
                error = self.env._("target, floor and stretch must not be negative.")
            elif any(
                to_units(target[f], currency.rounding) > MAX_UNITS
                for f in AMOUNT_FIELDS
            ):
                error = self.env._(
                    "amounts are limited to %(limit)s in %(currency)s: beyond it, "
                    "they cannot be kept exact to the %(unit)s. Plan in a larger "
                    "unit, or set the currency's rounding higher.",
                    limit=fmt(limit),
                    currency=currency.name,
                    unit=fmt(currency.rounding),
                )
            elif (
                target.floor_amount and compare(target.floor_amount, target.amount) > 0
            ):
                error = self.env._(
                    "the floor (%(floor)s) must not exceed the target (%(amount)s).",
                    floor=fmt(target.floor_amount),
                    amount=fmt(target.amount),
                )
            elif (
                target.stretch_amount
                and compare(target.stretch_amount, target.amount) < 0
            ):
                error = self.env._(
                    "the stretch (%(stretch)s) must not be below the target "
                    "(%(amount)s).",
                    stretch=fmt(target.stretch_amount),
                    amount=fmt(target.amount),
                )
            if error:
                raise ValidationError(
                    self.env._(
                        "Target “%(name)s”: %(error)s",
                        name=target.display_name,
                        error=error,
                    )
                )

    @api.constrains("level", "user_id", "team_id", "region_id")
    def _check_owner(self):
        for target in self:
            if (
                target.level == "user"
                and target.team_id
                and not target.team_id._sells_for(target.user_id)
            ):
                raise ValidationError(
                    self.env._(
                        "Target “%(name)s”: %(user)s is not a member of team %(team)s.",
                        name=target.display_name,
                        user=target.user_id.display_name,
                        team=target.team_id.display_name,
                    )
                )
            # a team's or its member's target lies in the team's region: the
            # region decides who reads it
            team_region = target.team_id.region_id
            if team_region and target.region_id != team_region:
                raise ValidationError(
                    self.env._(
                        "Target “%(name)s”: it belongs to team %(team)s, so its "
                        "region is %(region)s.",
                        name=target.display_name,
                        team=target.team_id.display_name,
                        region=team_region.display_name,
                    )
                )

    @api.constrains(
        "parent_id",
        "date_from",
        "date_to",
        "metric",
        "currency_id",
        "level",
        "region_id",
        "team_id",
        "user_id",
    )
    def _check_against_parent(self):
        level_labels = dict(self._fields["level"]._description_selection(self.env))
        for target in self:
            # the parent may be hidden from the user (a draft above them): the
            # rules between a target and its parent are the system's to check
            parent = target.sudo().parent_id
            if not parent:
                continue
            if not periods.contains(
                parent.date_from, parent.date_to, target.date_from, target.date_to
            ):
                raise ValidationError(
                    self.env._(
                        "Target “%(name)s”: its period (%(from)s to %(to)s) must lie "
                        "within the period of its parent “%(parent)s” (%(pfrom)s to "
                        "%(pto)s).",
                        name=target.display_name,
                        parent=parent.display_name,
                        **{
                            "from": target.date_from,
                            "to": target.date_to,
                            "pfrom": parent.date_from,
                            "pto": parent.date_to,
                        },
                    )
                )
            if target.metric != parent.metric:
                raise ValidationError(
                    self.env._(
                        "Target “%(name)s”: it must measure the same metric as its "
                        "parent “%(parent)s”.",
                        name=target.display_name,
                        parent=parent.display_name,
                    )
                )
            if target.currency_id != parent.currency_id:
                raise ValidationError(
                    self.env._(
                        "Target “%(name)s”: it must be in the currency of its parent "
                        "“%(parent)s” (%(currency)s).",
                        name=target.display_name,
                        parent=parent.display_name,
                        currency=parent.currency_id.name,
                    )
                )
            if target.level not in ALLOWED_CHILD_LEVELS[parent.level]:
                allowed = ALLOWED_CHILD_LEVELS[parent.level]
                raise ValidationError(
                    self.env._(
                        "Target “%(name)s”: a %(level)s target cannot sit under a "
                        "%(parent_level)s target; allowed here: %(allowed)s.",
                        name=target.display_name,
                        level=level_labels[target.level],
                        parent_level=level_labels[parent.level],
                        allowed=", ".join(level_labels[lv] for lv in allowed)
                        or self.env._("none"),
                    )
                )
            target._check_owner_within_parent()
        self._check_one_child_per_owner()

    @api.model
    def _twin_children(self, rows):
        """The first of ``rows`` (id or 0, parent id, level, owner id) whose parent
        already has another child of that owner, as (row, twin id), else None.

        One query for all rows, in plain SQL on what the database holds: an ORM
        search would first flush the records being checked, and the database's
        exclusion constraint would refuse them before this check could say why
        in words. Rows repeating an owner among themselves count too."""
        seen = {}
        for row in rows:
            key = row[1:]
            if key in seen:
                return row, seen[key] or 0
            seen[key] = row[0]
        if not rows:
            return None
        self.env.cr.execute(
            SQL(
                """SELECT v.id, v.parent, v.level, v.owner, t.id
                     FROM unnest(%s::int[], %s::int[], %s::varchar[], %s::int[])
                          AS v(id, parent, level, owner)
                     JOIN sale_target t ON t.parent_id = v.parent
                                       AND t.level = v.level
                                       AND %s = v.owner
                                       AND t.id != v.id
                    LIMIT 1""",
                [row[0] for row in rows],
                [row[1] for row in rows],
                [row[2] for row in rows],
                [row[3] for row in rows],
                SQL(owner_sql("t")),
            )
        )
        found = self.env.cr.fetchone()
        return found and (found[:4], found[4])

    def _raise_twin_child(self, row, twin_id):
        _id, parent_id, level, owner_id = row
        Target = self.sudo()
        owner = Target._fields[OWNER_FIELD[level]].comodel_name
        raise ValidationError(
            self.env._(
                "“%(parent)s” already has a sub-target for %(owner)s "
                "(“%(twin)s”): change that one instead of adding a second.",
                parent=Target.browse(parent_id).display_name,
                owner=self.env[owner].sudo().browse(owner_id).display_name,
                twin=Target.browse(twin_id).display_name,
            )
        )

    @api.model
    def _check_new_children(self, vals_list):
        """Before creating: no second child for an owner under a parent."""
        self.env.flush_all()
        rows = []
        for vals in vals_list:
            if not vals.get("parent_id"):
                continue
            # the level a target gets from its owner fields (``_compute_level``)
            for level, field in OWNER_FIELD.items():
                if vals.get(field):
                    rows.append((0, vals["parent_id"], level, vals[field]))
                    break
        found = self._twin_children(rows)
        if found:
            self._raise_twin_child(*found)

    def _check_one_child_per_owner(self):
        """A parent has one child per owner (the database enforces it too): a
        second one would escape later allocations."""
        rows = []
        for target in self:
            if target.level in OWNER_FIELD and target.parent_id:
                rows.append(
                    (
                        target.id,
                        target.parent_id.id,
                        target.level,
                        target._owner_record().id,
                    )
                )
        found = self._twin_children(rows)
        if found:
            self._raise_twin_child(*found)

    def _check_owner_within_parent(self):
        """The owner must belong to the parent's owner (region tree, team)."""
        self.ensure_one()
        parent = self.sudo().parent_id
        error = False
        if parent.level == "region" and self.region_id:
            if self.level == "region" and (
                self.region_id == parent.region_id
                or parent.region_id not in self.region_id._ancestors()
            ):
                error = self.env._("a sub-region of %(owner)s")
            elif self.level == "team" and parent.region_id not in (
                self.region_id._ancestors()
            ):
                error = self.env._("a team of region %(owner)s or of its sub-regions")
        elif parent.level == "region" and self.level == "team":
            error = self.env._("a team of region %(owner)s or of its sub-regions")
        elif parent.level == "team" and self.level == "user":
            if not parent.team_id._sells_for(self.user_id):
                error = self.env._("a member of team %(owner)s")
        if error:
            raise ValidationError(
                self.env._(
                    "Target “%(name)s”: its owner must be %(expected)s.",
                    name=self.display_name,
                    expected=error % {"owner": parent.owner_name},
                )
            )

    @api.constrains(
        "state",
        "date_from",
        "date_to",
        "metric",
        "level",
        "region_id",
        "team_id",
        "user_id",
        "company_id",
    )
    def _check_confirmed_overlap(self):
        for target in self.filtered(lambda t: t.state == "confirmed"):
            target._check_no_confirmed_twin()

    def _check_no_confirmed_twin(self):
        """At most one confirmed target per owner, metric and overlapping period.

        Read with plain SQL from this record's values in memory: an ORM search
        would first flush this record, and the database's exclusion constraint
        would refuse it before this check could say why in words.
        """
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                """SELECT id FROM sale_target
                    WHERE id != %(id)s AND state = 'confirmed'
                      AND company_id = %(company)s AND metric = %(metric)s
                      AND level = %(level)s AND %(owner_sql)s = %(owner)s
                      AND date_from <= %(date_to)s AND date_to >= %(date_from)s
                    LIMIT 1""",
                id=self.id or 0,
                company=self.company_id.id,
                metric=self.metric,
                level=self.level,
                owner_sql=SQL(owner_sql()),
                owner=self._owner_record().id if self.level in OWNER_FIELD else 0,
                date_from=self.date_from,
                date_to=self.date_to,
            )
        )
        row = self.env.cr.fetchone()
        if row:
            raise ValidationError(
                self.env._(
                    "Target “%(name)s” cannot be confirmed: “%(other)s” is already "
                    "confirmed for the same owner and metric over an overlapping "
                    "period.",
                    name=self.display_name,
                    other=self.sudo().browse(row[0]).display_name,
                )
            )

    @api.constrains("amount", "line_ids")
    def _check_phasing(self):
        for target in self:
            if not target.line_ids:
                continue
            rounding = target.currency_id.rounding
            negative = target.line_ids.filtered(
                lambda line, r=rounding: (
                    float_compare(line.amount, 0.0, precision_rounding=r) < 0
                )
            )
            if negative:
                raise ValidationError(
                    self.env._(
                        "Target “%(name)s”: the amount of month %(month)s must not "
                        "be negative.",
                        name=target.display_name,
                        month=negative[0].display_name,
                    )
                )
            # exact sums in the currency's unit: float sums of large amounts drift
            if not same_amount(
                target.line_ids.mapped("amount"), target.amount, rounding
            ):
                raise ValidationError(
                    self.env._(
                        "Target “%(name)s”: the monthly phasing adds up to %(total)s "
                        "but the target is %(amount)s.",
                        name=target.display_name,
                        total=format_amount(
                            self.env, target.phasing_total, target.currency_id
                        ),
                        amount=format_amount(
                            self.env, target.amount, target.currency_id
                        ),
                    )
                )
            months = set(periods.month_starts(target.date_from, target.date_to))
            outside = target.line_ids.filtered(
                lambda line, m=months: line.date not in m
            )
            if outside:
                raise ValidationError(
                    self.env._(
                        "Target “%(name)s”: phasing month %(month)s lies outside the "
                        "target's period.",
                        name=target.display_name,
                        month=outside[0].display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Phasing
    # ------------------------------------------------------------------
    def _phasing_commands(
        self, amount=None, date_from=None, date_to=None, weights=None
    ):
        """One2many commands that replace the phasing with one line per month.

        ``amount`` and the period default to the target's own. ``weights`` maps
        month start dates to weights (e.g. last year's sales); without any, months
        share the amount by their calendar days inside the period.
        """
        self.ensure_one()
        amount = self.amount if amount is None else amount
        phasing = self._phasing_amounts(
            amount,
            date_from or self.date_from,
            date_to or self.date_to,
            weights,
            self.currency_id,
        )
        return [fields.Command.clear()] + [
            fields.Command.create({"date": month, "amount": value})
            for month, value in phasing
        ]

    @api.model
    def _phasing_amounts(self, amount, date_from, date_to, weights, currency):
        """[(month start, amount)]: ``amount`` spread over the months of the period
        by ``weights`` ({month start: weight}), or by calendar days without any;
        the months add up exactly to ``amount`` in the currency's rounding."""
        months = periods.days_per_month(date_from, date_to)
        basis = [(weights or {}).get(month, 0.0) for month, _days in months]
        if not any(basis):
            basis = [days for _month, days in months]
        amounts = split_exact(amount, basis, currency.rounding)
        return [
            (month, value)
            for (month, _days), value in zip(months, amounts, strict=True)
        ]

    @api.model
    def _create_in_bulk(self, vals_list, phasings):
        """Create many targets at once (the allocation wizard's cascade).

        ``phasings`` holds, per target, its [(month start, amount)]. Instead of one
        creation note, one tracking pass and one set of phasing lines per record,
        the targets are created without chatter side effects, every month of every
        target is inserted with one statement, each owner follows their target
        through one batch of followers, and the phasing is then checked like any
        other: the targets are indistinguishable from ones created by hand.
        """
        targets = self.with_context(
            tracking_disable=True, sale_target_phasing=BULK_PHASING
        ).create(vals_list)
        self.env["sale.target.line"]._insert_phasing(
            [
                (target.id, month, value)
                for target, phasing in zip(targets, phasings, strict=True)
                for month, value in phasing
            ]
        )
        targets.invalidate_recordset(["line_ids"])
        targets._check_phasing_in_bulk()
        subtypes = self.env["mail.message.subtype"]._default_subtypes(self._name)[0]
        followers = [
            {
                "res_model": self._name,
                "res_id": target.id,
                "partner_id": target.user_id.partner_id.id,
                "subtype_ids": [fields.Command.set(subtypes)],
            }
            for target in targets
            if target.user_id.partner_id
        ]
        self.env["mail.followers"].sudo().create(followers)
        return targets

    def _rescale_phasing_commands(self, amount):
        """Commands that keep the current monthly shape for a new amount."""
        self.ensure_one()
        lines = self.line_ids.sorted("date")
        values = split_exact(
            amount, [max(line.amount, 0.0) for line in lines], self.currency_id.rounding
        )
        return [
            fields.Command.update(line.id, {"amount": value})
            for line, value in zip(lines, values, strict=True)
        ]

    def action_reset_phasing(self):
        for target in self:
            target.line_ids = target._phasing_commands()
        return True

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def _check_phasing_in_bulk(self):
        """``_check_phasing`` for many targets at once, in one query: the months
        add up to the target, all inside its period, one line per month."""
        self.env["sale.target.line"].flush_model(["target_id", "date", "amount"])
        self.flush_recordset(["amount", "currency_id", "date_from", "date_to"])
        self.env.cr.execute(
            SQL(
                """SELECT t.id FROM sale_target t
                     JOIN res_currency c ON c.id = t.currency_id
                     JOIN sale_target_line l ON l.target_id = t.id
                    WHERE t.id = ANY(%s)
                    GROUP BY t.id, t.amount, c.rounding, t.date_from, t.date_to
                   HAVING abs(SUM(l.amount) - t.amount) >= c.rounding / 2
                       OR MIN(l.amount) < 0
                       OR MIN(l.date) < date_trunc('month', t.date_from)::date
                       OR MAX(l.date) > t.date_to
                    LIMIT 1""",
                self.ids,
            )
        )
        wrong = self.env.cr.fetchone()
        if wrong:
            # the per-record check words the error, from what is in the database
            target = self.browse(wrong[0])
            target.invalidate_recordset(["line_ids", "phasing_total"])
            self.env["sale.target.line"].invalidate_model(["amount", "date"])
            target._check_phasing()
            raise ValidationError(
                self.env._(
                    "Target “%(name)s”: the monthly phasing does not match the target.",
                    name=target.display_name,
                )
            )

    def _with_phasing_token(self):
        """These targets with the context that lets phasing lines change: lines
        change only through their target (see ``sale.target.line``)."""
        return self.with_context(sale_target_phasing=FROM_TARGET)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_user_values(vals, creating=True)
            self._check_period_vals(vals)
        vals_list = [self._owner_defaults(vals) for vals in vals_list]
        self._check_new_children(vals_list)
        unnamed = [not vals.get("name") for vals in vals_list]
        bulk = self.env.context.get("sale_target_phasing") is BULK_PHASING
        targets = super(SaleTarget, self._with_phasing_token()).create(vals_list)
        if not bulk:
            for target, vals in zip(targets, vals_list, strict=True):
                if not vals.get("line_ids"):
                    target.line_ids = target._phasing_commands()
        named = targets.browse(
            t.id for t, generated in zip(targets, unnamed, strict=True) if generated
        )
        named.sudo()._name_in_all_languages()
        return targets.with_env(self.env)

    def write(self, vals):
        split = self._split_by_salesperson_team(vals)
        if split:
            for targets, targets_vals in split:
                targets.write(targets_vals)
            return True
        self._check_user_values(vals)
        self._check_period_vals(vals)
        if not self.env.su:
            # the model's access first (a salesperson changes nothing), then
            # whether the user owns one of these targets
            self.browse().check_access("write")
            self._check_owner_write(vals)
        if any(f in vals for f in AMOUNT_FIELDS):
            self._check_change_reason(vals)
        # the months of confirmed targets changed by hand (an amount change
        # rescales them and is tracked with its reason already)
        phasing_before = (
            self._confirmed_phasing()
            if "line_ids" in vals and not any(f in vals for f in AMOUNT_FIELDS)
            else {}
        )
        targets = self._with_phasing_token()
        period_change = "date_from" in vals or "date_to" in vals
        if "line_ids" in vals or not (period_change or "amount" in vals):
            super(SaleTarget, targets).write(vals)
        else:
            # The phasing follows the amount and the period in the same write, so
            # that the phasing constraint sees the new lines with the new amount.
            for target in targets:
                amount = vals.get("amount", target.amount) or 0.0
                if period_change or not target.line_ids:
                    lines = target._phasing_commands(
                        amount,
                        fields.Date.to_date(vals.get("date_from")) or target.date_from,
                        fields.Date.to_date(vals.get("date_to")) or target.date_to,
                    )
                else:
                    lines = target._rescale_phasing_commands(amount)
                super(SaleTarget, target).write(dict(vals, line_ids=lines))
        if phasing_before:
            self._log_phasing_change(phasing_before, vals.get("change_reason"))
        if vals.get("name"):
            self._name_for_every_language(vals["name"])
        if not self.env.su:
            # record rules are checked before a write: check that the targets are
            # still within the user's reach after it (no move to another region,
            # team or parent out of scope)
            self.check_access("write")
        return True

    def _check_owner_write(self, vals):
        """An owner does not set their own target: the level above does."""
        if not set(vals) - OWNER_WRITABLE:
            return
        owned = self.filtered(lambda t: self.env.user in t._owner_users())
        if owned:
            raise AccessError(
                self.env._(
                    "“%(name)s” is your own target: it is set and confirmed by the "
                    "level above you. Discuss a change in its chatter while it is "
                    "in negotiation.",
                    name=owned[0].display_name,
                )
            )

    def _confirmed_phasing(self):
        """{target: {month: amount}} of the confirmed targets among these."""
        return {
            target: {line.date: line.amount for line in target.line_ids}
            for target in self.filtered(lambda t: t.state == "confirmed")
        }

    def _log_phasing_change(self, before, reason):
        """A confirmed target's months change only with a reason, posted with the
        months that changed (the lines are not tracked field by field)."""
        for target, old in before.items():
            new = {line.date: line.amount for line in target.line_ids}
            rounding = target.currency_id.rounding
            changed = [
                month
                for month in sorted(set(old) | set(new))
                if to_units(old.get(month, 0.0), rounding)
                != to_units(new.get(month, 0.0), rounding)
            ]
            if not changed:
                continue
            if not (reason or "").strip():
                raise UserError(
                    self.env._(
                        "Target “%(name)s” is confirmed: give a reason for changing "
                        "its monthly phasing.",
                        name=target.display_name,
                    )
                )
            items = Markup("").join(
                Markup("<li>%s: %s → %s</li>")
                % (
                    f"{month:%Y-%m}",
                    format_amount(self.env, old.get(month, 0.0), target.currency_id),
                    format_amount(self.env, new.get(month, 0.0), target.currency_id),
                )
                for month in changed
            )
            target.message_post(
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (
                    self.env._(
                        "Monthly phasing changed. Reason: %(reason)s",
                        reason=reason.strip(),
                    ),
                    items,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _check_change_reason(self, vals):
        """A confirmed target's amounts change only with a reason."""
        changing = self.filtered(
            lambda t: (
                t.state == "confirmed"
                and any(
                    not float_is_zero(
                        (vals[f] or 0.0) - t[f],
                        precision_rounding=t.currency_id.rounding,
                    )
                    for f in AMOUNT_FIELDS
                    if f in vals
                )
            )
        )
        if changing and not (vals.get("change_reason") or "").strip():
            raise UserError(
                self.env._(
                    "Target “%(name)s” is confirmed: give a reason for changing its "
                    "amounts.",
                    name=changing[0].display_name,
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(t.state in ("confirmed", "closed") for t in self):
            raise UserError(
                self.env._(
                    "Confirmed or closed targets cannot be deleted; close or reset "
                    "them to draft first."
                )
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _check_state(self, allowed, action):
        wrong = self.filtered(lambda t: t.state not in allowed)
        if wrong:
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Cannot %(action)s target “%(name)s” while it is %(state)s.",
                    action=action,
                    name=wrong[0].display_name,
                    state=states[wrong[0].state],
                )
            )

    def _check_can_decide(self, action):
        """Workflow actions are for HQ and the managers above a target's owner,
        never for the owner."""
        if self.env.su:
            return
        self.browse().check_access("write")
        owned = self.filtered(lambda t: self.env.user in t._owner_users())
        if owned:
            raise AccessError(
                self.env._(
                    "You cannot %(action)s “%(name)s”: it is your own target, "
                    "decided by the level above you.",
                    action=action,
                    name=owned[0].display_name,
                )
            )
        self.check_access("write")

    def _set_state(self, state, allowed, action):
        self._check_state(allowed, action)
        self._check_can_decide(action)
        # Two managers acting on a target at the same moment: the first holds it
        # until their change is committed and the second is told so; the state
        # is read again once locked.
        self.sudo()._lock_for_update(
            self.env._(
                "Someone else is changing “%(name)s” right now: reload it and "
                "try again.",
                name=self[:1].display_name,
            )
        )
        self._check_state(allowed, action)
        if state == "confirmed":
            # worded here; the database refuses it too, should two users
            # confirm two such targets at the same time
            self.env.flush_all()
            for target in self:
                target._check_no_confirmed_twin()
        # the state is a system field: written once the checks above passed,
        # and stored at once: the actuals refresh below isolates its own errors
        # only
        self.sudo().write({"state": state})
        self.env.flush_all()
        if state == "confirmed":
            # a confirmed target shows where it stands at once
            self.sudo()._refresh_actuals_isolated()
        return True

    def action_negotiate(self):
        return self._set_state(
            "negotiation", ("draft",), self.env._("send to negotiation")
        )

    def action_confirm(self):
        return self._set_state(
            "confirmed", ("draft", "negotiation"), self.env._("confirm")
        )

    def action_close(self):
        return self._set_state("closed", ("confirmed",), self.env._("close"))

    def action_reset_draft(self):
        if not (
            self.env.su
            or self.env.user.has_group("sale_regional_target.group_target_admin")
        ):
            raise AccessError(self.env._("Only HQ can reset targets to draft."))
        return self._set_state(
            "draft", ("negotiation", "confirmed", "closed"), self.env._("reset")
        )

    @api.model
    def _count_by_owner(self, field, owners):
        """{owner id: number of targets} whose ``field`` is one of ``owners``
        (a region, team or user about to be deleted), archived or not."""
        return {
            owner.id: count
            for owner, count in self.sudo()
            .with_context(active_test=False)
            ._read_group([(field, "in", owners.ids)], [field], ["__count"])
        }

    def _refuse_owner_deletion(self, field, owners, message):
        """Raise ``message`` (with ``owner`` and ``count``) for the first of
        ``owners`` that still owns targets."""
        counts = self._count_by_owner(field, owners)
        for owner in owners:
            if counts.get(owner.id):
                raise UserError(
                    message % {"owner": owner.display_name, "count": counts[owner.id]}
                )

    def _owner_record(self):
        """The salesperson, team, region or company that owns this target."""
        self.ensure_one()
        field = OWNER_FIELD.get(self.level)
        return self[field] if field else self.company_id

    def _allocation_owner(self):
        """The record whose children the allocation splits this target among."""
        return self._owner_record()

    def _allocation_key(self):
        """How the allocation wizard names this target's owner (see its lines)."""
        self.ensure_one()
        return levels.owner_key(self.level, self._owner_record().id)

    def action_allocate(self):
        self.ensure_one()
        self.check_access("read")
        wizard = self.env["sale.target.allocation.wizard"].create(
            {"target_id": self.id}
        )
        return wizard._reopen()

    @api.model
    def action_targets_home(self):
        """Where the Targets app opens: managers on the targets of the current
        period by level, salespeople on their action plan."""
        if self.env.user.has_group("sale_regional_target.group_target_manager"):
            action = self.env["ir.actions.act_window"]._for_xml_id(
                "sale_regional_target.sale_target_action"
            )
            action["context"] = {
                "search_default_current_period": 1,
                "search_default_group_level": 1,
            }
            return action
        return self.env["ir.actions.act_window"]._for_xml_id(
            "sale_regional_target.mail_activity_action_plan"
        )

    def action_view_children(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sub-targets of %s", self.display_name),
            "res_model": "sale.target",
            "view_mode": "list,form,kanban",
            "domain": [("parent_id", "=", self.id)],
            "context": {
                "default_parent_id": self.id,
                "default_metric": self.metric,
                "default_date_from": self.date_from,
                "default_date_to": self.date_to,
                "default_currency_id": self.currency_id.id,
                "default_company_id": self.company_id.id,
            },
        }

    def _review_section(self):
        """This target's review section over its whole period to date (the
        targets' review PDF)."""
        self.ensure_one()
        return self.env["sale.target.review"]._target_section(
            self,
            (self.date_from, self.date_to),
            fields.Date.context_today(self),
        )
