import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

// Each role's first day, from the Targets app of the navigation bar, walked in the
// user's language: the same steps read English or Chinese screens.
const { DateTime } = luxon;

function say(en, zh) {
    return user.lang.startsWith("zh") ? zh : en;
}

function openTargetsApp() {
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
    ];
}

// The director: the Targets app opens on this period's targets by level; totals
// only where they mean something; the company target is split among the regions.
registry.category("web_tour.tours").add("sale_target_first_day_director", {
    steps: () => {
        const year = DateTime.now().year;
        const company = say("Company", "公司");
        const region = say("Region", "区域");
        const plan = `${year} ${say("Revenue", "销售额")} · Target Test Co`;
        return [
            ...openTargetsApp(),
            {
                content: "This period's targets, by level",
                trigger: `.o_searchview_facet:contains('${say("Current Period", "当前周期")}')`,
            },
            {
                content: "Revenue and collections at company level: no sum over both",
                trigger: `.o_list_view tr.o_group_header:contains('${company} (2)'):not(:contains('1,500'))`,
            },
            {
                content: "Open the company level",
                trigger: `.o_list_view tr.o_group_header:contains('${company} (2)')`,
                run: "click",
            },
            {
                content: "Open this year's revenue plan",
                trigger: `.o_list_view .o_data_row td.o_data_cell:contains('${plan}')`,
                run: "click",
            },
            {
                content: "Allocate it",
                trigger: ".o_form_view .o_statusbar_buttons button[name=action_allocate]",
                run: "click",
            },
            {
                content: "The dialog says what it allocates",
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
                content: "Preview",
                trigger: ".modal footer button[name=action_preview]",
                run: "click",
            },
            {
                content: "Region paths in the reader's language, in full",
                trigger: `.modal .o_field_widget[name=line_ids] .o_data_row:contains('${say("Testland / East", "测试国 / 华东")}') td[name=amount]:contains(/^¥\\s500$/)`,
            },
            {
                content: "The title stays after Preview",
                trigger: `.modal .modal-title:contains('${plan}')`,
            },
            {
                content: "Confirm",
                trigger: ".modal footer button[name=action_confirm]",
                run: "click",
            },
            {
                content: "Two sub-targets",
                trigger: ".o_form_view:not(:has(.modal)) button[name=action_view_children] .o_stat_value:contains('2')",
            },
            {
                content: "Back to the targets",
                trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
                run: "click",
            },
            {
                content: "The regions of one metric add up to the company's plan",
                trigger: `.o_list_view tr.o_group_header:contains('${region} (2)'):contains('1,000.00')`,
            },
        ];
    },
});

// The regional manager: his region's target goes to the teams that already hold
// targets under it, not to a second layer of sub-regions beside them.
registry.category("web_tour.tours").add("sale_target_first_day_manager", {
    steps: () => {
        const year = DateTime.now().year;
        const region = say("Region", "区域");
        const east = `${year} ${say("Revenue", "销售额")} · ${say("East", "华东")}`;
        return [
            ...openTargetsApp(),
            {
                content: "Open the region level",
                trigger: `.o_list_view tr.o_group_header:contains('${region} (1)')`,
                run: "click",
            },
            {
                content: "Open his region's target",
                trigger: `.o_list_view .o_data_row td.o_data_cell:contains('${east}')`,
                run: "click",
            },
            {
                content: "Split it",
                trigger: ".o_form_view .o_statusbar_buttons button[name=action_allocate]",
                run: "click",
            },
            {
                content: "The split starts on the teams, the layer that exists",
                trigger: ".modal .o_field_widget[name=region_split] input[data-value=teams]:checked",
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
                trigger: ".modal footer button[name=action_preview]",
                run: "click",
            },
            {
                content: "Both teams of the region, the existing one updated",
                trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains('Team SH') td[name=amount]:contains(/^¥\\s300$/)",
            },
            {
                trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains('Team East Direct') td[name=amount]:contains(/^¥\\s300$/)",
            },
            {
                content: "No second layer, nothing to warn about",
                trigger: ".modal:not(:has(.alert-warning)):not(:has(.o_data_row:contains('Shanghai'))):not(:has(.o_data_row:contains('上海')))",
            },
            {
                trigger: ".modal footer button[name=action_confirm]",
                run: "click",
            },
            {
                content: "Two team targets under his region",
                trigger: ".o_form_view:not(:has(.modal)) button[name=action_view_children] .o_stat_value:contains('2')",
            },
        ];
    },
});

// The salesperson: the Targets app opens on her action plan; she does this week's
// visit, says what came of it, and sees her completion rate move.
registry.category("web_tour.tours").add("sale_target_first_day_salesperson", {
    steps: () => {
        const visit = say("Visit the plant", "拜访工厂");
        return [
            ...openTargetsApp(),
            {
                content: "Her key actions: none done this week yet, nothing due last week",
                trigger: `.o_sale_action_plan_summary .o_this_week:contains('0 %'):contains('${say("This week:", "本周：")}')`,
            },
            {
                trigger: `.o_sale_action_plan_summary .o_last_week:contains('${say("nothing due", "无到期动作")}')`,
            },
            {
                content: "This week's visit, in her language",
                trigger: `.o_kanban_record:contains('${visit}'):contains('Tour Steel Works')`,
            },
            {
                content: "Done, from the card",
                trigger: `.o_kanban_record:contains('${visit}') button[name=action_done_with_outcome]`,
                run: "click",
            },
            {
                content: "What came of it",
                trigger: ".modal .o_field_widget[name=outcome] textarea",
                run: "edit Met the plant manager; a trial order in May",
            },
            {
                trigger: ".modal .modal-footer button[name=action_confirm]",
                run: "click",
            },
            {
                content: "The card leaves the board",
                trigger: `.o_kanban_view:not(:has(.o_kanban_record:contains('${visit}')))`,
            },
            {
                content: "and her rate counts it",
                trigger: ".o_sale_action_plan_summary .o_this_week:contains('100 %'):contains('(1 / 1)')",
            },
        ];
    },
});
