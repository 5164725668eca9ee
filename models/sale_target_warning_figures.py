from odoo import api, fields, models
from odoo.tools import format_amount

from ..tools import lag_warnings
from .sale_target import METRICS

# Figures a weekly check stores: on a warning, those at detection; on each of its
# weeks, those of that week's check.
FIGURE_FIELDS = (
    "achieved_amount",
    "target_amount",
    "floor_amount",
    "expected_amount",
    "achievement_rate",
    "expected_rate",
    "gap_amount",
    "projected_amount",
    "completion_rate",
    "previous_completion_rate",
    "completion_done",
    "completion_counted",
    "days_without_order",
    "last_order_date",
)


class SaleTargetWarningFigures(models.AbstractModel):
    """The figures of a lag warning's check, shared by the warning (at
    detection) and by each week it was checked."""

    _name = "sale.target.warning.figures"
    _description = "Lag Warning Figures"

    achieved_amount = fields.Float(string="Achieved", digits=(16, 2))
    target_amount = fields.Float(string="Target Amount", digits=(16, 2))
    floor_amount = fields.Float(string="Floor", digits=(16, 2))
    expected_amount = fields.Float(
        string="Expected by Now",
        digits=(16, 2),
        help="The target times the share of its period elapsed.",
    )
    achievement_rate = fields.Float(string="Achievement (%)", digits=(16, 1))
    expected_rate = fields.Float(string="Time Elapsed (%)", digits=(16, 1))
    gap_amount = fields.Float(string="Gap", digits=(16, 2))
    projected_amount = fields.Float(
        string="Run-rate Landing",
        digits=(16, 2),
        help="Where the period ends if the owner goes on at the daily rate "
        "achieved so far.",
    )
    completion_rate = fields.Float(
        string="Completion, Last Week (%)",
        digits=(16, 1),
        help="Key actions done over counted in the last complete week.",
    )
    previous_completion_rate = fields.Float(
        string="Completion, Week Before (%)", digits=(16, 1)
    )
    completion_done = fields.Integer(string="Key Actions Done")
    completion_counted = fields.Integer(string="Key Actions Counted")
    days_without_order = fields.Integer(string="Days Without Order")
    last_order_date = fields.Date(string="Last Order")
    metric = fields.Selection(METRICS, string="Metric")
    currency_id = fields.Many2one("res.currency", string="Currency")
    figure_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_figure_currency_id",
        help="The currency the amounts are shown in: none for a count of new "
        "customers.",
    )

    @api.depends("metric", "currency_id")
    def _compute_figure_currency_id(self):
        for record in self:
            record.figure_currency_id = (
                record.metric != "new_customers" and record.currency_id
            )

    # ------------------------------------------------------------------
    # Words
    # ------------------------------------------------------------------
    def _format_figure(self, value):
        """An amount of this warning's metric as it reads: with the currency,
        or a plain count of new customers."""
        currency = self.figure_currency_id
        if currency:
            return format_amount(self.env, value or 0.0, currency)
        return f"{value or 0:,.0f}"

    def _figure_text(self, rule):
        """The line saying why ``rule`` holds, from these figures (a warning's
        or one of its weeks')."""
        self.ensure_one()
        if rule == lag_warnings.PACE:
            achieved = f"{self.achievement_rate:.1f}"
            expected = f"{self.expected_rate:.1f}"
            return self.env._(
                "%(achieved)s%% achieved against %(expected)s%% of the period elapsed",
                achieved=achieved,
                expected=expected,
            )
        if rule == lag_warnings.FLOOR:
            landing = self._format_figure(self.projected_amount)
            floor = self._format_figure(self.floor_amount)
            return self.env._(
                "At the run-rate so far the period ends at %(landing)s, below the "
                "floor of %(floor)s",
                landing=landing,
                floor=floor,
            )
        if rule == lag_warnings.ACTIONS:
            last = f"{self.completion_rate:.1f}"
            before = f"{self.previous_completion_rate:.1f}"
            return self.env._(
                "Key actions completed: %(last)s%% last week, %(before)s%% the "
                "week before",
                last=last,
                before=before,
            )
        if rule == lag_warnings.SILENT:
            gap = self._format_figure(self.gap_amount)
            return self.env._(
                "No confirmed order for %(days)s days, %(gap)s still to reach",
                days=self.days_without_order,
                gap=gap,
            )
        return ""
