from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import lifecycle, pace
from .sale_target import ALLOCATION_UNITS
from .sale_target_guard_mixin import check_number

# defaults from the rules themselves (tools/): one home for each figure
_RULES = lifecycle.Rules()


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
