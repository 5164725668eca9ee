"""18.0.1.2.0 names the lifecycle's figures after what they are: three rolling
windows of three months, not calendar quarters. The columns, the fields' records
and their XML ids are renamed in place, so that the stored figures and anything
pointing at the fields (filters, exports) are kept."""

RENAMED_FIELDS = {
    "revenue_q1": "revenue_last_3_months",
    "revenue_q2": "revenue_months_4_6",
    "revenue_q3": "revenue_months_7_9",
    "growth_q1": "growth_last_3_months",
    "growth_q2": "growth_months_4_6",
    "change_2q": "change_over_6_months",
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
            # names come from the constant above, never from input
            cr.execute(f'ALTER TABLE "{TABLE}" RENAME COLUMN "{old}" TO "{new}"')
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


def migrate(cr, version):
    if not version:
        return
    rename_fields(cr)
