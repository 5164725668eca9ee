import { registry } from "@web/core/registry";

// A salesperson opens their customers' heat map, proposes another stage for one
// customer, then marks an action of their plan done from its card.
registry.category("web_tour.tours").add("sale_target_customer_board_tour", {
    url: "/odoo/action-sale_regional_target.sale_customer_lifecycle_action_board",
    steps: () => [
        {
            content: "The customer is in the Growing column, with its next action",
            trigger: ".o_kanban_group:contains('Growing') .o_kanban_record:contains('Tour Steel Works'):contains('Visit')",
        },
        {
            content: "Stages without customers are folded, out of the way",
            trigger: ".o_kanban_group.o_column_folded:contains('Declining')",
        },
        {
            content: "Open the customer's lifecycle",
            trigger: ".o_kanban_record:contains('Tour Steel Works')",
            run: "click",
        },
        {
            content: "Propose another stage",
            trigger: ".o_form_view button[name=action_propose_stage]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=stage] select",
            run: 'select "stable"',
        },
        {
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Orders flattened after the plant was built",
        },
        {
            trigger: ".modal .modal-footer button:contains('Propose')",
            run: "click",
        },
        {
            content: "Waiting for the manager",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Proposed')",
        },
    ],
});

registry.category("web_tour.tours").add("sale_target_action_plan_tour", {
    url: "/odoo/action-sale_regional_target.mail_activity_action_plan",
    steps: () => [
        {
            content: "Her own key actions of this week and last week, above the board",
            trigger: ".o_sale_action_plan_summary .o_this_week:contains('0 %')",
        },
        {
            content: "This week's visit is on the board",
            trigger: ".o_kanban_group:contains('This Week') .o_kanban_record:contains('Visit'):contains('Tour Steel Works')",
        },
        {
            content: "Mark it done from the card",
            trigger: ".o_kanban_record:contains('Visit') button:contains('Done')",
            run: "click",
        },
        {
            content: "Say what came of it",
            trigger: ".modal .o_field_widget[name=outcome] textarea",
            run: "edit Met the plant manager; a trial order in May",
        },
        {
            content: "It is due this week: no reason to give for doing it now",
            trigger: ".modal:not(:has(.o_field_widget[name=early_reason]))",
        },
        {
            trigger: ".modal .modal-footer button:contains('Done')",
            run: "click",
        },
        {
            content: "The card leaves the board",
            trigger: ".o_kanban_view:not(:has(.o_kanban_record:contains('Visit')))",
        },
        {
            content: "and this week's completion counts it",
            trigger: ".o_sale_action_plan_summary .o_this_week:contains('100 %')",
        },
    ],
});
