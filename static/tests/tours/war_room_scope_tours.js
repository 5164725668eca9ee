import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

// A salesperson's war room, with a confirmed target of their own and without
// one (then their team's, read-only, with their own part of it), in the user's
// language.
function say(en, zh) {
    return user.lang.startsWith("zh") ? zh : en;
}

registry.category("web_tour.tours").add("sale_target_war_room_no_own_target", {
    steps: () => [
        {
            content: "In the reader's language",
            trigger: `.o_srt_war_header h4:contains('${say("War Room", "作战室")}')`,
        },
        {
            content: "No target of their own: said so, not an empty page",
            trigger: ".o_srt_war_no_own_target",
        },
        {
            trigger: ".o_srt_war_room:not(:has(.o_srt_war_empty))",
        },
        {
            content: "Their team's figures",
            trigger: ".o_srt_war_scope:contains('Team SH')",
        },
        {
            content: "with their own part of them: 120 of the team's 200",
            trigger: ".o_srt_war_scope .o_srt_war_contribution:contains('60')",
        },
        {
            content: "The team's progress against time",
            trigger: ".o_srt_war_progress canvas",
        },
        {
            content: "and nobody else's target",
            trigger: ".o_srt_war_room:not(:has(.o_srt_war_tile))",
        },
        {
            content: "Their own customers",
            trigger: ".o_srt_war_mix .o_srt_war_mix_growing .o_srt_war_mix_customers:contains(1)",
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
            content: "Their overdue key action, one click away",
            trigger: ".o_srt_war_completion .o_srt_war_overdue:contains(1)",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('War Room Works')",
        },
    ],
});

registry.category("web_tour.tours").add("sale_target_war_room_own_target", {
    steps: () => [
        {
            content: "In the reader's language",
            trigger: `.o_srt_war_header h4:contains('${say("War Room", "作战室")}')`,
        },
        {
            content: "Their own target",
            trigger: ".o_srt_war_scope:contains('Rep A')",
        },
        {
            content: "which is all theirs: no team's, no part of it",
            trigger:
                ".o_srt_war_room:not(:has(.o_srt_war_no_own_target)):not(:has(.o_srt_war_contribution))",
        },
        {
            trigger: ".o_srt_war_progress canvas",
        },
        {
            content: "Their own customers",
            trigger: ".o_srt_war_mix .o_srt_war_mix_growing .o_srt_war_mix_customers:contains(1)",
        },
        {
            content: "Their overdue key action, one click away",
            trigger: ".o_srt_war_completion .o_srt_war_overdue:contains(1)",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('War Room Works')",
        },
    ],
});
