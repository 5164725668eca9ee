# Run through `odoo-bin shell`: uninstall the addon, check that nothing of it is left
# and that it gave back what it changed (works with and without demo data).
import os

module = env["ir.module.module"].search([("name", "=", "sale_regional_target")])
assert module.state == "installed", module.state

if os.environ.get("SRT_EXPECT_DEMO") == "1":
    # as a user would: a pack action of Odoo's own "Call" type (switched to Keep
    # Done by the addon, to be given back)
    call = env.ref("mail.mail_activity_data_call")
    assert not call.keep_done
    pack = env["sale.action.pack"].search([], limit=1)
    env["sale.action.pack.line"].create(
        {"pack_id": pack.id, "activity_type_id": call.id, "name": "Follow-up call"}
    )
    assert call.keep_done
    env.cr.commit()

env.cr.execute(
    "SELECT res_id FROM ir_model_data "
    "WHERE module = 'sale_regional_target' AND model = 'res.users'"
)
demo_user_ids = [row[0] for row in env.cr.fetchall()]
switched = env["ir.config_parameter"].get_param(
    "sale_regional_target.keep_done_type_ids", ""
)
type_ids = [int(i) for i in switched.split(",") if i.strip().isdigit()]
env.cr.execute(
    "SELECT id FROM mail_activity WHERE action_pack_line_id IS NOT NULL AND active"
)
open_activity_ids = [row[0] for row in env.cr.fetchall()]
if os.environ.get("SRT_EXPECT_DEMO") == "1":
    # on the demo database, the check must have something to check
    assert demo_user_ids and type_ids and open_activity_ids, (
        demo_user_ids,
        type_ids,
        len(open_activity_ids),
    )
print(
    f"before: {len(demo_user_ids)} demo users, {len(type_ids)} activity types "
    f"switched to Keep Done, {len(open_activity_ids)} open pack activities"
)

module.button_immediate_uninstall()
env.cr.commit()
env.invalidate_all()

env.cr.execute(
    "SELECT count(*) FROM ir_model "
    "WHERE model IN ('sale.target', 'sale.region', 'sale.target.line')"
)
left = env.cr.fetchone()[0]
env.cr.execute("SELECT to_regclass('sale_target'), to_regclass('sale_region')")
tables = [t for t in env.cr.fetchone() if t]
# Odoo keeps the data records it cannot delete because other data refers to them
# (demo users and customers with orders, the demo company, activity types of done
# activities); nothing else of the addon may stay.
kept_models = (
    ("res.users", "res.partner", "res.company", "mail.activity.type")
    if os.environ.get("SRT_EXPECT_DEMO") == "1"
    else ()
)
env.cr.execute(
    "SELECT model, count(*) FROM ir_model_data "
    "WHERE module = 'sale_regional_target' AND NOT model = ANY(%s) GROUP BY model",
    [list(kept_models)],
)
xmlids = dict(env.cr.fetchall())
assert not left and not tables and not xmlids, (left, tables, xmlids)

# no demo account left able to log in
env.cr.execute(
    "SELECT login FROM res_users WHERE id = ANY(%s) AND active", [demo_user_ids]
)
active_demo = [row[0] for row in env.cr.fetchall()]
assert not active_demo, f"demo users still active: {active_demo}"
# no open action planned by a pack left behind
env.cr.execute(
    "SELECT count(*) FROM mail_activity WHERE id = ANY(%s)", [open_activity_ids]
)
left_activities = env.cr.fetchone()[0]
assert not left_activities, f"{left_activities} open pack activities left"
# activity types given back as they were
env.cr.execute(
    "SELECT count(*) FROM mail_activity_type WHERE id = ANY(%s) AND keep_done",
    [type_ids],
)
kept = env.cr.fetchone()[0]
assert not kept, f"{kept} activity types still keep done activities"
env.cr.execute(
    "SELECT count(*) FROM ir_config_parameter WHERE key LIKE 'sale_regional_target.%'"
)
params = env.cr.fetchone()[0]
assert not params, f"{params} settings left"
print("UNINSTALL OK")
