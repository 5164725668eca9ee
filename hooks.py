import secrets

from .models.sale_action_pack_line import KEEP_DONE_PARAM


def uninstall_hook(env):
    """Leave the database as the addon found it.

    - The demo accounts it created are archived, with a random password: no
      account whose password is its login stays usable.
    - Open actions planned by action packs are removed (done ones stay, as the
      history of the customers' activities).
    - Activity types it switched to Keep Done are switched back.
    - Its settings (system parameters) are removed.
    - Its lag warnings are removed, and their activities with them (open or
      done: they follow warnings that no longer exist).
    - Its targets are removed before Odoo removes the rest of its data: they
      hold on to the regions, teams and users they belong to (deleting an owner
      of targets is restricted), which would keep Odoo from deleting those.
    """
    env.cr.execute(
        """
        SELECT res_id FROM ir_model_data
         WHERE module = 'sale_regional_target' AND model = 'res.users'
        """
    )
    demo_users = env["res.users"].browse(row[0] for row in env.cr.fetchall()).exists()
    for user in demo_users:
        user.write({"active": False, "password": secrets.token_urlsafe(32)})

    env["mail.activity"].with_context(active_test=True).search(
        [("action_pack_line_id", "!=", False)]
    ).unlink()

    params = env["ir.config_parameter"]
    switched = params.get_param(KEEP_DONE_PARAM, "")
    type_ids = [int(i) for i in switched.split(",") if i.strip().isdigit()]
    env["mail.activity.type"].browse(type_ids).exists().write({"keep_done": False})
    params.search([("key", "=like", "sale_regional_target.%")]).unlink()

    # the activities of the warnings go with them (the foreign key cascades)
    env.cr.execute("DELETE FROM sale_target_warning")
    # the whole table goes with the addon; its phasing lines cascade
    env.cr.execute("DELETE FROM sale_target")
