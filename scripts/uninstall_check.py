# Run through `odoo-bin shell`: uninstall the addon, check that nothing of it is left.
module = env["ir.module.module"].search([("name", "=", "sale_regional_target")])
assert module.state == "installed", module.state
module.button_immediate_uninstall()
env.cr.commit()
env.cr.execute(
    "SELECT count(*) FROM ir_model "
    "WHERE model IN ('sale.target', 'sale.region', 'sale.target.line')"
)
left = env.cr.fetchone()[0]
env.cr.execute("SELECT to_regclass('sale_target'), to_regclass('sale_region')")
tables = [t for t in env.cr.fetchone() if t]
env.cr.execute(
    "SELECT count(*) FROM ir_model_data WHERE module = 'sale_regional_target'"
)
xmlids = env.cr.fetchone()[0]
assert not left and not tables and not xmlids, (left, tables, xmlids)
print("UNINSTALL OK")
