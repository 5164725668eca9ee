# Run through `odoo-bin shell` on the demo database: the seed company's people read
# Chinese (zh_CN is loaded by `make demo`) and start from the Targets app; the
# administrator keeps English.
env["res.lang"]._activate_lang("en_US")
env["res.lang"]._activate_lang("zh_CN")
env.cr.execute(
    "SELECT res_id FROM ir_model_data "
    "WHERE module = 'sale_regional_target' AND model = 'res.users'"
)
users = env["res.users"].browse(row[0] for row in env.cr.fetchall()).exists()
users.write(
    {
        "lang": "zh_CN",
        "action_id": env.ref("sale_regional_target.action_targets_home").id,
    }
)
env.cr.commit()
print(f"[demo] {len(users)} demo users read Chinese and start from the Targets app")
