import importlib.util
import os

from odoo.modules.module import get_module_path
from odoo.tests import tagged
from odoo.tools import SQL

from .common import TargetCase

MODULE = "sale_regional_target"


def load_migration(version, step="pre-migrate"):
    path = os.path.join(get_module_path(MODULE), "migrations", version, f"{step}.py")
    spec = importlib.util.spec_from_file_location(f"{MODULE}_{step}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMigrations(TargetCase):
    """Migration scripts run against the database as the previous version left it
    (rebuilt inside the test's transaction, rolled back after)."""

    def test_1_2_renames_the_rolling_windows_and_keeps_the_figures(self):
        migration = load_migration("18.0.1.2.0")
        cr = self.env.cr
        partner = self.env["res.partner"].create(
            {"name": "Old Figures", "is_company": True}
        )
        lifecycle = self.env["sale.customer.lifecycle"].create(
            {"partner_id": partner.id, "company_id": self.company.id}
        )
        self.env.flush_all()
        cr.execute(
            """UPDATE sale_customer_lifecycle
                  SET revenue_last_3_months = 123.45, change_over_6_months = -20.5
                WHERE id = %s""",
            [lifecycle.id],
        )
        field_ids = {
            new: self.env.ref(f"{MODULE}.field_{migration.TABLE}__{new}").id
            for new in migration.RENAMED_FIELDS.values()
        }
        # the database as 18.0.1.1.0 left it
        for old, new in migration.RENAMED_FIELDS.items():
            cr.execute(
                SQL(
                    "ALTER TABLE sale_customer_lifecycle RENAME COLUMN %s TO %s",
                    SQL.identifier(new),
                    SQL.identifier(old),
                )
            )
            cr.execute(
                "UPDATE ir_model_fields SET name = %s WHERE id = %s",
                [old, field_ids[new]],
            )
            cr.execute(
                "UPDATE ir_model_data SET name = %s WHERE module = %s AND name = %s",
                [
                    f"field_{migration.TABLE}__{old}",
                    MODULE,
                    f"field_{migration.TABLE}__{new}",
                ],
            )
        migration.migrate(cr, "18.0.1.1.0")
        migration.migrate(cr, "18.0.1.1.0")  # run twice: nothing more happens
        columns = migration._columns(cr)
        self.assertFalse(set(migration.RENAMED_FIELDS) & columns)
        self.assertLessEqual(set(migration.RENAMED_FIELDS.values()), columns)
        cr.execute(
            """SELECT revenue_last_3_months, change_over_6_months
                 FROM sale_customer_lifecycle WHERE id = %s""",
            [lifecycle.id],
        )
        self.assertEqual([float(v) for v in cr.fetchone()], [123.45, -20.5])
        for new, field_id in field_ids.items():
            cr.execute(
                """SELECT f.name, d.res_id FROM ir_model_fields f
                     JOIN ir_model_data d ON d.model = 'ir.model.fields'
                      AND d.res_id = f.id AND d.module = %s
                    WHERE f.id = %s""",
                [MODULE, field_id],
            )
            self.assertEqual(cr.fetchone(), (new, field_id))
        # a fresh install has nothing to rename
        migration.migrate(cr, None)

    def test_1_2_keeps_the_record_rules_under_their_new_ids(self):
        migration = load_migration("18.0.1.2.0")
        cr = self.env.cr
        rule_ids = {
            new: self.env.ref(f"{MODULE}.{new}").id
            for new in migration.RENAMED_RULES.values()
        }
        for old, new in migration.RENAMED_RULES.items():
            cr.execute(
                "UPDATE ir_model_data SET name = %s WHERE module = %s AND name = %s",
                [old, MODULE, new],
            )
        self.env.registry.clear_cache()
        migration.migrate(cr, "18.0.1.1.0")
        self.env.registry.clear_cache()
        for new, rule_id in rule_ids.items():
            self.assertEqual(self.env.ref(f"{MODULE}.{new}").id, rule_id)
        cr.execute(
            "SELECT name FROM ir_model_data WHERE module = %s AND model = 'ir.rule'",
            [MODULE],
        )
        self.assertFalse(
            {row[0] for row in cr.fetchall()} & set(migration.RENAMED_RULES)
        )
