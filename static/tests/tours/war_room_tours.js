import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

// The war room as HQ (drill into a region behind its pace, then open its targets)
// and as a salesperson (their own figures only), in the user's language.
function say(en, zh) {
    return user.lang.startsWith("zh") ? zh : en;
}

registry.category("web_tour.tours").add("sale_target_war_room_hq", {
    steps: () => [
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
            trigger: ".o_srt_war_header .breadcrumb .o_srt_war_up",
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
            content: "Their open warnings",
            trigger: `.o_srt_war_warnings a:contains('${say("Open now", "当前待处理")}')`,
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Rep A')",
        },
    ],
});
