import { Component, onWillStart, onWillUpdateProps } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { KanbanController } from "@web/views/kanban/kanban_controller";
import { kanbanView } from "@web/views/kanban/kanban_view";

/**
 * The salesperson's own key-action completion above their action plan: this
 * week so far, last week, and which way it goes.
 */
export class ActionPlanSummary extends Component {
    static template = "sale_regional_target.ActionPlanSummary";
    static props = { root: Object };

    setup() {
        this.orm = useService("orm");
        onWillStart(() => this.load());
        // the board was loaded again (an action was done): count again
        onWillUpdateProps((next) => next.root !== this.props.root && this.load());
    }

    async load() {
        this.summary = await this.orm.call("sale.action.completion", "get_my_summary", []);
    }

    get trendIcon() {
        return {
            up: "fa-arrow-up text-success",
            down: "fa-arrow-down text-danger",
            flat: "fa-arrow-right text-muted",
        }[this.summary.trend];
    }
}

export class ActionPlanKanbanController extends KanbanController {
    static template = "sale_regional_target.ActionPlanKanbanView";
    static components = { ...KanbanController.components, ActionPlanSummary };
}

registry.category("views").add("sale_action_plan_kanban", {
    ...kanbanView,
    Controller: ActionPlanKanbanController,
});
