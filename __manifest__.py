# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Regional Sales Targets",
    "summary": "Plan sales targets from HQ down regions, teams and salespeople, "
    "and follow their execution",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/sale-regional-target/sale_regional_target",
    "author": "Sale Regional Target contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["crm", "sale_management", "account", "mail", "web_hierarchy"],
    "external_dependencies": {"python": ["pandas"]},
    "data": [
        "security/sale_regional_target_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/sale_region_factor_views.xml",
        "views/sale_region_views.xml",
        "views/sale_target_line_views.xml",
        "views/sale_target_views.xml",
        "views/crm_team_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_users_views.xml",
        "views/sale_target_allocation_wizard_views.xml",
        "views/sale_regional_target_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "sale_regional_target/static/src/**/*",
        ],
        "web.assets_tests": [
            "sale_regional_target/static/tests/tours/**/*",
        ],
    },
    "demo": [
        "demo/res_users_demo.xml",
        "demo/sale_region_demo.xml",
        "demo/sale_region_factor_demo.xml",
        "demo/crm_team_demo.xml",
        "demo/sale_target_demo.xml",
        "demo/sale_history_demo.xml",
    ],
}
