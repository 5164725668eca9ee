import logging
import time
from datetime import date, timedelta

import pandas as pd
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools import forecast
from ..tools.actuals import owner_sums
from ..tools.levels import OWNER_FIELD
from ..tools.periods import month_start
from . import forecast_data
from .cron_isolation import isolated
from .sale_target import LEVELS, METRICS

_logger = logging.getLogger(__name__)

BACKTEST_MONTHS = 12


def quarter_bounds(day):
    """First and last day of ``day``'s calendar quarter."""
    first = day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
    return first, first + relativedelta(months=3) - timedelta(days=1)


class SaleTargetForecastAccuracy(models.Model):
    """How far the forecast was from what happened, measured by replaying it.

    One record per company, metric and level, rewritten by each backtest: the
    forecast is replayed at each month start of the last 12 months with only what
    was known on its eve, for the quarter that month belongs to, and compared
    with where the quarter landed.
    """

    _name = "sale.target.forecast.accuracy"
    _description = "Sales Target Forecast Accuracy"
    _order = "company_id, metric, level"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade", index=True
    )
    metric = fields.Selection(METRICS, required=True, readonly=True)
    level = fields.Selection(LEVELS, required=True, readonly=True)
    wape = fields.Float(
        string="Error (%)",
        readonly=True,
        digits=(16, 1),
        aggregator="avg",
        help="Weighted absolute percentage error: the sum of |forecast - outcome| "
        "over the sum of outcomes.",
    )
    bias = fields.Float(
        string="Bias (%)",
        readonly=True,
        digits=(16, 1),
        aggregator="avg",
        help="Sum of (forecast - outcome) over the sum of outcomes: positive when "
        "the forecast promised too much.",
    )
    samples = fields.Integer(
        string="Forecasts Replayed",
        readonly=True,
        help="How many forecasts (owner and month) were compared with their outcome.",
    )
    date_from = fields.Date(string="First Replay", readonly=True)
    date_to = fields.Date(string="Last Replay", readonly=True)
    measured_on = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "company_metric_level_uniq",
            "UNIQUE (company_id, metric, level)",
            "One accuracy per company, metric and level.",
        )
    ]

    def _compute_display_name(self):
        metrics = dict(self._fields["metric"]._description_selection(self.env))
        levels = dict(self._fields["level"]._description_selection(self.env))
        for record in self:
            record.display_name = f"{metrics[record.metric]} / {levels[record.level]}"

    def _sentence(self):
        """The accuracy in words, as the Forecast tab, the war room and the
        review show it: the error rounded up (``forecast.error_bound``)."""
        self.ensure_one()
        return self.env._(
            "Within ±%(wape).0f %% over the last 12 months (bias %(bias)+.0f %%, "
            "%(samples)s forecasts replayed)",
            wape=forecast.error_bound(self.wape),
            bias=self.bias,
            samples=self.samples,
        )

    @api.model
    def _for_targets(self, targets):
        """{(company, metric, level): record} for these targets."""
        if not targets:
            return {}
        records = self.search([("company_id", "in", targets.company_id.ids)])
        return {(r.company_id.id, r.metric, r.level): r for r in records}

    # ------------------------------------------------------------------
    # Backtest
    # ------------------------------------------------------------------
    @api.model
    def _cron_backtest(self):
        """Measure each company that has targets and was not measured in the
        last 20 days, one company per call: the progress tells the scheduler to
        call again while some are left (so several workers share them).

        A company whose backtest fails is logged, flagged
        (``sale_target_backtest_error``) and left until the next day's run: the
        call goes on with the next company, those tried longest ago first."""
        self = self.sudo()
        today = fields.Date.context_today(self)
        since = today - timedelta(days=20)
        companies = self.env["sale.target"].search([]).company_id
        todo = companies.filtered(
            lambda c: (
                (not c.sale_target_backtest_date or c.sale_target_backtest_date < since)
                and not (
                    c.sale_target_backtest_tried_on
                    and c.sale_target_backtest_tried_on >= today
                )
            )
        ).sorted(lambda c: (c.sale_target_backtest_tried_on or date.min, c.id))
        done = 0
        for company in todo:
            done += 1
            with isolated(self.env, "Forecast backtest", company) as outcome:
                self._backtest(company, today=today)
            company.write(
                {
                    "sale_target_backtest_tried_on": today,
                    "sale_target_backtest_error": outcome.message,
                }
            )
            if not outcome.error:
                break
        self.env["ir.cron"]._notify_progress(done=done, remaining=len(todo) - done)

    @api.model
    def action_backtest(self):
        """Measure now (HQ), for the current company."""
        if not self.env.user.has_group("sale_regional_target.group_target_admin"):
            raise AccessError(
                self.env._("Only HQ can measure the accuracy of the forecast.")
            )
        self.sudo()._backtest(self.env.company)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("The forecast accuracy was measured again."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _backtest(self, company, today=None, months=BACKTEST_MONTHS):
        """Replay the forecast of ``company`` and store its accuracy.

        The owners replayed are those of the company's confirmed and closed
        targets (one per metric, level and owner); each is forecast for the
        calendar quarter of every month start of the last ``months`` months whose
        quarter has ended, as on that month's eve.
        """
        started = time.monotonic()
        today = today or fields.Date.context_today(self)
        Target = self.env["sale.target"].sudo()
        targets = Target.search(
            [("company_id", "=", company.id), ("state", "in", ("confirmed", "closed"))]
        )
        representative = {}
        for target in targets:
            field = OWNER_FIELD.get(target.level)
            owner = target[field].id if field else 0
            representative.setdefault((target.metric, target.level, owner), target.id)
        starts = [
            month_start(today) - relativedelta(months=k) for k in range(1, months + 1)
        ]
        starts = [m for m in starts if quarter_bounds(m)[1] < today]
        rows = []
        if representative and starts:
            reps = Target.browse(sorted(set(representative.values())))
            owner_keys = reps._actuals_owner_keys()
            first = quarter_bounds(min(starts))[0]
            last = quarter_bounds(max(starts))[1]
            documents = {
                metric: Target._actuals_document_rows(metric, company, first, last)
                for metric in set(reps.mapped("metric"))
            }
            for start in sorted(starts):
                rows.extend(self._replay(company, reps, owner_keys, documents, start))
        frame = pd.DataFrame(rows, columns=["metric", "level", "forecast", "actual"])
        measured = forecast.accuracy(frame, ["metric", "level"])
        self.search([("company_id", "=", company.id)]).unlink()
        company.sudo().sale_target_backtest_date = today
        now = fields.Datetime.now()
        self.create(
            [
                {
                    "company_id": company.id,
                    "metric": row.metric,
                    "level": row.level,
                    "wape": 0.0 if pd.isna(row.wape) else row.wape,
                    "bias": 0.0 if pd.isna(row.bias) else row.bias,
                    "samples": int(row.samples),
                    "date_from": min(starts),
                    "date_to": max(starts),
                    "measured_on": now,
                }
                for row in measured.itertuples()
                if not pd.isna(row.wape)
            ]
        )
        _logger.info(
            "Forecast backtest of %s: %s forecasts over %s months in %.1f s",
            company.name,
            len(frame),
            len(starts),
            time.monotonic() - started,
        )
        return measured

    def _replay(self, company, reps, owner_keys, documents, start):
        """[(metric, level, forecast, outcome)] of each owner for ``start``'s
        quarter, forecast on ``start``'s eve."""
        as_of = start - timedelta(days=1)
        first, last = quarter_bounds(start)
        data = forecast_data.gather(self.env, company, as_of, last)
        years = data["years"]
        rows = []
        for metric, group in reps.grouped("metric").items():
            parts, _doubtful = forecast.metric_parts(metric, data, as_of)
            so_far = pd.DataFrame({"target": group.ids, "start": first, "end": as_of})
            whole = pd.DataFrame({"target": group.ids, "start": first, "end": last})
            coming = pd.DataFrame({"target": group.ids, "start": start, "end": last})
            achieved = owner_sums(documents[metric], so_far, owner_keys)
            outcome = owner_sums(documents[metric], whole, owner_keys)
            result = forecast.landings(
                achieved, parts, coming, owner_keys, [years] * len(group)
            )
            rows.extend(
                zip(
                    [metric] * len(group),
                    group.mapped("level"),
                    result["forecast"].tolist(),
                    outcome.tolist(),
                    strict=True,
                )
            )
        return rows
