"""18.0.1.5.0 makes the lag warnings' settings each company's own: the rules,
thresholds, weekly check and escalation were system parameters shared by all
companies. Their stored values are copied to every company (each may then set
its own), and the parameters removed. A value the addon would not use (out of
range, no number) is left out: the company keeps the default."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

# field of res.company: its former system parameter
PARAMETERS = {
    name: f"sale_regional_target.{name.removeprefix('sale_target_')}"
    for name in (
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
}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Params = env["ir.config_parameter"].sudo()
    Fields = env["sale.target.settings.fields"]
    Company = env["res.company"]
    values = {}
    for name, key in PARAMETERS.items():
        param = Params.search([("key", "=", key)])
        if not param:
            continue
        field = Company._fields[name]
        value = Fields._valid_setting(field, param.value)
        if value is None:
            _logger.warning(
                "Setting %s (%r) not copied to the companies: out of range",
                key,
                param.value,
            )
        else:
            values[name] = value.id if field.type == "many2one" else value
        param.unlink()
    if values:
        env["res.company"].with_context(active_test=False).search([]).write(values)
