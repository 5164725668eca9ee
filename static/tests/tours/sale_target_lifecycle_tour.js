import { registry } from "@web/core/registry";

// A salesperson opens their customers' heat map, proposes another stage for one
// customer, then marks an action of their plan done from its card.
registry.category("web_tour.tours").add("sale_target_customer_board_tour", {
    url: "/odoo/action-sale_regional_target.sale_customer_lifecycle_action_board",
    steps: () => [
        {
            content: "Every stage is a column of the board",
            trigger: ".o_kanban_group .o_column_title:contains('Declining')",
        },
        {
            content: "The customer is in the Growing column, with its next action",
            trigger: ".o_kanban_group:contains('Growing') .o_kanban_record:contains('Tour Steel Works'):contains('Visit')",
        },
        {
            content: "Open the customer's lifecycle",
            trigger: ".o_kanban_record:contains('Tour Steel Works')",
            run: "click",
        },
        {
            content: "Propose another stage",
            trigger: ".o_form_view .o_field_widget[name=proposed_stage] select",
            run: 'select "stable"',
        },
        {
            trigger: ".o_form_view .o_field_widget[name=proposal_note] textarea",
            run: "edit Orders flattened after the plant was built",
        },
        {
            trigger: ".o_form_button_save",
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
            content: "This week's visit is on the board",
            trigger: ".o_kanban_group:contains('This Week') .o_kanban_record:contains('Visit'):contains('Tour Steel Works')",
        },
        {
            content: "Mark it done from the card",
            trigger: ".o_kanban_record:contains('Visit') button[name=action_done]",
            run: "click",
        },
        {
            content: "The card leaves the board",
            trigger: ".o_kanban_view:not(:has(.o_kanban_record:contains('Visit')))",
        },
    ],
});
