import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

function say(en, zh) {
    return user.lang.startsWith("zh") ? zh : en;
}

// A team leader who is also one of his team's salespeople splits the team's
// target: his own line keeps what the level above set, the split is confirmed,
// and he is back on the team's target (once in the breadcrumb).
registry.category("web_tour.tours").add("sale_target_allocation_own_line_tour", {
    steps: () => [
        {
            content: "The team's target, with one sub-target so far: his own",
            trigger: ".o_form_view:has(.o_last_breadcrumb_item:contains('Team SH')) button[name=action_view_children] .o_stat_value:contains('1')",
        },
        {
            content: "Split it among the team",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_allocate]",
            run: "click",
        },
        {
            content: "The dialog says what it splits, in the reader's language",
            trigger: `.modal .modal-title:contains('${say("Allocate", "分解")}')`,
        },
        {
            trigger: ".modal .o_field_widget[name=method] select",
            run: 'select "equal"',
        },
        {
            trigger: ".modal .o_field_widget[name=rounding_unit] select",
            run: 'select "1"',
        },
        {
            content: say("Preview", "预览"),
            trigger: `.modal footer button[name=action_preview]:contains('${say("Preview", "预览")}')`,
            run: "click",
        },
        {
            content: "His own line keeps the amount the level above set, marked as his",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row.text-info:contains('SH Leader') td[name=amount]:contains(/^¥\\s100$/)",
        },
        {
            content: "The other salesperson shares the rest",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains('Rep A') td[name=amount]:contains(/^¥\\s500$/)",
        },
        {
            content: say("Confirm", "确认"),
            trigger: `.modal footer button[name=action_confirm]:contains('${say("Confirm", "确认")}')`,
            run: "click",
        },
        {
            content: "Back on the team's target, with its two sub-targets",
            trigger: ".o_form_view button[name=action_view_children] .o_stat_value:contains('2')",
        },
        {
            content: "The team's target once in the breadcrumb, not twice",
            trigger: ".o_breadcrumb:not(:has(.breadcrumb-item:contains('Team SH'))) .o_last_breadcrumb_item:contains('Team SH')",
        },
    ],
});
