import { registry } from "@web/core/registry";

// The sales director splits next year's company target between the regions with
// the allocation wizard: choose a method, preview, adjust one child, confirm.
registry.category("web_tour.tours").add("sale_target_allocation_tour", {
    steps: () => [
        {
            content: "Drop the default 'current period' filter",
            trigger: ".o_searchview_facet .o_facet_remove",
            run: "click",
        },
        {
            content: "Open next year's company target",
            trigger: ".o_list_view .o_data_row td.o_data_cell:contains('2031 Revenue · Target Test Co')",
            run: "click",
        },
        {
            content: "Open the allocation wizard",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_allocate]",
            run: "click",
        },
        {
            content: "The wizard says what the target is split among",
            trigger: ".modal .o_field_widget[name=child_level_label]:contains('Regions')",
        },
        {
            content: "Split evenly",
            trigger: ".modal .o_field_widget[name=method] select",
            run: 'select "equal"',
        },
        {
            content: "Round to whole yuan",
            trigger: ".modal .o_field_widget[name=rounding_unit] select",
            run: 'select "1"',
        },
        {
            content: "Preview",
            trigger: ".modal footer button[name=action_preview]",
            run: "click",
        },
        {
            content: "One line per region, each with its reason",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains('Testland / West'):contains('An equal share of 2 children')",
        },
        {
            content: "Lock East at 600",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains('Testland / East') td[name=amount]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=line_ids] .o_selected_row td[name=amount] input",
            run: "edit 600",
        },
        {
            trigger: ".modal .o_field_widget[name=line_ids] .o_selected_row td[name=locked] input",
            run: "click",
        },
        {
            content: "Recompute: West takes the rest",
            trigger: ".modal footer button[name=action_preview]:contains('Recompute')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains('Testland / West') td[name=amount]:contains(/^¥\\s400$/)",
        },
        {
            content: "Confirm",
            trigger: ".modal footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Back on the target, with its two sub-targets",
            trigger: ".o_form_view:not(:has(.modal)) button[name=action_view_children] .o_stat_value:contains('2')",
        },
    ],
});
