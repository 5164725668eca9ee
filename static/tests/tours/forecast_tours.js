import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

// A salesperson reads the forecast of their own target, in their language, and
// follows it to the opportunities that feed it; then finds them again in the
// CRM pipeline with "Feeds My Target".
function say(en, zh) {
    return user.lang.startsWith("zh") ? zh : en;
}

registry.category("web_tour.tours").add("sale_target_forecast_salesperson", {
    steps: () => [
        {
            content: "Their own target, the only one they see",
            trigger: ".o_list_view .o_data_row:contains('Rep A') td[name=name]",
            run: "click",
        },
        {
            content: "The forecast beside the achieved amount",
            trigger: ".o_form_view .o_field_widget[name=forecast_amount]:contains('¥')",
        },
        {
            content: "Open the forecast tab",
            trigger: `.o_form_view .o_notebook .nav-link:contains('${say("Forecast", "预测")}')`,
            run: "click",
        },
        {
            content: "What the forecast is made of",
            trigger: ".o_form_view .o_field_widget[name=forecast_pipeline]:contains('¥')",
        },
        {
            content: "How far it was from what happened",
            trigger: `.o_form_view .o_field_widget[name=forecast_accuracy]:contains('${say("Not measured yet", "尚未测量")}')`,
        },
        {
            content: "The next 13 weeks",
            trigger: ".o_form_view table.o_srt_forecast_weeks tbody tr:eq(12)",
        },
        {
            content: "The opportunities that feed it",
            trigger: ".o_form_view button[name=action_view_feeding_opportunities]",
            run: "click",
        },
        {
            content: "The tender is among them",
            trigger: ".o_kanban_view .o_kanban_record:contains('Forecast Tender')",
        },
        {
            content: "and nobody else's",
            trigger: ".o_kanban_view:not(:has(.o_kanban_record:contains('West Deal')))",
        },
    ],
});

registry.category("web_tour.tours").add("sale_target_forecast_pipeline", {
    steps: () => [
        {
            content: "Filter the pipeline",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: `.o_filter_menu .o-dropdown-item:contains('${say("Feeds My Target", "计入我的目标")}')`,
            run: "click",
        },
        {
            content: "The opportunities counting for my target",
            trigger: ".o_kanban_view .o_kanban_record:contains('Forecast Tender')",
        },
        {
            trigger: ".o_kanban_view:not(:has(.o_kanban_record:contains('West Deal')))",
        },
    ],
});
