import logging
import time
from collections import defaultdict

import pandas as pd
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..queries.orders import company_amount, company_tz_join, local_day
from ..tools import lifecycle
from ..tools.action_plan import next_due
from .cron_isolation import isolated
from .sale_target_guard_mixin import field_labels

_logger = logging.getLogger(__name__)

STAGES = [
    ("incubating", "Incubating"),
    ("growing", "Growing"),
    ("stable", "Stable"),
    ("declining", "Declining"),
]
REASONS = [
    ("never_ordered", "Never ordered"),
    ("new_no_repurchase", "First order recently, no repurchase yet"),
    ("dormant", "No order for a long time"),
    ("growing", "Up two quarters running"),
    ("falling", "Down over two quarters"),
    ("regular", "Regular purchases"),
]
REVIEW_STATES = [
    ("to_review", "To Review"),
    ("proposed", "Proposed"),
    ("confirmed", "Confirmed"),
]
# What a salesperson may change on a customer's lifecycle: their own assessment.
SALESPERSON_FIELDS = {"proposed_stage", "proposal_note"}
# Figures the classification stores with one UPDATE (column, SQL type).
CLASSIFICATION_COLUMNS = [
    ("suggested_stage", "varchar"),
    ("suggested_reason", "varchar"),
    ("first_order_date", "date"),
    ("last_order_date", "date"),
    ("order_count", "int"),
    ("revenue_last_3_months", "numeric"),
    ("revenue_months_4_6", "numeric"),
    ("revenue_months_7_9", "numeric"),
    ("revenue_12m", "numeric"),
    ("growth_last_3_months", "numeric"),
    ("growth_months_4_6", "numeric"),
    ("change_over_6_months", "numeric"),
]


class SaleCustomerLifecycle(models.Model):
    """Where a customer stands in its life with one company (客户健康度).

    The rules suggest a stage every day (``_cron_classify``), the salesperson may
    propose another, and a manager confirms one of them or overrides both with a
    reason (双人确认制). Only the confirmed ``stage`` drives action packs; the
    allocation wizard uses it too, or the suggestion while none is confirmed.
    """

    _name = "sale.customer.lifecycle"
    _description = "Customer Lifecycle"
    _inherit = ["sale.target.guard.mixin", "mail.thread"]
    _order = "revenue_12m desc, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        related="partner_id.user_id",
        store=True,
        index=True,
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        related="partner_id.user_id.sale_team_id",
        store=True,
        index=True,
        help="The sales team of the customer's salesperson.",
    )
    region_id = fields.Many2one(
        "sale.region",
        string="Region",
        related="partner_id.region_id",
        store=True,
        index=True,
    )
    stage = fields.Selection(
        STAGES,
        string="Stage",
        tracking=True,
        index=True,
        group_expand="_expand_stages",
        help="The stage a manager confirmed: it decides the customer's action pack.",
    )
    suggested_stage = fields.Selection(
        STAGES,
        string="Suggested Stage",
        readonly=True,
        help="The stage the rules give from the customer's orders (Settings).",
    )
    suggested_reason = fields.Selection(REASONS, string="Why", readonly=True)
    board_column = fields.Selection(
        [("to_classify", "To Classify"), *STAGES],
        string="Column",
        compute="_compute_board_column",
        store=True,
        index=True,
        group_expand="_expand_board_columns",
        help="Where the customer stands on the board: its confirmed stage, or To "
        "Classify while it has none.",
    )
    proposed_stage = fields.Selection(
        STAGES,
        string="Proposed Stage",
        tracking=True,
        help="The salesperson's own assessment, for the manager to confirm.",
    )
    proposal_note = fields.Text(string="Proposal Note")
    review_state = fields.Selection(
        REVIEW_STATES,
        string="Review",
        default="to_review",
        required=True,
        tracking=True,
        index=True,
    )
    review_note = fields.Text(
        string="Review Reason",
        tracking=True,
        help="Why the manager chose a stage other than the suggestion or proposal.",
    )
    reviewed_by_id = fields.Many2one("res.users", string="Reviewed By", readonly=True)
    review_date = fields.Date(string="Reviewed On", readonly=True)
    classified_on = fields.Date(string="Classified On", readonly=True, index=True)
    first_order_date = fields.Date(readonly=True)
    last_order_date = fields.Date(readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True)
    # Three rolling windows of three months ending on the classification day
    # (not calendar quarters): the last 3 months, months 4-6 and 7-9 back.
    revenue_last_3_months = fields.Monetary(string="Last 3 Months", readonly=True)
    revenue_months_4_6 = fields.Monetary(string="Months 4-6 Back", readonly=True)
    revenue_months_7_9 = fields.Monetary(string="Months 7-9 Back", readonly=True)
    revenue_12m = fields.Monetary(string="12-Month Revenue", readonly=True)
    growth_last_3_months = fields.Float(
        string="Growth, Last 3 Months (%)",
        readonly=True,
        help="The last 3 months against months 4-6 back.",
    )
    growth_months_4_6 = fields.Float(
        string="Growth, Months 4-6 Back (%)",
        readonly=True,
        help="Months 4-6 back against months 7-9 back.",
    )
    change_over_6_months = fields.Float(
        string="Change over 6 Months (%)",
        readonly=True,
        help="The last 3 months against months 7-9 back.",
    )
    actions_planned_on = fields.Date(
        readonly=True,
        help="Last day the action pack scheduler went over this customer.",
    )
    overdue_key_count = fields.Integer(
        string="Overdue Key Actions", compute="_compute_action_status"
    )
    action_status = fields.Selection(
        [("green", "On Track"), ("yellow", "Late"), ("red", "Far Behind")],
        compute="_compute_action_status",
        help="Green: no key action overdue; yellow: one; red: two or more.",
    )
    color = fields.Integer(compute="_compute_action_status")
    next_action_summary = fields.Char(
        string="Next Action", compute="_compute_action_status"
    )
    next_action_date = fields.Date(compute="_compute_action_status")
    is_manager = fields.Boolean(compute="_compute_is_manager")

    _sql_constraints = [
        (
            "partner_company_unique",
            "unique(partner_id, company_id)",
            "A customer has one lifecycle per company.",
        ),
    ]

    @api.model
    def _expand_stages(self, stages, domain):
        return [key for key, _label in STAGES]

    @api.depends("stage")
    def _compute_board_column(self):
        for record in self:
            record.board_column = record.stage or "to_classify"

    @api.model
    def _expand_board_columns(self, columns, domain):
        return ["to_classify", *(key for key, _label in STAGES)]

    @api.model
    def read_group(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        """On the board, empty columns are folded: the stages with customers
        (and late ones) show without scrolling."""
        groups = super().read_group(
            domain, fields, groupby, offset, limit, orderby, lazy
        )
        first = groupby[0] if isinstance(groupby, list | tuple) and groupby else groupby
        if first == "board_column":
            for group in groups:
                group["__fold"] = not group.get(
                    "board_column_count", group.get("__count")
                )
        return groups

    @api.depends_context("uid")
    def _compute_is_manager(self):
        self.is_manager = self.env.user.has_group(
            "sale_regional_target.group_target_manager"
        )

    def _compute_action_status(self):
        """Overdue key actions and next action of every record with two grouped
        reads over the customers' open pack activities."""
        today = fields.Date.context_today(self)
        Activity = self.env["mail.activity"]
        partners = self.partner_id.ids
        domain = [
            ("res_model", "=", "res.partner"),
            ("res_id", "in", partners),
            ("action_pack_line_id", "!=", False),
        ]
        overdue = dict(
            Activity._read_group(
                [*domain, ("action_key", "=", True), ("date_deadline", "<", today)],
                ["res_id"],
                ["__count"],
            )
        )
        upcoming = {}
        for activity in Activity.search(domain, order="date_deadline, id"):
            upcoming.setdefault(activity.res_id, activity)
        for record in self:
            count = overdue.get(record.partner_id.id, 0)
            record.overdue_key_count = count
            record.action_status = (
                "green" if not count else ("yellow" if count == 1 else "red")
            )
            record.color = {0: 10, 1: 3}.get(count, 1)
            nxt = upcoming.get(record.partner_id.id)
            record.next_action_summary = nxt and nxt.action_name
            record.next_action_date = nxt and nxt.date_deadline

    def _compute_display_name(self):
        for record in self:
            record.display_name = record.partner_id.display_name

    # ------------------------------------------------------------------
    # Review (双人确认制)
    # ------------------------------------------------------------------
    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(
            "sale_regional_target.group_target_manager"
        ):
            raise AccessError(
                self.env._("Only a sales manager can confirm a customer's stage.")
            )

    def write(self, vals):
        if not self.env.su:
            # users write their assessment only; the stage, the review and the
            # figures are written by the review actions and the classification,
            # as superuser once they have checked who may do what
            refused = set(vals) - SALESPERSON_FIELDS - {"message_main_attachment_id"}
            if refused:
                raise AccessError(
                    self.env._(
                        "%(fields)s of a customer's lifecycle are set by the "
                        "classification and the review (Confirm Stage, Override), "
                        "not written directly.",
                        fields=field_labels(self, refused) or ", ".join(refused),
                    )
                )
        if "proposed_stage" in vals and not (
            self.env.su and self.env.context.get("lifecycle_review")
        ):
            vals = dict(
                vals, review_state="proposed" if vals["proposed_stage"] else "to_review"
            )
        return super().write(vals)

    def _check_reviewer(self):
        """A manager, on customers within their reach (record rules)."""
        self._check_manager()
        self.check_access("write")

    def action_confirm_stage(self):
        """Confirm the salesperson's proposal, or the rules' suggestion."""
        self._check_reviewer()
        missing = self.filtered(lambda r: not (r.proposed_stage or r.suggested_stage))
        if missing:
            raise UserError(
                self.env._(
                    "Nothing to confirm for %(customers)s: there is neither a "
                    "proposal nor a suggestion yet. Choose a stage with Override.",
                    customers=", ".join(missing.mapped("display_name")[:5]),
                )
            )
        applied = []
        labels = dict(self._fields["stage"]._description_selection(self.env))
        for stage, records in self.grouped(
            lambda r: r.proposed_stage or r.suggested_stage
        ).items():
            records._set_stage(stage, note=False)
            applied.append(f"{labels[stage]} × {len(records)}")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Stages confirmed for %(count)s customers: %(applied)s.",
                    count=len(self),
                    applied=", ".join(applied),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def action_customers_board(self):
        """The customers' board: a salesperson's own customers; for managers,
        every customer within their reach (the record rules decide)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_regional_target.sale_customer_lifecycle_action_board"
        )
        manager = self.env.user.has_group("sale_regional_target.group_target_manager")
        action["context"] = {} if manager else {"search_default_my_customers": 1}
        return action

    def action_propose_stage(self):
        """The salesperson's own assessment, in a small form."""
        self.ensure_one()
        self.check_access("write")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_regional_target.sale_customer_lifecycle_proposal_action"
        )
        action["context"] = {
            "default_lifecycle_id": self.id,
            "default_stage": self.proposed_stage or self.suggested_stage,
        }
        return action

    def _set_stage(self, stage, note):
        self._check_reviewer()
        labels = dict(STAGES)
        today = fields.Date.context_today(self)
        for record in self:
            origin = (
                self.env._("the salesperson's proposal")
                if record.proposed_stage == stage
                else self.env._("the rules' suggestion")
                if record.suggested_stage == stage
                else self.env._("the manager's choice")
            )
            body = self.env._(
                "Stage confirmed: %(stage)s (%(origin)s).",
                stage=labels[stage],
                origin=origin,
            )
            if note:
                body += " " + self.env._("Reason: %(reason)s", reason=note)
            record.message_post(body=body)
        self.sudo().with_context(lifecycle_review=True).write(
            {
                "stage": stage,
                "review_state": "confirmed",
                "review_note": note or False,
                "proposed_stage": False,
                "proposal_note": False,
                "reviewed_by_id": self.env.uid,
                "review_date": today,
            }
        )
        self._schedule_action_packs()

    def action_override_stage(self):
        self._check_reviewer()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Choose the Stage"),
            "res_model": "sale.customer.lifecycle.review",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    def action_classify(self):
        """Classify these customers now (managers, from the list, on the
        customers they may review)."""
        self._check_reviewer()
        self.sudo()._classify(fields.Date.context_today(self))
        return True

    # ------------------------------------------------------------------
    # Classification
    # ------------------------------------------------------------------
    @api.model
    def _lifecycle_rules(self):
        """The rules of Settings (``sale_regional_target.lifecycle_<field>``)."""
        return self.env["sale.target.settings.fields"]._lifecycle_rules()

    @api.model
    def _stage_weights(self):
        return self.env["sale.target.settings.fields"]._stage_weights()

    @api.model
    def _sync_customers(self):
        """One lifecycle per (company, commercial partner) with a confirmed order,
        created in one INSERT; returns how many were added."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO sale_customer_lifecycle
                       (partner_id, company_id, user_id, team_id, region_id,
                        review_state, board_column,
                        create_uid, write_uid, create_date, write_date)
                SELECT DISTINCT ON (so.company_id, p.commercial_partner_id)
                       p.commercial_partner_id, so.company_id, cp.user_id,
                       u.sale_team_id, cp.region_id, 'to_review', 'to_classify',
                       %(uid)s, %(uid)s,
                       NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                  JOIN res_partner cp ON cp.id = p.commercial_partner_id
             LEFT JOIN res_users u ON u.id = cp.user_id
                 WHERE so.state = 'sale'
                 ORDER BY so.company_id, p.commercial_partner_id
                ON CONFLICT (partner_id, company_id) DO NOTHING
                RETURNING id
                """,
                uid=self.env.uid,
            )
        )
        return len(self.env.cr.fetchall())

    def _order_figures(self, as_of):
        """Per lifecycle of ``self``: first and last order, order count and the
        revenue of the three rolling quarters and the 12 months up to ``as_of``,
        from one grouped query (company currency, untaxed), each order on its day
        in the company's time zone, as the actuals count it."""
        self.env.flush_all()
        stop = as_of + relativedelta(days=1)
        bounds = {
            "q1": as_of - relativedelta(months=3) + relativedelta(days=1),
            "q2": as_of - relativedelta(months=6) + relativedelta(days=1),
            "q3": as_of - relativedelta(months=9) + relativedelta(days=1),
            "y": as_of - relativedelta(months=12) + relativedelta(days=1),
        }
        self.env.cr.execute(
            SQL(
                """
                WITH orders AS (
                    SELECT lc.id AS lifecycle, %(day)s AS day, %(amount)s AS amount
                      FROM sale_customer_lifecycle lc
                      JOIN res_partner p ON p.commercial_partner_id = lc.partner_id
                      JOIN sale_order so ON so.partner_id = p.id
                                        AND so.company_id = lc.company_id
                      %(tz)s
                     WHERE lc.id IN %(ids)s
                       AND so.state = 'sale'
                       -- a day of margin: the local day is decided below
                       AND so.date_order < %(margin)s
                )
                SELECT lifecycle, MIN(day), MAX(day), COUNT(*),
                       SUM(amount) FILTER (WHERE day >= %(q1)s),
                       SUM(amount) FILTER (WHERE day >= %(q2)s AND day < %(q1)s),
                       SUM(amount) FILTER (WHERE day >= %(q3)s AND day < %(q2)s),
                       SUM(amount) FILTER (WHERE day >= %(y)s)
                  FROM orders
                 WHERE day < %(stop)s
                 GROUP BY lifecycle
                """,
                day=local_day(),
                amount=company_amount(),
                tz=company_tz_join(
                    self.company_id or self.env.company, order="so", alias="tz"
                ),
                ids=tuple(self.ids) or (0,),
                stop=stop,
                margin=stop + relativedelta(days=1),
                **bounds,
            )
        )
        figures = pd.DataFrame(
            self.env.cr.fetchall(),
            columns=[
                "id",
                "first_order",
                "last_order",
                "orders",
                "q1",
                "q2",
                "q3",
                "revenue_12m",
            ],
        ).set_index("id")
        return figures.reindex(self.ids)

    def _classify(self, as_of):
        """Suggest a stage for these lifecycles from their orders up to ``as_of``
        and store it with the figures behind it in one UPDATE."""
        if not self:
            return 0
        figures = self._order_figures(as_of)
        result = lifecycle.classify(figures, as_of, self._lifecycle_rules())

        def column(values):
            return [None if pd.isna(v) else v for v in values]

        arrays = [
            list(self.ids),
            column(result["stage"]),
            column(result["reason"]),
            column(figures["first_order"]),
            column(figures["last_order"]),
            [int(v) if not pd.isna(v) else 0 for v in figures["orders"]],
            column(figures["q1"].astype(float).round(2)),
            column(figures["q2"].astype(float).round(2)),
            column(figures["q3"].astype(float).round(2)),
            column(figures["revenue_12m"].astype(float).round(2)),
            column(result["growth1"].round(2)),
            column(result["growth2"].round(2)),
            column(result["change2q"].round(2)),
        ]
        names = [name for name, _type in CLASSIFICATION_COLUMNS]
        self.env.cr.execute(
            SQL(
                """
                UPDATE sale_customer_lifecycle lc
                   SET %(sets)s,
                       review_state = CASE
                           WHEN lc.review_state = 'confirmed'
                            AND new.suggested_stage IS DISTINCT FROM lc.stage
                            AND new.suggested_stage IS DISTINCT FROM lc.suggested_stage
                           THEN 'to_review' ELSE lc.review_state END,
                       classified_on = %(as_of)s,
                       write_date = NOW() AT TIME ZONE 'UTC'
                  FROM (SELECT * FROM unnest(%(arrays)s)
                        AS t(id, %(names)s)) AS new
                 WHERE lc.id = new.id
                """,
                sets=SQL(", ").join(
                    SQL("%s = new.%s", SQL.identifier(n), SQL.identifier(n))
                    for n in names
                ),
                as_of=as_of,
                arrays=SQL(", ").join(
                    [
                        SQL("%s::int[]", arrays[0]),
                        *(
                            SQL("%s::%s[]", values, SQL(sql_type))
                            for (_name, sql_type), values in zip(
                                CLASSIFICATION_COLUMNS, arrays[1:], strict=True
                            )
                        ),
                    ]
                ),
                names=SQL(", ").join(SQL.identifier(n) for n in names),
            )
        )
        self.invalidate_recordset()
        return len(self)

    def _left_out(self, failed, mark):
        """Report the lifecycles a scheduled run failed on and ``mark`` them, so
        that they wait until the next day (see ``_in_batches``)."""
        for record, error in failed:
            _logger.warning(
                "Customer lifecycle %s (%s) left out of a scheduled run: %s",
                record.id,
                record.partner_id.display_name,
                error,
            )
        self.browse([record.id for record, _error in failed]).write(mark)

    @api.model
    def _cron_classify(self, batch_size=5000):
        """Suggest a stage for every customer not yet classified today, in
        batches (see ``_in_batches``), after giving new customers their
        lifecycle (one INSERT)."""
        self = self.sudo()
        started = time.monotonic()
        added = self._sync_customers()
        today = fields.Date.context_today(self)
        done, remaining = self._in_batches(
            ["|", ("classified_on", "=", False), ("classified_on", "<", today)],
            batch_size,
            lambda batch: batch._classify(today),
            lambda failed: self._left_out(failed, {"classified_on": today}),
        )
        _logger.info(
            "Lifecycle classification: %d new customers, %d classified in %.1f s, "
            "%d remaining",
            added,
            done,
            time.monotonic() - started,
            remaining,
        )
        return done

    # ------------------------------------------------------------------
    # Action packs
    # ------------------------------------------------------------------
    def _pack_blocker(self):
        """Why this customer follows no pack, in words; False when it does."""
        if not self.partner_id.active:
            return self.env._("the customer is archived")
        if not self.stage:
            return self.env._("the customer has no confirmed stage")
        if not self.user_id:
            return self.env._("the customer has no salesperson")
        return False

    def _schedule_action_packs(self, today=None):
        """Keep the pack activities of these customers in line with their stage
        and salesperson: one open activity per pack line, due one period after
        the last done one; activities of lines no longer in the customer's pack
        are cancelled with a note; a new salesperson gets the open ones.

        Reads the open and done activities of the whole batch with one search and
        one grouped read, and creates the missing ones with one ``create``.
        Returns (created, reassigned, cancelled) counts.
        """
        self = self.sudo()
        today = today or fields.Date.context_today(self)
        Activity = self.env["mail.activity"].with_context(
            active_test=False, mail_activity_quick_update=True
        )
        lines_by_pack = (
            self.env["sale.action.pack.line"]
            .search(
                [
                    ("pack_id.active", "=", True),
                    ("company_id", "in", self.company_id.ids),
                ]
            )
            .grouped(lambda line: (line.company_id.id, line.stage))
        )
        base = [
            ("res_model", "=", "res.partner"),
            ("res_id", "in", self.partner_id.ids),
            ("action_pack_line_id", "!=", False),
        ]
        open_activities = Activity.search([*base, ("active", "=", True)]).grouped(
            lambda a: (a.res_id, a.action_pack_line_id.company_id.id)
        )
        last_done = {
            (res_id, line.id): day
            for res_id, line, day in Activity._read_group(
                [*base, ("active", "=", False)],
                ["res_id", "action_pack_line_id"],
                ["date_done:max"],
            )
        }
        model_id = self.env["ir.model"]._get_id("res.partner")
        # each action is written in its salesperson's language (the board shows
        # the pack line's name in the reader's language anyway)
        all_lines = self.env["sale.action.pack.line"].union(*lines_by_pack.values())
        texts = {
            lang: {
                line.id: (line.name, line.note)
                for line in all_lines.with_context(lang=lang)
            }
            for lang in set(self.user_id.mapped("lang")) | {self.env.lang or "en_US"}
        }
        to_create, to_cancel, to_reassign = [], [], defaultdict(list)

        def lang_of(record):
            return record.user_id.lang or self.env.lang or "en_US"

        for record in self:
            current = open_activities.get(
                (record.partner_id.id, record.company_id.id), Activity
            )
            blocker = record._pack_blocker()
            wanted = (
                self.env["sale.action.pack.line"]
                if blocker
                else lines_by_pack.get(
                    (record.company_id.id, record.stage),
                    self.env["sale.action.pack.line"],
                )
            )
            stale = current.filtered(lambda a, w=wanted: a.action_pack_line_id not in w)
            if stale:
                to_cancel.append((record, stale, blocker))
            for line in wanted:
                mine = current.filtered(
                    lambda a, line=line: a.action_pack_line_id == line
                )
                if mine:
                    # one open activity per line: extra ones (made by hand) stay
                    to_reassign[record.user_id.id] += mine.filtered(
                        lambda a, r=record: a.user_id != r.user_id
                    ).ids
                    continue
                summary, note = texts[lang_of(record)][line.id]
                to_create.append(
                    record._prepare_pack_activity_vals(
                        line,
                        model_id,
                        summary,
                        note,
                        next_due(
                            line.frequency_number,
                            line.frequency_unit,
                            last_done.get((record.partner_id.id, line.id)),
                            record.review_date,
                            today,
                        ),
                    )
                )
        self._cancel_pack_activities(to_cancel)
        for user_id, ids in to_reassign.items():
            if ids:
                Activity.browse(ids).write({"user_id": user_id})
        # mail.activity.create subscribes each assignee to each record with one
        # call per assignee (and cannot take a record twice in one call): the
        # followers are added here in bulk first, so those calls find them all
        # and every activity is created in one call.
        self._subscribe_assignees(to_create)
        Activity.create(to_create)
        self.write({"actions_planned_on": today})
        return (
            len(to_create),
            sum(len(ids) for ids in to_reassign.values()),
            sum(len(stale) for _r, stale, _b in to_cancel),
        )

    def _prepare_pack_activity_vals(self, line, model_id, summary, note, deadline):
        """The values of the activity that plans pack ``line`` for this customer,
        due on ``deadline``, with its texts in the salesperson's language. A hook
        for other addons."""
        self.ensure_one()
        return {
            "res_model_id": model_id,
            "res_id": self.partner_id.id,
            "activity_type_id": line.activity_type_id.id,
            "summary": summary,
            "note": note,
            "date_deadline": deadline,
            "user_id": self.user_id.id,
            "action_pack_line_id": line.id,
            "action_key": line.is_key,
        }

    def _subscribe_assignees(self, vals_list):
        """Make every assignee of ``vals_list`` (activity values on partners) a
        follower of its customer, in bulk."""
        users = self.env["res.users"].browse({v["user_id"] for v in vals_list})
        partner_of = {user.id: user.partner_id for user in users}
        self._subscribe_in_bulk(
            "res.partner",
            [(v["res_id"], partner_of[v["user_id"]]) for v in vals_list],
        )

    @api.model
    def _cancel_pack_activities(self, to_cancel):
        """Cancel activities that no pack asks for any more, with a note on each
        customer saying which and why.

        :param to_cancel: [(lifecycle, activities, why the customer follows no
            pack or False when its stage changed)]
        """
        stages = dict(STAGES)
        for record, activities, blocker in to_cancel:
            why = blocker or self.env._(
                "the customer's stage is now %(stage)s", stage=stages[record.stage]
            )
            items = Markup("").join(
                Markup("<li>%s (%s)</li>") % (a.action_name, a.date_deadline)
                for a in activities
            )
            record.partner_id.message_post(
                body=Markup("%s<ul>%s</ul>")
                % (
                    self.env._("Planned actions cancelled because %(why)s:", why=why),
                    items,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.env["mail.activity"].union(*(a for _r, a, _b in to_cancel)).unlink()

    @api.model
    def _cron_schedule_action_packs(self, batch_size=2000):
        """Plan the pack activities of every customer not yet planned today, in
        batches (see ``_in_batches``); when all are done, move the board's
        columns to today and recount this week's and last week's completion."""
        self = self.sudo()
        today = fields.Date.context_today(self)
        done, remaining = self._in_batches(
            [
                "|",
                ("actions_planned_on", "=", False),
                ("actions_planned_on", "<", today),
            ],
            batch_size,
            lambda batch: batch._schedule_action_packs(today),
            lambda failed: self._left_out(failed, {"actions_planned_on": today}),
        )
        if not remaining:
            # each on its own: should one fail, the plans made stay
            with isolated(self.env, "Action pack columns"):
                self.env["mail.activity"]._refresh_action_buckets(today)
            with isolated(self.env, "Action completion"):
                self.env["sale.action.completion"]._compute_recent_weeks(today)
        return done
