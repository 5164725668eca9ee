import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

// The war room as HQ (drill into a region behind its pace, then open its targets)
// and as a salesperson (their own figures only, then their overdue key
// actions), in the user's language.
function say(en, zh) {
    return user.lang.startsWith("zh") ? zh : en;
}

registry.category("web_tour.tours").add("sale_target_war_room_hq", {
    steps: () => [
        {
            content: "The company's progress against time, drawn",
            trigger: ".o_srt_war_progress canvas",
        },
        {
            content: "and its customers by lifecycle stage",
            trigger: ".o_srt_war_mix .o_srt_war_mix_growing .o_srt_war_mix_customers:contains(1)",
        },
        {
            content: "The company's regions, each a tile coloured by its pace",
            trigger: `.o_srt_war_tile[data-pace=behind]:contains('${say("West", "西部")}')`,
            run: "click",
        },
        {
            content: "One level down: the region's teams, and the way back up",
            trigger: ".o_srt_war_tile:contains('Team W')",
        },
        {
            content: "The link now points at the region: it can be shared",
            trigger: ".o_srt_war_scope_picker",
            run() {
                const url = new URL(window.location.href);
                if (!url.searchParams.get("scope")) {
                    throw new Error(`no scope in the URL: ${url}`);
                }
            },
        },
        {
            trigger: ".o_srt_war_header .breadcrumb .o_srt_war_up",
        },
        {
            content: "The region's review can be printed from here",
            trigger: ".o_srt_war_scope .o_srt_war_print",
        },
        {
            content: "Open the region's targets",
            trigger: ".o_srt_war_children",
            run: "click",
        },
        {
            content: "The team's target, in the targets list",
            trigger: ".o_list_view .o_data_row:contains('Team W')",
        },
    ],
});

registry.category("web_tour.tours").add("sale_target_war_room_salesperson", {
    steps: () => [
        {
            content: "Their own figures",
            trigger: ".o_srt_war_scope:contains('Rep A')",
        },
        {
            content: "and nobody else's",
            trigger: ".o_srt_war_room:not(:has(.o_srt_war_tile))",
        },
        {
            content: "Their overdue key action, one click away",
            trigger: ".o_srt_war_completion .o_srt_war_overdue:contains(1)",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('War Room Works')",
        },
        {
            content: "Back to the war room",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "Their open warnings",
            trigger: ".o_srt_war_warnings .o_srt_war_warnings_open",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Rep A')",
        },
    ],
});

registry.category("web_tour.tours").add("sale_target_war_room_foreign_link", {
    steps: () => [
        {
            content: "A link to a colleague's war room: refused, said so",
            trigger: ".o_notification:contains('cannot be shown')",
        },
        {
            content: "and their own war room instead",
            trigger: ".o_srt_war_scope:contains('Rep A')",
        },
        {
            trigger: ".o_srt_war_room:not(:has(.o_srt_war_tile:contains('Rep B')))",
        },
    ],
});
