import dataclasses
import logging
import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import lag_warnings, lifecycle, pace
from .sale_target import ALLOCATION_UNITS
from .sale_target_guard_mixin import check_number

_logger = logging.getLogger(__name__)

# defaults from the rules themselves (tools/): one home for each figure
_RULES = lifecycle.Rules()
_LAG = lag_warnings.DEFAULTS

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

# the settings each company has for itself: fields of res.company of the same
# names (see res_company.py), shown for the current company in both forms
COMPANY_SETTINGS = (
    "sale_target_warning_pace",
    "sale_target_warning_floor",
    "sale_target_warning_actions",
    "sale_target_warning_silent",
    "sale_target_warning_completion_threshold",
    "sale_target_warning_completion_weeks",
    "sale_target_warning_silent_days",
    "sale_target_warning_weekday",
    "sale_target_warning_hour",
    "sale_target_warning_top",
    "sale_target_warning_hq_user_id",
)

# What a number setting may be, one rule per setting: the forms refuse anything
# else, and a value stored otherwise (by hand, an import, SQL) is read as the
# default. Every number must also be finite and fit its column (check_number).
MAX_MONTHS = 1200
RANGES = {
    "sale_target_pace_ahead": lambda v: v > 0,
    "sale_target_pace_on_track": lambda v: v > 0,
    "sale_target_pace_at_risk": lambda v: v > 0,
    "sale_target_lifecycle_incubating_months": lambda v: 1 <= v <= MAX_MONTHS,
    "sale_target_lifecycle_dormant_months": lambda v: 1 <= v <= MAX_MONTHS,
    "sale_target_lifecycle_growth_rate": lambda v: v > 0,
    "sale_target_lifecycle_decline_rate": lambda v: 0 < v < 100,
    "sale_target_weight_growing": lambda v: v >= 0,
    "sale_target_weight_stable": lambda v: v >= 0,
    "sale_target_weight_incubating": lambda v: v >= 0,
    "sale_target_weight_declining": lambda v: v >= 0,
    "sale_target_warning_completion_threshold": lambda v: 0 < v <= 100,
    "sale_target_warning_completion_weeks": lambda v: 1 <= v <= 12,
    "sale_target_warning_silent_days": lambda v: 1 <= v <= 365,
}


class SaleTargetSettingsFields(models.AbstractModel):
    """The settings of the addon, shared by Odoo's Settings (for system
    administrators) and the addon's own settings form (for HQ administrators,
    who may not open Odoo's).

    The lag warnings' rules, thresholds, weekly check and escalation are each
    company's own (fields of ``res.company``, ``COMPANY_SETTINGS``); the other
    settings are system parameters shared by all companies. The addon reads
    every one of them through ``_setting`` (or the grouped readers below),
    which falls back to the default, with a warning in the log, on a value
    stored out of range outside these forms."""

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

    # Lag warnings (Settings → Sales Targets → Lag Warnings), the current
    # company's: res.config.settings relates them to its company_id, the
    # addon's own form reads and writes them on the current company
    sale_target_warning_pace = fields.Boolean(
        string="Pace Warnings",
        help="Warn when a confirmed target is at risk or behind at the weekly check.",
    )
    sale_target_warning_floor = fields.Boolean(
        string="Floor in Danger Warnings",
        help="Warn when, at its daily run-rate so far, a confirmed target ends its "
        "period below its floor.",
    )
    sale_target_warning_actions = fields.Boolean(
        string="Key Action Warnings",
        help="Warn when a salesperson's key-action completion stays below the "
        "threshold for the given number of complete weeks.",
    )
    sale_target_warning_silent = fields.Boolean(
        string="Silent Owner Warnings",
        help="Warn when the owner of a target with a gap left has confirmed no "
        "order for the given number of days.",
    )
    sale_target_warning_completion_threshold = fields.Float(
        string="Completion Below (%)",
        help="A week's key-action completion below this lags (exactly this does not).",
    )
    sale_target_warning_completion_weeks = fields.Integer(
        string="For Weeks Running",
        help="How many complete weeks in a row the completion must lag.",
    )
    sale_target_warning_silent_days = fields.Integer(
        string="Silent After (days)",
    )
    sale_target_warning_hq_user_id = fields.Many2one(
        "res.users",
        string="HQ Takes Warnings As",
        domain="[('share', '=', False)]",
        help="The HQ administrator who takes the warnings that reach HQ (company "
        "targets, escalations); without one, the first HQ administrator.",
    )

    # ------------------------------------------------------------------
    # Reading the settings: the one accessor
    # ------------------------------------------------------------------
    @api.model
    def _setting_default(self, name):
        """The default of setting ``name``: its field's default on the company
        for a company's setting, else on this model."""
        if name in COMPANY_SETTINGS:
            field = self.env["res.company"]._fields[name]
            value = field.default(self.env["res.company"]) if field.default else False
        else:
            field = self._fields[name]
            value = field.default(self) if field.default else False
        if field.type == "many2one":
            return self.env[field.comodel_name].browse(value or ())
        return value

    @api.model
    def _setting(self, name, company=None):
        """The value of setting ``name`` (a field of this model, of the company
        for ``COMPANY_SETTINGS``) as the addon uses it: a company's own
        (``company``, else the current one) or the system parameter shared by
        all. A value out of range, of the wrong type
        or that is no number (stored outside the settings forms) falls back to
        the default, with a warning in the log."""
        if name in COMPANY_SETTINGS:
            field = self.env["res.company"]._fields[name]
            company = (company or self.env.company).sudo()
            stored = company[name]
            where = f"res.company {company.id}"
            if field.type == "many2one":
                stored = stored.id
        else:
            field = self._fields[name]
            stored = (
                self.env["ir.config_parameter"].sudo().get_param(field.config_parameter)
            )
            where = f"parameter {field.config_parameter}"
            if stored is None or stored is False:
                return self._setting_default(name)
        value = self._valid_setting(field, stored)
        if value is None:
            default = self._setting_default(name)
            _logger.warning(
                "Sales Targets setting %s of %s is out of range (%r): the default "
                "(%r) is used instead.",
                name,
                where,
                stored,
                default,
            )
            return default
        return value

    def _valid_setting(self, field, stored):
        """``stored`` read as ``field``'s value, or None when it is not one."""
        if field.type == "boolean":
            if isinstance(stored, bool):
                return stored
            text = str(stored).strip()
            return {"True": True, "1": True, "False": False, "0": False, "": False}.get(
                text
            )
        if field.type in ("integer", "float"):
            try:
                number = float(stored)
            except (TypeError, ValueError, OverflowError):
                return None
            if not math.isfinite(number) or (
                field.type == "integer" and number != int(number)
            ):
                return None
            try:
                check_number(self.env, field, number)
            except ValidationError:
                return None
            value = int(number) if field.type == "integer" else number
            check = RANGES.get(field.name)
            return value if check is None or check(value) else None
        if field.type == "selection":
            allowed = {key for key, _label in field.selection}
            return str(stored) if str(stored) in allowed else None
        if field.type == "many2one":
            if not stored:
                return self.env[field.comodel_name]
            try:
                record = self.env[field.comodel_name].sudo().browse(int(stored))
            except (TypeError, ValueError):
                return None
            return record.exists() or None
        return stored

    @api.model
    def _lag_warning_settings(self, company=None):
        """The lag warning rules of ``company`` (else the current one) as the
        weekly check reads them."""

        def get(name):
            return self._setting(name, company)

        return {
            lag_warnings.PACE: get("sale_target_warning_pace"),
            lag_warnings.FLOOR: get("sale_target_warning_floor"),
            lag_warnings.ACTIONS: get("sale_target_warning_actions"),
            lag_warnings.SILENT: get("sale_target_warning_silent"),
            "completion_threshold": get("sale_target_warning_completion_threshold"),
            "completion_weeks": get("sale_target_warning_completion_weeks"),
            "silent_days": get("sale_target_warning_silent_days"),
            "weekday": int(get("sale_target_warning_weekday")),
            "hour": int(get("sale_target_warning_hour")),
            "top": get("sale_target_warning_top"),
        }

    @api.model
    def _pace_settings(self):
        """({ahead, on_track, at_risk}: ratio, by working days): the
        thresholds must rise, else all three fall back to the defaults."""
        thresholds = {
            key: self._setting(f"sale_target_pace_{key}")
            for key in pace.DEFAULT_THRESHOLDS
        }
        if not (
            thresholds[pace.AT_RISK]
            < thresholds[pace.ON_TRACK]
            < thresholds[pace.AHEAD]
        ):
            _logger.warning(
                "Sales Targets pace thresholds do not rise (%s): the defaults are "
                "used instead.",
                thresholds,
            )
            thresholds = dict(pace.DEFAULT_THRESHOLDS)
        return thresholds, self._setting("sale_target_pace_working_days")

    @api.model
    def _lifecycle_rules(self):
        """The customer lifecycle rules (``tools.lifecycle.Rules``)."""
        return lifecycle.Rules(
            **{
                rule.name: self._setting(f"sale_target_lifecycle_{rule.name}")
                for rule in dataclasses.fields(lifecycle.Rules)
            }
        )

    @api.model
    def _stage_weights(self):
        """{stage: weight (a fraction)}: at least one above 0, else the
        defaults."""
        weights = {
            stage: self._setting(f"sale_target_weight_{stage}") / 100
            for stage in lifecycle.STAGES
        }
        if not sum(weights.values()) > 0:
            _logger.warning(
                "Sales Targets stage weights are all 0: the defaults are used instead."
            )
            weights = {
                stage: lifecycle.DEFAULT_WEIGHTS[stage] for stage in lifecycle.STAGES
            }
        return weights

    @api.model
    def _hq_user(self, company):
        """The HQ administrator chosen to take ``company``'s warnings (or no
        one)."""
        return self._setting("sale_target_warning_hq_user_id", company)

    # ------------------------------------------------------------------
    # The current company's settings in the forms
    # ------------------------------------------------------------------
    @api.model
    def _company_values(self, fields_list=COMPANY_SETTINGS):
        """The current company's settings, as the forms show them."""
        values = {}
        for name in COMPANY_SETTINGS:
            if name in fields_list:
                value = self._setting(name)
                values[name] = (
                    value.id if isinstance(value, models.BaseModel) else value
                )
        return values

    def _store_company_settings(self):
        """Write this form's values of the company's settings on the current
        company (the one whose HQ saves them)."""
        self.ensure_one()
        self.env.company.sudo().write(
            {
                name: self[name].id
                if self._fields[name].type == "many2one"
                else self[name]
                for name in COMPANY_SETTINGS
            }
        )

    @api.constrains(
        "sale_target_warning_completion_threshold",
        "sale_target_warning_completion_weeks",
        "sale_target_warning_silent_days",
    )
    def _check_lag_warning_settings(self):
        for settings in self:
            if not RANGES["sale_target_warning_completion_threshold"](
                settings.sale_target_warning_completion_threshold
            ):
                raise ValidationError(
                    self.env._(
                        "The completion threshold of key-action warnings is a "
                        "percentage above 0% and at most 100%."
                    )
                )
            if not RANGES["sale_target_warning_completion_weeks"](
                settings.sale_target_warning_completion_weeks
            ):
                raise ValidationError(
                    self.env._(
                        "Key-action warnings need 1 to 12 complete weeks running."
                    )
                )
            if not RANGES["sale_target_warning_silent_days"](
                settings.sale_target_warning_silent_days
            ):
                raise ValidationError(
                    self.env._("Silent owner warnings take 1 to 365 days.")
                )

    @api.constrains("sale_target_warning_hq_user_id")
    def _check_hq_user(self):
        """HQ's warnings go to an active HQ administrator of the company whose
        settings these are, never to someone of another company."""
        group = self.env.ref("sale_regional_target.group_target_admin")
        for settings in self:
            user = settings.sale_target_warning_hq_user_id.sudo()
            if not user:
                continue
            company = (
                settings.company_id
                if "company_id" in settings._fields
                else self.env.company
            )
            if (
                not user.active
                or user.share
                or group not in user.groups_id
                or company not in user.company_ids
            ):
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot take HQ's warnings: choose an active HQ "
                        "administrator of %(company)s.",
                        user=user.name,
                        company=company.name,
                    )
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
            if not all(
                RANGES[name](settings[name])
                for name in (
                    "sale_target_lifecycle_incubating_months",
                    "sale_target_lifecycle_dormant_months",
                )
            ):
                raise ValidationError(
                    self.env._(
                        "Lifecycle periods are whole months, from 1 to %(most)s.",
                        most=MAX_MONTHS,
                    )
                )
            if not RANGES["sale_target_lifecycle_growth_rate"](
                settings.sale_target_lifecycle_growth_rate
            ):
                raise ValidationError(
                    self.env._("The growth threshold must be above 0%.")
                )
            if not RANGES["sale_target_lifecycle_decline_rate"](
                settings.sale_target_lifecycle_decline_rate
            ):
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
