import { Component, onWillStart, useState } from "@odoo/owl";
import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { user } from "@web/core/user";
import { registry } from "@web/core/registry";
import { SelectMenu } from "@web/core/select_menu/select_menu";
import { useService } from "@web/core/utils/hooks";
import { useSetupAction } from "@web/search/action_hook";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { WarRoomProgressChart } from "./progress_chart";

const PACE_CLASS = {
    ahead: "o_srt_pace_good",
    on_track: "o_srt_pace_good",
    at_risk: "o_srt_pace_risk",
    behind: "o_srt_pace_behind",
};

const PERIODS = ["target", "year", "quarter", "month"];

/**
 * The war room (作战室): the figures of one scope and a tile per child, coloured
 * by pace; a click on a tile goes one level down, the breadcrumb back up. All
 * the figures come from one call (sale.target.war.room.get_data), and each
 * opens the records behind it. The metric, period and scope are kept in the
 * URL, so that a link shows the same war room to whoever may see it.
 */
export class WarRoom extends Component {
    static template = "sale_regional_target.WarRoom";
    static components = { SelectMenu, WarRoomProgressChart };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.actionService = useService("action");
        // back from a list opened here: where the user was; else the link's
        // choice; else nothing, and the server takes the first metric that has
        // a tree to show
        const action = this.props.action;
        const saved = this.props.state || action.params || action.context?.params || {};
        const targetId = parseInt(saved.scope, 10);
        this.state = useState({
            data: null,
            metric: typeof saved.metric === "string" ? saved.metric : false,
            period: PERIODS.includes(saved.period) ? saved.period : "target",
            targetId: Number.isInteger(targetId) && targetId > 0 ? targetId : false,
        });
        useSetupAction({ getLocalState: () => this.urlState() });
        this.periods = [
            ["target", _t("Target period")],
            ["year", _t("This year")],
            ["quarter", _t("This quarter")],
            ["month", _t("This month")],
        ];
        onWillStart(() => this.start());
    }

    urlState() {
        return {
            metric: this.state.metric || undefined,
            period: this.state.period,
            scope: this.state.targetId || undefined,
        };
    }

    /**
     * The first load: a link may carry a choice that is not (or no longer)
     * this user's to see, or garbage; then their own war room, said so.
     */
    async start() {
        const fromLink = this.state.metric || this.state.targetId || this.state.period !== "target";
        try {
            await this.load();
        } catch (error) {
            if (!fromLink || !error.data) {
                throw error;
            }
            Object.assign(this.state, { metric: false, period: "target", targetId: false });
            await this.load();
            this.notification.add(error.data.message, {
                title: _t("This link's war room cannot be shown: here is yours"),
                type: "warning",
            });
        }
    }

    async load() {
        this.state.data = await this.orm.call("sale.target.war.room", "get_data", [], {
            metric: this.state.metric,
            target_id: this.state.targetId,
            period: this.state.period,
        });
        this.state.metric = this.state.data.metric;
        this.state.targetId = this.state.data.scope ? this.state.data.scope.id : false;
        this.props.updateActionState?.(this.urlState());
    }

    get scopeChoices() {
        return this.state.data.choices.map((choice) => ({
            value: choice.id,
            label: `${"\u2003".repeat(choice.depth)}${choice.name}`,
        }));
    }

    async setScope(targetId) {
        await this.open(targetId);
    }

    async open(targetId) {
        this.state.targetId = targetId;
        await this.load();
    }

    async setMetric(ev) {
        this.state.metric = ev.target.value;
        this.state.targetId = false;
        await this.load();
    }

    async setPeriod(ev) {
        this.state.period = ev.target.value;
        await this.load();
    }

    get warningRows() {
        return [
            ["raised", _t("Raised")],
            ["escalated", _t("Escalated")],
            ["resolved", _t("Resolved")],
            ["open", _t("Open now, to acknowledge")],
            ["acknowledged", _t("Acknowledged with a plan")],
        ];
    }

    /** The week whose check the counts name. */
    get warningsWeek() {
        const week = this.state.data.warnings.week;
        return week ? _t("week of %s", this.formatDay(week)) : "";
    }

    /** A salesperson's part of their team's achieved amount, in words. */
    get contributionShare() {
        return _t("(%(share)s of the achieved)", {
            share: `${this.state.data.contribution.share} %`,
        });
    }

    get completionNote() {
        return _t("in red: below %s", `${this.state.data.completion.threshold} %`);
    }

    paceClass(tile) {
        return PACE_CLASS[tile.pace_status] || "";
    }

    /** An amount as a tile shows it: in 万 / 亿 for Chinese readers. */
    short(value) {
        if (value === false || value === undefined || value === null) {
            return "—";
        }
        const currency = this.state.data.currency;
        let text;
        const abs = Math.abs(value);
        if (user.lang.startsWith("zh") && abs >= 1e8) {
            text = `${(value / 1e8).toFixed(1)}亿`;
        } else if (user.lang.startsWith("zh") && abs >= 1e4) {
            text = `${(value / 1e4).toFixed(1)}万`;
        } else if (abs >= 1e9) {
            text = `${(value / 1e9).toFixed(2)}B`;
        } else if (abs >= 1e6) {
            text = `${(value / 1e6).toFixed(1)}M`;
        } else if (abs >= 1e3) {
            text = `${(value / 1e3).toFixed(1)}k`;
        } else {
            text = `${Math.round(value * 10) / 10}`;
        }
        if (!currency) {
            return text;
        }
        return currency.position === "after" ? `${text} ${currency.symbol}` : `${currency.symbol} ${text}`;
    }

    /** The full amount, for tooltips. */
    full(value) {
        if (value === false || value === undefined || value === null) {
            return "";
        }
        const text = value.toLocaleString(undefined, { maximumFractionDigits: 2 });
        const currency = this.state.data.currency;
        return currency ? `${currency.symbol} ${text}` : text;
    }

    openRecords(resModel, domain, name) {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: resModel,
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain,
        });
    }

    openTargets(domain, name) {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: "sale.target",
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain,
        });
    }

    /** The scope's target review as a PDF (its figures, months, sub-targets). */
    printScope() {
        const id = this.state.data.scope.id;
        this.actionService.doAction("sale_regional_target.action_report_sale_target_sections", {
            additionalContext: { active_model: "sale.target", active_id: id, active_ids: [id] },
        });
    }

    openChildren() {
        const scope = this.state.data.scope;
        this.openTargets([["parent_id", "=", scope.id]], scope.name);
    }

    openTarget(id) {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "sale.target",
            res_id: id,
            views: [[false, "form"]],
        });
    }

    openOverdue(person) {
        this.openRecords("mail.activity", person.overdue_domain, _t("Overdue Key Actions"));
    }

    openWeeks(person) {
        this.openRecords(
            "sale.action.completion",
            person.weeks_domain,
            _t("Key Actions Done: %s", person.name)
        );
    }

    openWarnings(name) {
        this.openRecords(
            "sale.target.warning",
            this.state.data.warnings.domains[name],
            _t("Lag Warnings")
        );
    }

    openWarning(id) {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "sale.target.warning",
            res_id: id,
            views: [[false, "form"]],
        });
    }

    formatDay(day) {
        return day ? formatDate(deserializeDate(day)) : "";
    }

    openCustomers(row) {
        this.openRecords("sale.customer.lifecycle", row.domain, row.label);
    }

    async openMoves(row, direction) {
        const action = await this.orm.call("sale.target.war.room", "action_stage_moves", [], {
            target_id: this.state.data.scope.id,
            stage: row.stage,
            direction,
        });
        await this.actionService.doAction(action);
    }

    get mixSince() {
        return _t("moves since %s", this.formatDay(this.state.data.mix.since));
    }
}

registry.category("actions").add("sale_target_war_room", WarRoom);
