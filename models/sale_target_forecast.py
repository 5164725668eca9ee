from datetime import timedelta

import numpy as np
import pandas as pd
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, format_amount, format_date

from ..tools import forecast, pace
from ..tools.periods import day_numbers
from . import forecast_data

# Stored forecast figures, written together by _write_forecast().
FORECAST_FIELDS = (
    "forecast_amount",
    "forecast_low",
    "forecast_high",
    "forecast_rate",
    "forecast_committed",
    "forecast_pipeline",
    "forecast_run_rate",
    "forecast_doubtful",
    "forecast_confidence",
    "forecast_below_floor",
    "forecast_weeks",
    "forecast_date",
)
# below this share of the pipeline resting on calibrated win rates, the forecast
# is flagged low confidence
CALIBRATED_SHARE = 0.5


class SaleTarget(models.Model):
    _inherit = "sale.target"

    forecast_amount = fields.Float(
        string="Forecast",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="Where the target is expected to land at the end of its period: "
        "achieved so far plus what is still expected in the period (see the "
        "parts below).",
    )
    forecast_low = fields.Float(
        string="Forecast Low", readonly=True, copy=False, digits=(16, 2)
    )
    forecast_high = fields.Float(
        string="Forecast High", readonly=True, copy=False, digits=(16, 2)
    )
    forecast_rate = fields.Float(
        string="Forecast (%)",
        readonly=True,
        copy=False,
        aggregator="avg",
        digits=(16, 1),
        help="The forecast landing as a percent of the target. In a group: the "
        "forecast total over the target total of the members that have a "
        "forecast (empty when none has).",
    )
    forecast_committed = fields.Float(
        string="From Documents",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="Expected in the period from documents already there: confirmed "
        "orders still to invoice, open customer invoices.",
    )
    forecast_pipeline = fields.Float(
        string="From Opportunities",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="Open opportunities expected in the period, weighted by the win "
        "rate of their team and stage over the last 12 months.",
    )
    forecast_run_rate = fields.Float(
        string="Without Opportunity",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="Business that usually arrives without an opportunity: the owner's "
        "orders of the same days in the past years.",
    )
    forecast_doubtful = fields.Float(
        string="Doubtful Receivables",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="Customer invoices overdue by more than 180 days: not counted in "
        "the forecast.",
    )
    forecast_confidence = fields.Selection(
        [("high", "Normal"), ("low", "Low")],
        string="Forecast Confidence",
        readonly=True,
        copy=False,
        help="Low when the owner has no sales history of past years, or when "
        "most of the pipeline has no closed opportunities to learn its win rate "
        "from.",
    )
    forecast_below_floor = fields.Boolean(
        string="Forecast Below Floor",
        readonly=True,
        copy=False,
        index=True,
        help="The forecast landing is below the floor.",
    )
    forecast_weeks = fields.Json(string="Next 13 Weeks", readonly=True, copy=False)
    forecast_date = fields.Datetime(string="Forecast On", readonly=True, copy=False)
    forecast_weeks_html = fields.Html(
        string="Next 13 Weeks Expected",
        compute="_compute_forecast_weeks_html",
        sanitize=False,
    )
    forecast_accuracy = fields.Char(
        string="Forecast Accuracy", compute="_compute_forecast_accuracy"
    )
    forecast_wape = fields.Float(
        string="Forecast Error (%)", compute="_compute_forecast_accuracy"
    )

    def _guarded_fields(self):
        # written by the forecast refresh only
        return super()._guarded_fields() | set(FORECAST_FIELDS)

    # ------------------------------------------------------------------
    # Display
    # ------------------------------------------------------------------
    def _compute_forecast_accuracy(self):
        records = self.env["sale.target.forecast.accuracy"].sudo()._for_targets(self)
        for target in self:
            record = records.get((target.company_id.id, target.metric, target.level))
            target.forecast_wape = record.wape if record else 0.0
            target.forecast_accuracy = (
                record._sentence() if record else self.env._("Not measured yet")
            )

    @api.depends("forecast_weeks", "figure_currency_id")
    def _compute_forecast_weeks_html(self):
        for target in self:
            weeks = target.forecast_weeks or []
            if not weeks:
                target.forecast_weeks_html = False
                continue
            cells = Markup("").join(
                Markup(
                    '<tr><td class="text-nowrap">%s</td>'
                    '<td class="text-end text-nowrap">%s</td></tr>'
                )
                % (
                    format_date(self.env, day),
                    target._format_forecast(amount),
                )
                for day, amount in weeks
            )
            target.forecast_weeks_html = Markup(
                '<table class="table table-sm o_srt_forecast_weeks">'
                "<thead><tr><th>%s</th><th class='text-end'>%s</th></tr></thead>"
                "<tbody>%s</tbody></table>"
            ) % (self.env._("Week of"), self.env._("Expected"), cells)

    def _format_forecast(self, amount):
        if self.figure_currency_id:
            return format_amount(self.env, amount, self.figure_currency_id)
        return f"{amount:,.1f}"

    def action_view_feeding_opportunities(self):
        """The open opportunities that count for this target."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm.crm_lead_action_pipeline"
        )
        action["domain"] = [
            ("type", "=", "opportunity"),
            ("company_id", "=", self.company_id.id),
            *self._owner_document_domain("user_id", "team_id"),
        ]
        action["context"] = {"default_type": "opportunity"}
        return action

    def action_view_doubtful(self):
        """Customer invoices of this target's owner overdue by more than 180 days."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("amount_residual_signed", ">", 0),
            ("company_id", "=", self.company_id.id),
            (
                "invoice_date_due",
                "<",
                today - timedelta(days=forecast.DOUBTFUL_DAYS),
            ),
            *self._owner_document_domain("invoice_user_id", "team_id"),
        ]
        action["context"] = {"create": False}
        return action

    def _owner_document_domain(self, user_field, team_field):
        """Domain of the documents counted for this target's owner."""
        if self.level == "user":
            return [(user_field, "=", self.user_id.id)]
        if self.level == "team":
            return [(team_field, "=", self.team_id.id)]
        if self.level == "region":
            teams = (
                self.env["crm.team"]
                .sudo()
                .with_context(active_test=False)
                .search([("region_id", "child_of", self.region_id.id)])
            )
            return [(team_field, "in", teams.ids)]
        return []

    # ------------------------------------------------------------------
    # Refresh
    # ------------------------------------------------------------------
    def _forecast_targets(self, today):
        """The targets that get a forecast: confirmed, with days still to come."""
        return self.filtered(
            lambda t: (
                t.state == "confirmed"
                and t.date_from
                and t.date_to
                and t.date_to > today
            )
        )

    def _refresh_forecast(self):
        """Forecast these targets (those still to come: ``_forecast_targets``)
        from what their companies know today, and store it with one UPDATE; the
        others lose any forecast they had."""
        today = fields.Date.context_today(self)
        targets = self._forecast_targets(today)
        stale = self - targets
        if stale:
            self._clear_forecast(stale)
        if not targets:
            return True
        horizon = max(
            max(targets.mapped("date_to")), today + timedelta(days=7 * forecast.WEEKS)
        )
        owner_keys = targets._actuals_owner_keys()
        tomorrow = today + timedelta(days=1)
        force = self.env.context.get("sale_target_refit")
        for company, in_company in targets.grouped("company_id").items():
            # the history learnt once an hour, the documents of these owners only
            data = forecast_data.gather(
                self.env,
                company,
                today,
                horizon,
                owners=forecast_data.owner_filter(owner_keys, company),
                model=forecast_data.fitted(self.env, company, today, force=force),
            )
            for metric, group in in_company.grouped("metric").items():
                parts, bad = forecast.metric_parts(metric, data, today)
                result = group._forecast_landings(
                    parts,
                    owner_keys,
                    data,
                    metric,
                    tomorrow,
                    group.mapped("achieved_amount"),
                )
                result["doubtful"] = group._doubtful_sums(bad, owner_keys)
                weeks = forecast.weekly(parts, group.ids, owner_keys, today)
                group._write_forecast(result, weeks, today)
        return True

    def _forecast_landings(self, parts, owner_keys, data, metric, start, achieved):
        """``tools.forecast.landings`` of these targets over their days from
        ``start``, and their confidence."""
        owners = pd.DataFrame(
            {
                "target": self.ids,
                "start": [max(t.date_from, start) for t in self],
                "end": self.mapped("date_to"),
            }
        )
        years = [data["years"]] * len(self)
        result = forecast.landings(achieved, parts, owners, owner_keys, years)
        result["confidence"] = forecast.confidence(
            result, years, metric, CALIBRATED_SHARE
        )
        return result

    def _doubtful_sums(self, receivables, owner_keys):
        if receivables.empty:
            return np.zeros(len(self))
        rows = forecast.document_key_rows(
            receivables.assign(day=receivables["due"]), ("amount",)
        )
        owners = pd.DataFrame(
            {
                "target": self.ids,
                "start": day_numbers(receivables["due"]).min(),
                "end": day_numbers(receivables["due"]).max(),
            }
        )
        return forecast.owner_sums_many(rows, owners, owner_keys, ("amount",))[:, 0]

    def _write_forecast(self, result, weeks, today):
        now = fields.Datetime.now()
        amounts = self.mapped("amount")
        floors = self.mapped("floor_amount")
        week_days = [
            fields.Date.to_string(today + timedelta(days=1 + 7 * i))
            for i in range(weeks.shape[1])
        ]
        columns = {
            "id": self.ids,
            "amount": [pace.stored(v, 2) for v in result["forecast"]],
            "low": [pace.stored(v, 2) for v in result["low"]],
            "high": [pace.stored(v, 2) for v in result["high"]],
            "rate": [
                pace.stored(pace.rate(v, a), 1)
                for v, a in zip(result["forecast"], amounts, strict=True)
            ],
            "committed": [pace.stored(v, 2) for v in result["committed"]],
            "pipeline": [pace.stored(v, 2) for v in result["pipeline"]],
            "run_rate": [pace.stored(v, 2) for v in result["run_rate"]],
            "doubtful": [pace.stored(v, 2) for v in result["doubtful"]],
            "confidence": list(result["confidence"]),
            "below": [
                bool(floor) and value < floor
                for value, floor in zip(result["forecast"], floors, strict=True)
            ],
            "weeks": [forecast.json_weeks(week_days, row) for row in weeks.tolist()],
        }
        self.flush_recordset(FORECAST_FIELDS)
        self.env.cr.execute(
            SQL(
                """UPDATE sale_target t
                      SET forecast_amount = v.amount, forecast_low = v.low,
                          forecast_high = v.high, forecast_rate = v.rate,
                          forecast_committed = v.committed,
                          forecast_pipeline = v.pipeline,
                          forecast_run_rate = v.run_rate,
                          forecast_doubtful = v.doubtful,
                          forecast_confidence = v.confidence,
                          forecast_below_floor = v.below,
                          forecast_weeks = v.weeks::jsonb, forecast_date = %s
                     FROM unnest(%s::int[], %s::numeric[], %s::numeric[],
                                 %s::numeric[], %s::numeric[], %s::numeric[],
                                 %s::numeric[], %s::numeric[], %s::numeric[],
                                 %s::varchar[], %s::bool[], %s::text[])
                       AS v(id, amount, low, high, rate, committed, pipeline,
                            run_rate, doubtful, confidence, below, weeks)
                    WHERE t.id = v.id""",
                now,
                *columns.values(),
            )
        )
        self.invalidate_recordset(FORECAST_FIELDS)

    @api.model
    def _clear_forecast(self, targets):
        targets.flush_recordset(FORECAST_FIELDS)
        self.env.cr.execute(
            SQL(
                """UPDATE sale_target
                      SET forecast_amount = NULL, forecast_low = NULL,
                          forecast_high = NULL, forecast_rate = NULL,
                          forecast_committed = NULL, forecast_pipeline = NULL,
                          forecast_run_rate = NULL, forecast_doubtful = NULL,
                          forecast_confidence = NULL, forecast_below_floor = FALSE,
                          forecast_weeks = NULL, forecast_date = NULL
                    WHERE id IN %s AND forecast_date IS NOT NULL""",
                tuple(targets.ids),
            )
        )
        targets.invalidate_recordset(FORECAST_FIELDS)
