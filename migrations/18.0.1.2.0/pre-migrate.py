"""18.0.1.2.0 renames two things in place, keeping the records and what points
at them:

- the lifecycle's figures, named after what they are: three rolling windows of
  three months, not calendar quarters (columns, field records, their XML ids);
- the record rules' XML ids, to Odoo's ``<model>_rule_<group>`` form (without
  this, the update would delete each rule and create it again).
"""

from odoo.tools import SQL

RENAMED_FIELDS = {
    "revenue_q1": "revenue_last_3_months",
    "revenue_q2": "revenue_months_4_6",
    "revenue_q3": "revenue_months_7_9",
    "growth_q1": "growth_last_3_months",
    "growth_q2": "growth_months_4_6",
    "change_2q": "change_over_6_months",
}
RENAMED_RULES = {
    "sale_target_company_rule": "sale_target_rule_company",
    "sale_target_line_company_rule": "sale_target_line_rule_company",
    "sale_region_factor_company_rule": "sale_region_factor_rule_company",
    "sale_region_factor_value_company_rule": "sale_region_factor_value_rule_company",
    "sale_region_company_rule": "sale_region_rule_company",
    "sale_target_user_rule": "sale_target_rule_user",
    "sale_target_line_user_rule": "sale_target_line_rule_user",
    "sale_target_manager_rule": "sale_target_rule_manager",
    "sale_target_manager_write_rule": "sale_target_rule_manager_write",
    "sale_target_line_manager_rule": "sale_target_line_rule_manager",
    "sale_target_line_manager_write_rule": "sale_target_line_rule_manager_write",
    "sale_region_manager_rule": "sale_region_rule_manager",
    "sale_region_user_rule": "sale_region_rule_user",
    "sale_target_admin_rule": "sale_target_rule_admin",
    "sale_target_line_admin_rule": "sale_target_line_rule_admin",
    "sale_region_admin_rule": "sale_region_rule_admin",
    "sale_customer_lifecycle_company_rule": "sale_customer_lifecycle_rule_company",
    "sale_customer_lifecycle_user_rule": "sale_customer_lifecycle_rule_user",
    "sale_customer_lifecycle_manager_rule": "sale_customer_lifecycle_rule_manager",
    "sale_customer_lifecycle_admin_rule": "sale_customer_lifecycle_rule_admin",
    "sale_action_pack_company_rule": "sale_action_pack_rule_company",
    "sale_action_pack_line_company_rule": "sale_action_pack_line_rule_company",
    "sale_action_completion_company_rule": "sale_action_completion_rule_company",
    "sale_action_completion_user_rule": "sale_action_completion_rule_user",
    "sale_action_completion_manager_rule": "sale_action_completion_rule_manager",
    "sale_action_completion_admin_rule": "sale_action_completion_rule_admin",
}
MODEL = "sale.customer.lifecycle"
TABLE = "sale_customer_lifecycle"


def _columns(cr):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
        [TABLE],
    )
    return {row[0] for row in cr.fetchall()}


def rename_fields(cr):
    columns = _columns(cr)
    for old, new in RENAMED_FIELDS.items():
        if old in columns and new not in columns:
            cr.execute(
                SQL(
                    "ALTER TABLE %s RENAME COLUMN %s TO %s",
                    SQL.identifier(TABLE),
                    SQL.identifier(old),
                    SQL.identifier(new),
                )
            )
        cr.execute(
            "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s",
            [new, MODEL, old],
        )
        cr.execute(
            """UPDATE ir_model_data SET name = %s
                WHERE module = 'sale_regional_target' AND model = 'ir.model.fields'
                  AND name = %s""",
            [f"field_{TABLE}__{new}", f"field_{TABLE}__{old}"],
        )


def rename_rules(cr):
    for old, new in RENAMED_RULES.items():
        cr.execute(
            """UPDATE ir_model_data SET name = %s
                WHERE module = 'sale_regional_target' AND model = 'ir.rule'
                  AND name = %s""",
            [new, old],
        )


def migrate(cr, version):
    if not version:
        return
    rename_fields(cr)
    rename_rules(cr)
