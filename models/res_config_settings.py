from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sale_target import ALLOCATION_UNITS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sale_target_pace_working_days = fields.Boolean(
        string="Pace by Working Days",
        config_parameter="sale_regional_target.pace_working_days",
        help="Measure the time elapsed in a target's period in working days "
        "(Monday to Friday) instead of calendar days.",
    )
    sale_target_pace_ahead = fields.Float(
        string="Ahead From",
        config_parameter="sale_regional_target.pace_ahead",
        default=1.10,
        help="Achievement over expected achievement from which a target is ahead.",
    )
    sale_target_pace_on_track = fields.Float(
        string="On Track From",
        config_parameter="sale_regional_target.pace_on_track",
        default=0.95,
    )
    sale_target_pace_at_risk = fields.Float(
        string="At Risk From",
        config_parameter="sale_regional_target.pace_at_risk",
        default=0.80,
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
                        "(for example 0.80, 0.95 and 1.10)."
                    )
                )
