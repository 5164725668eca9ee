import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { localization } from "@web/core/l10n/localization";

// Lag warnings as a team leader and as a salesperson, in the user's language.
const { DateTime } = luxon;

function say(en, zh) {
    return user.lang.startsWith("zh") ? zh : en;
}

function openWarnings() {
    return [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Start from the Targets app",
            trigger: ".o_app[data-menu-xmlid='sale_regional_target.menu_targets_app']",
            run: "click",
        },
        {
            content: "Open the lag warnings",
            trigger: ".o_menu_sections [data-menu-xmlid='sale_regional_target.menu_targets_app_warnings']",
            run: "click",
        },
        {
            content: "Only the open ones at first",
            trigger: `.o_searchview_facet:contains('${say("Open", "待处理")}')`,
        },
    ];
}

// The team leader: the warning of a member escalated to them; they acknowledge it
// with an improvement plan.
registry.category("web_tour.tours").add("sale_target_lag_warnings_leader", {
    steps: () => {
        const due = DateTime.now().plus({ days: 14 }).toFormat(localization.dateFormat);
        return [
            ...openWarnings(),
            {
                content: "The member's warning, now the leader's",
                trigger: ".o_list_view .o_data_row:contains('Rep A'):contains('SH Leader') td[name=summary]",
                run: "click",
            },
            {
                content: "Escalated, with the week-by-week figures",
                trigger: `.o_form_view .ribbon:contains('${say("Escalated", "已升级")}')`,
            },
            {
                trigger: `.o_form_view .o_field_widget[name=responsible_role]:contains('${say("Team Leader", "团队主管")}')`,
            },
            {
                content: "Acknowledge it",
                trigger: ".o_form_view .o_statusbar_buttons button[name=action_acknowledge]",
                run: "click",
            },
            {
                content: "Say what will be done",
                trigger: ".modal .o_field_widget[name=plan_action] textarea",
                run: "edit Two joint visits a week with Rep A",
            },
            {
                content: "By when",
                trigger: ".modal .o_field_widget[name=plan_date] input",
                run: `edit ${due}`,
            },
            {
                trigger: ".modal footer button[name=action_confirm]",
                run: "click",
            },
            {
                content: "Acknowledged, with its plan on the warning",
                trigger: `.o_form_view .o_statusbar_status button.o_arrow_button_current:contains('${say("Acknowledged", "已响应")}')`,
            },
            {
                trigger: ".o_form_view .o_field_widget[name=plan_action]:contains('Two joint visits a week')",
            },
        ];
    },
});

// The salesperson: their own warning only, moved to their leader; no Acknowledge.
registry.category("web_tour.tours").add("sale_target_lag_warnings_salesperson", {
    steps: () => [
        ...openWarnings(),
        {
            content: "Their own warning, and no other",
            trigger: ".o_list_view .o_data_row:contains('Rep A')",
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Rep B')))",
        },
        {
            content: "Open it",
            trigger: ".o_list_view .o_data_row:contains('Rep A') td[name=summary]",
            run: "click",
        },
        {
            content: "They see who has it now",
            trigger: ".o_form_view .o_field_widget[name=responsible_id]:contains('SH Leader')",
        },
        {
            content: "It is the leader's to acknowledge now",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name=action_acknowledge]))",
        },
        {
            content: "Open the target it is about",
            trigger: ".o_form_view .o-form-buttonbox button[name=action_open_subject]:visible",
            run: "click",
        },
        {
            content: "The target says a warning is open",
            trigger: `.o_form_view .ribbon:contains('${say("Warning Open", "预警中")}')`,
        },
    ],
});
