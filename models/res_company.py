from odoo import fields, models

from ..tools import lag_warnings
from .sale_target_settings_fields import HOURS, TOP_LEVELS, WEEKDAYS

_LAG = lag_warnings.DEFAULTS


class ResCompany(models.Model):
    _inherit = "res.company"

    sale_target_lag_week = fields.Date(
        string="Lag Warnings Checked Week",
        readonly=True,
        copy=False,
        help="The Monday of the last week whose lag warning check was completed "
        "for this company: the weekly check runs once a week.",
    )
    sale_target_backtest_date = fields.Date(
        string="Forecast Accuracy Measured On",
        readonly=True,
        copy=False,
        help="When the forecast of this company was last replayed against what "
        "happened (monthly).",
    )
    sale_target_backtest_tried_on = fields.Date(
        string="Forecast Accuracy Last Tried On",
        readonly=True,
        copy=False,
        help="When the monthly backtest last took this company, whether it "
        "succeeded or not: a company whose backtest fails waits until the next "
        "day, so that it never holds the others back.",
    )
    sale_target_backtest_error = fields.Char(
        string="Forecast Accuracy Error",
        readonly=True,
        copy=False,
        help="Why the last backtest of this company failed; cleared when one succeeds.",
    )
    sale_target_lag_cursor = fields.Char(
        string="Lag Check Progress",
        readonly=True,
        copy=False,
        help="Where this week's lag warning check stands: the Monday of the week "
        "and the last target it took (targets are taken in the order of their "
        "ids, a batch at a time).",
    )

    # The lag warnings of this company (Settings → Sales Targets → Lag
    # Warnings): each company's HQ sets its own; the addon reads them through
    # ``sale.target.settings.fields._setting``.
    sale_target_warning_pace = fields.Boolean(string="Pace Warnings", default=True)
    sale_target_warning_floor = fields.Boolean(
        string="Floor in Danger Warnings", default=True
    )
    sale_target_warning_actions = fields.Boolean(
        string="Key Action Warnings", default=True
    )
    sale_target_warning_silent = fields.Boolean(
        string="Silent Owner Warnings", default=True
    )
    sale_target_warning_completion_threshold = fields.Float(
        string="Completion Below (%)", default=_LAG["completion_threshold"]
    )
    sale_target_warning_completion_weeks = fields.Integer(
        string="For Weeks Running", default=_LAG["completion_weeks"]
    )
    sale_target_warning_silent_days = fields.Integer(
        string="Silent After (days)", default=_LAG["silent_days"]
    )
    sale_target_warning_weekday = fields.Selection(
        WEEKDAYS,
        string="Weekly Check On",
        default=str(_LAG["weekday"]),
        help="The day of the week the check runs, in each company's time zone.",
    )
    sale_target_warning_hour = fields.Selection(
        HOURS, string="Weekly Check At", default=str(_LAG["hour"])
    )
    sale_target_warning_top = fields.Selection(
        TOP_LEVELS,
        string="Escalate Up To",
        default=_LAG["top"],
        help="The highest level a warning climbs to, one level per week lagging.",
    )
    sale_target_warning_hq_user_id = fields.Many2one(
        "res.users",
        string="HQ Takes Warnings As",
        domain="[('share', '=', False)]",
        ondelete="set null",
    )
