from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import lag_warnings, lifecycle, pace
from .sale_target import ALLOCATION_UNITS
from .sale_target_guard_mixin import check_number

# defaults from the rules themselves (tools/): one home for each figure
_RULES = lifecycle.Rules()
_LAG = lag_warnings.DEFAULTS

# Switches on by default, each stored as "True" / "False" in its parameter: a
# Boolean setting with a parameter cannot default to True in Odoo (unticking it
# removes the parameter, which brings the default back).
SWITCHES = {
    "sale_target_warning_pace": "sale_regional_target.warning_pace",
    "sale_target_warning_floor": "sale_regional_target.warning_floor",
    "sale_target_warning_actions": "sale_regional_target.warning_actions",
    "sale_target_warning_silent": "sale_regional_target.warning_silent",
}
WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]
HOURS = [(str(hour), f"{hour:02d}:00") for hour in range(24)]
TOP_LEVELS = [
    (lag_warnings.TEAM_LEADER, "Team Leader"),
    (lag_warnings.REGION_MANAGER, "Regional Manager"),
    (lag_warnings.PARENT_REGION_MANAGER, "Parent Region Managers"),
    (lag_warnings.HQ, "HQ"),
]


class SaleTargetSettingsFields(models.AbstractModel):
    """The settings of the addon, each stored in a system parameter, shared by
    Odoo's Settings (for system administrators) and the addon's own settings
    form (for HQ administrators, who may not open Odoo's)."""

    _name = "sale.target.settings.fields"
    _description = "Sales Targets Settings (fields)"

    def _valid_field_parameter(self, field, name):
        # each field names its system parameter, as in Odoo's Settings
        return name == "config_parameter" or super()._valid_field_parameter(field, name)

    sale_target_pace_working_days = fields.Boolean(
        string="Pace by Working Days",
        config_parameter="sale_regional_target.pace_working_days",
        help="Measure the time elapsed in a target's period in working days "
        "(Monday to Friday) instead of calendar days.",
    )
    sale_target_pace_ahead = fields.Float(
        string="Ahead From",
        config_parameter="sale_regional_target.pace_ahead",
        default=pace.DEFAULT_THRESHOLDS[pace.AHEAD],
        help="Achievement over expected achievement from which a target is ahead.",
    )
    sale_target_pace_on_track = fields.Float(
        string="On Track From",
        config_parameter="sale_regional_target.pace_on_track",
        default=pace.DEFAULT_THRESHOLDS[pace.ON_TRACK],
    )
    sale_target_pace_at_risk = fields.Float(
        string="At Risk From",
        config_parameter="sale_regional_target.pace_at_risk",
        default=pace.DEFAULT_THRESHOLDS[pace.AT_RISK],
        help="Below this ratio a target is behind.",
    )
    sale_target_allocation_unit = fields.Selection(
        ALLOCATION_UNITS,
        string="Allocation Rounding",
        config_parameter="sale_regional_target.allocation_unit",
        default="100",
        help="Default unit of the allocation wizard: children's targets are whole "
        "multiples of it and still add up exactly to the parent.",
    )

    sale_target_lifecycle_incubating_months = fields.Integer(
        string="Incubating For (months)",
        config_parameter="sale_regional_target.lifecycle_incubating_months",
        default=_RULES.incubating_months,
        help="A customer whose first order is more recent than this and who has "
        "not ordered again is incubating.",
    )
    sale_target_lifecycle_growth_rate = fields.Float(
        string="Growing Above (%)",
        config_parameter="sale_regional_target.lifecycle_growth_rate",
        default=_RULES.growth_rate,
        help="Growing: the last quarter's purchases are up more than this on the "
        "quarter before, and that quarter's on the one before it.",
    )
    sale_target_lifecycle_decline_rate = fields.Float(
        string="Declining Below (%)",
        config_parameter="sale_regional_target.lifecycle_decline_rate",
        default=_RULES.decline_rate,
        help="Declining: the last quarter's purchases are down more than this on "
        "those of two quarters before.",
    )
    sale_target_lifecycle_dormant_months = fields.Integer(
        string="Dormant After (months)",
        config_parameter="sale_regional_target.lifecycle_dormant_months",
        default=_RULES.dormant_months,
        help="Declining too: no order for this many months.",
    )
    sale_target_weight_growing = fields.Float(
        string="Growing Weight (%)",
        config_parameter="sale_regional_target.lifecycle_weight_growing",
        default=round(100 * lifecycle.DEFAULT_WEIGHTS["growing"], 2),
    )
    sale_target_weight_stable = fields.Float(
        string="Stable Weight (%)",
        config_parameter="sale_regional_target.lifecycle_weight_stable",
        default=round(100 * lifecycle.DEFAULT_WEIGHTS["stable"], 2),
    )
    sale_target_weight_incubating = fields.Float(
        string="Incubating Weight (%)",
        config_parameter="sale_regional_target.lifecycle_weight_incubating",
        default=round(100 * lifecycle.DEFAULT_WEIGHTS["incubating"], 2),
    )
    sale_target_weight_declining = fields.Float(
        string="Declining Weight (%)",
        config_parameter="sale_regional_target.lifecycle_weight_declining",
        default=round(100 * lifecycle.DEFAULT_WEIGHTS["declining"], 2),
    )

    # Lag warnings (Settings → Sales Targets → Lag Warnings)
    sale_target_warning_pace = fields.Boolean(
        string="Pace Warnings",
        default=True,
        help="Warn when a confirmed target is at risk or behind at the weekly check.",
    )
    sale_target_warning_floor = fields.Boolean(
        string="Floor in Danger Warnings",
        default=True,
        help="Warn when, at its daily run-rate so far, a confirmed target ends its "
        "period below its floor.",
    )
    sale_target_warning_actions = fields.Boolean(
        string="Key Action Warnings",
        default=True,
        help="Warn when a salesperson's key-action completion stays below the "
        "threshold for the given number of complete weeks.",
    )
    sale_target_warning_silent = fields.Boolean(
        string="Silent Owner Warnings",
        default=True,
        help="Warn when the owner of a target with a gap left has confirmed no "
        "order for the given number of days.",
    )
    sale_target_warning_completion_threshold = fields.Float(
        string="Completion Below (%)",
        config_parameter="sale_regional_target.warning_completion_threshold",
        default=_LAG["completion_threshold"],
        help="A week's key-action completion below this lags (exactly this does not).",
    )
    sale_target_warning_completion_weeks = fields.Integer(
        string="For Weeks Running",
        config_parameter="sale_regional_target.warning_completion_weeks",
        default=_LAG["completion_weeks"],
        help="How many complete weeks in a row the completion must lag.",
    )
    sale_target_warning_silent_days = fields.Integer(
        string="Silent After (days)",
        config_parameter="sale_regional_target.warning_silent_days",
        default=_LAG["silent_days"],
    )
    sale_target_warning_weekday = fields.Selection(
        WEEKDAYS,
        string="Weekly Check On",
        config_parameter="sale_regional_target.warning_weekday",
        default=str(_LAG["weekday"]),
        help="The day of the week the check runs, in each company's time zone.",
    )
    sale_target_warning_hour = fields.Selection(
        HOURS,
        string="Weekly Check At",
        config_parameter="sale_regional_target.warning_hour",
        default=str(_LAG["hour"]),
    )
    sale_target_warning_top = fields.Selection(
        TOP_LEVELS,
        string="Escalate Up To",
        config_parameter="sale_regional_target.warning_top",
        default=_LAG["top"],
        help="The highest level a warning climbs to, one level per week lagging.",
    )
    sale_target_warning_hq_user_id = fields.Many2one(
        "res.users",
        string="HQ Takes Warnings As",
        config_parameter="sale_regional_target.warning_hq_user_id",
        domain="[('share', '=', False)]",
        help="The HQ administrator who takes the warnings that reach HQ (company "
        "targets, escalations); without one, the first HQ administrator.",
    )

    @api.model
    def _lag_warning_settings(self):
        """The lag warning rules as the weekly check reads them."""
        params = self.env["ir.config_parameter"].sudo()

        def number(name, kind):
            field = self._fields[name]
            value = params.get_param(field.config_parameter)
            try:
                return (
                    kind(float(value))
                    if value not in (None, False)
                    else field.default(self)
                )
            except (TypeError, ValueError):
                return field.default(self)

        def choice(name):
            field = self._fields[name]
            value = params.get_param(field.config_parameter)
            allowed = {key for key, _label in field.selection}
            return value if value in allowed else field.default(self)

        switches = self._switch_values()
        return {
            lag_warnings.PACE: switches["sale_target_warning_pace"],
            lag_warnings.FLOOR: switches["sale_target_warning_floor"],
            lag_warnings.ACTIONS: switches["sale_target_warning_actions"],
            lag_warnings.SILENT: switches["sale_target_warning_silent"],
            "completion_threshold": number(
                "sale_target_warning_completion_threshold", float
            ),
            "completion_weeks": number("sale_target_warning_completion_weeks", int),
            "silent_days": number("sale_target_warning_silent_days", int),
            "weekday": int(choice("sale_target_warning_weekday")),
            "hour": int(choice("sale_target_warning_hour")),
            "top": choice("sale_target_warning_top"),
        }

    @api.model
    def _switch_values(self):
        params = self.env["ir.config_parameter"].sudo()
        return {
            name: params.get_param(param, "True") not in ("False", "0", "")
            for name, param in SWITCHES.items()
        }

    def _store_switches(self):
        params = self.env["ir.config_parameter"].sudo()
        for name, param in SWITCHES.items():
            params.set_param(param, "True" if self[name] else "False")

    @api.constrains(
        "sale_target_warning_completion_threshold",
        "sale_target_warning_completion_weeks",
        "sale_target_warning_silent_days",
    )
    def _check_lag_warning_settings(self):
        for settings in self:
            if not 0 < settings.sale_target_warning_completion_threshold <= 100:
                raise ValidationError(
                    self.env._(
                        "The completion threshold of key-action warnings is a "
                        "percentage above 0% and at most 100%."
                    )
                )
            if not 1 <= settings.sale_target_warning_completion_weeks <= 12:
                raise ValidationError(
                    self.env._(
                        "Key-action warnings need 1 to 12 complete weeks running."
                    )
                )
            if not 1 <= settings.sale_target_warning_silent_days <= 365:
                raise ValidationError(
                    self.env._("Silent owner warnings take 1 to 365 days.")
                )

    _ZERO_ALLOWED = (
        "sale_target_weight_growing",
        "sale_target_weight_stable",
        "sale_target_weight_incubating",
        "sale_target_weight_declining",
    )

    def _store_zero_weights(self):
        """Odoo drops a parameter set to 0, which brings its default back: a
        stage weighted 0 on purpose is stored as such."""
        params = self.env["ir.config_parameter"].sudo()
        for name in self._ZERO_ALLOWED:
            if not self[name]:
                params.set_param(self._fields[name].config_parameter, "0.0")

    @api.constrains(
        "sale_target_lifecycle_incubating_months",
        "sale_target_lifecycle_growth_rate",
        "sale_target_lifecycle_decline_rate",
        "sale_target_lifecycle_dormant_months",
        "sale_target_weight_growing",
        "sale_target_weight_stable",
        "sale_target_weight_incubating",
        "sale_target_weight_declining",
    )
    def _check_lifecycle_settings(self):
        for settings in self:
            if (
                settings.sale_target_lifecycle_incubating_months < 1
                or settings.sale_target_lifecycle_dormant_months < 1
            ):
                raise ValidationError(
                    self.env._("Lifecycle periods are whole months, at least 1.")
                )
            if settings.sale_target_lifecycle_growth_rate <= 0:
                raise ValidationError(
                    self.env._("The growth threshold must be above 0%.")
                )
            if not 0 < settings.sale_target_lifecycle_decline_rate < 100:
                raise ValidationError(
                    self.env._("The decline threshold must be between 0% and 100%.")
                )
            weights = [
                settings.sale_target_weight_growing,
                settings.sale_target_weight_stable,
                settings.sale_target_weight_incubating,
                settings.sale_target_weight_declining,
            ]
            if min(weights) < 0 or not sum(weights) > 0:
                raise ValidationError(
                    self.env._(
                        "Stage weights cannot be negative, and at least one must "
                        "be above 0."
                    )
                )

    def _check_sale_target_numbers(self, vals):
        """NaN and infinity would pass the range checks below (every comparison
        with NaN is false) and reach the stored parameters; a word or a number
        beyond its column would fail deep down. The addon's one number check
        (``check_number``) refuses them with a message first."""
        for name, value in vals.items():
            field = self._fields.get(name)
            if (
                field
                and name.startswith("sale_target_")
                and field.type in ("float", "integer")
            ):
                check_number(self.env, field, value)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_sale_target_numbers(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_sale_target_numbers(vals)
        return super().write(vals)

    @api.constrains(
        "sale_target_pace_ahead",
        "sale_target_pace_on_track",
        "sale_target_pace_at_risk",
    )
    def _check_pace_thresholds(self):
        for settings in self:
            if not (
                0
                < settings.sale_target_pace_at_risk
                < settings.sale_target_pace_on_track
                < settings.sale_target_pace_ahead
            ):
                raise ValidationError(
                    self.env._(
                        "Pace thresholds must rise: 0 < at risk < on track < ahead "
                        "(for example 80%, 95% and 110%)."
                    )
                )
