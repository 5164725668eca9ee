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
# This database is the seed company's own: its administrator starts in it, in its
# time zone (the addon's demo data only adds the company to the administrator's
# companies, so that a database with a company of its own keeps it as the default).
admin = env.ref("base.user_admin")
company = env.ref("sale_regional_target.demo_company")
admin.write({"company_id": company.id, "tz": "Asia/Shanghai"})
env.cr.commit()
print(f"[demo] {len(users)} demo users read Chinese and start from the Targets app")
