import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { localization } from "@web/core/l10n/localization";

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

// Prepare Review from a target's Action menu: the review opens under its own
// action, and a reload of its URL gives the same screen, without a breadcrumb
// through a target (the client once put the wizard's id into the URL).
function atReviewPath(when) {
    if (!/^\/odoo\/target-reviews\/\d+$/.test(window.location.pathname)) {
        throw new Error(`review ${when} at ${window.location.pathname}`);
    }
}

registry.category("web_tour.tours").add("sale_target_review_prepare_url", {
    steps: () => [
        {
            content: "The target's Action menu",
            trigger: ".o_form_view .o_cp_action_menus .fa-cog",
            run: "click",
        },
        {
            trigger: ".o-dropdown-item:contains('Prepare Review')",
            run: "click",
        },
        {
            content: "The wizard starts on the target's owner",
            trigger: ".modal .o_field_widget[name=region_id] input:value('Testland / East')",
        },
        {
            content: "This month",
            trigger: ".modal .o_field_widget[name=day] input",
            run: `edit ${luxon.DateTime.now().toFormat(localization.dateFormat)}`,
        },
        {
            trigger: ".modal button[name=action_prepare]",
            run: "click",
        },
        {
            content: "The review, under the reviews' own path",
            trigger: ".o_form_view .o_breadcrumb:contains('Testland / East')",
            run() {
                atReviewPath("opened");
                window.location.reload();
            },
        },
        {
            content: "Reloaded: Reviews, then the review; no target on the way",
            trigger: ".o_breadcrumb .breadcrumb-item:first-child:contains('Reviews')",
        },
        {
            trigger: ".o_form_view .o_breadcrumb:contains('Testland / East'):not(:contains('Revenue'))",
            run() {
                atReviewPath("reloaded");
            },
        },
    ],
});
