from odoo import fields, models


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
