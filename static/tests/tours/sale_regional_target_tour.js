import { registry } from "@web/core/registry";

// A regional manager opens the targets, adjusts a team target of his region in its
// form, sees that his own region target is set by the level above him, and looks at
// them through every view of the action.
registry.category("web_tour.tours").add("sale_regional_target_manager_tour", {
    url: "/odoo/action-sale_regional_target.sale_target_action",
    steps: () => [
        {
            content: "Drop the default 'current period' filter",
            trigger: ".o_searchview_facet .o_facet_remove",
            run: "click",
        },
        {
            content: "Open the target of team SH, in his region",
            trigger: ".o_list_view .o_data_row td.o_data_cell:contains('2030 Revenue · Team SH')",
            run: "click",
        },
        {
            content: "The form shows the owner level",
            trigger: ".o_form_view .o_field_widget[name=level]:contains('Team')",
        },
        {
            content: "Raise the target",
            trigger: ".o_form_view .o_field_widget[name=amount] input",
            run: "edit 720",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Open the monthly phasing",
            trigger: ".o_notebook .nav-link:contains('Monthly Phasing')",
            run: "click",
        },
        {
            content: "Twelve months, rescaled to the new amount",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:nth-child(12)",
        },
        {
            trigger: ".o_field_widget[name=phasing_total]:contains('720.00')",
        },
        {
            content: "Month-by-month chart of target against achieved",
            trigger: ".o_notebook .nav-link:contains('Month by Month')",
            run: "click",
        },
        {
            trigger: ".o_sale_target_phasing_chart canvas",
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Open his own region target",
            trigger: ".o_list_view .o_data_row td.o_data_cell:contains('2030 Revenue · East')",
            run: "click",
        },
        {
            content: "It says who sets it, and offers no workflow button",
            trigger: ".o_form_view .alert-info:contains('your own target')",
        },
        {
            trigger: ".o_form_view:not(:has(button[name=action_confirm])) .o_field_widget[name=amount]:not(:has(input))",
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Kanban",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            trigger: ".o_kanban_record:contains('2030 Revenue · Rep A')",
        },
        {
            content: "Hierarchy",
            trigger: ".o_switch_view.o_hierarchy",
            run: "click",
        },
        {
            trigger: ".o_hierarchy_node:contains('Target Test Co')",
        },
        {
            content: "Pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            trigger: ".o_pivot table .o_pivot_header_cell_closed, .o_pivot table th",
        },
    ],
});
