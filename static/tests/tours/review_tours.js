import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

// A regional manager writes up last month's review of their region and signs
// it; then the conclusions are frozen. In the user's language.
function say(en, zh) {
    return user.lang.startsWith("zh") ? zh : en;
}

registry.category("web_tour.tours").add("sale_target_review_sign", {
    steps: () => [
        {
            content: "The region's review, in draft",
            trigger: `.o_form_view .o_statusbar_status button.o_arrow_button_current:contains('${say("Draft", "草稿")}')`,
        },
        {
            content: "The improvement plan of a lag warning, already a next action",
            trigger: `.o_notebook .nav-link:contains('${say("Next Actions", "下一步行动")}')`,
            run: "click",
        },
        {
            trigger: ".o_field_one2many[name=action_ids] .o_data_row:contains('Weekly joint visits')",
        },
        {
            trigger: `.o_notebook .nav-link:contains('${say("Conclusions", "结论")}')`,
            run: "click",
        },
        {
            content: "Write the conclusions",
            trigger: ".o_field_html[name=conclusions] .odoo-editor-editable",
            run: "editor Shanghai is behind; the plan holds until the 20th.",
        },
        {
            content: "Sign (it saves first)",
            trigger: "button[name=action_sign]",
            run: "click",
        },
        {
            content: "Signed, and its conclusions no longer editable",
            trigger: `.o_statusbar_status button.o_arrow_button_current:contains('${say("Signed", "已签署")}')`,
        },
        {
            trigger: ".o_field_html[name=conclusions]:not(:has(.odoo-editor-editable)):contains('Shanghai is behind')",
        },
        {
            trigger: "button[name=action_draft]",
        },
    ],
});

registry.category("web_tour.tours").add("sale_target_review_salesperson", {
    steps: () => [
        {
            content: "Their own review, nobody else's",
            trigger: ".o_list_view .o_data_row:contains('Rep A')",
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row:contains('East')))",
        },
        {
            content: "Open it: no signature for them",
            trigger: ".o_list_view .o_data_row:contains('Rep A') td.o_data_cell",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name=action_print]",
        },
        {
            trigger: ".o_form_view:not(:has(button[name=action_sign]))",
        },
    ],
});
