import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { user } from "@web/core/user";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

const PACE_CLASS = {
    ahead: "o_srt_pace_good",
    on_track: "o_srt_pace_good",
    at_risk: "o_srt_pace_risk",
    behind: "o_srt_pace_behind",
};

/**
 * The war room (作战室): the figures of one scope and a tile per child, coloured
 * by pace; a click on a tile goes one level down, the breadcrumb back up. All
 * the figures come from one call (sale.target.war.room.get_data).
 */
export class WarRoom extends Component {
    static template = "sale_regional_target.WarRoom";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        // no metric at first: the server takes the first that has a tree to show
        this.state = useState({ data: null, metric: false, period: "target", targetId: false });
        this.periods = [
            ["target", _t("Target period")],
            ["year", _t("This year")],
            ["quarter", _t("This quarter")],
            ["month", _t("This month")],
        ];
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call("sale.target.war.room", "get_data", [], {
            metric: this.state.metric,
            target_id: this.state.targetId,
            period: this.state.period,
        });
        this.state.metric = this.state.data.metric;
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

    openOverdue(userId) {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            name: _t("Overdue Key Actions"),
            res_model: "mail.activity",
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain: [
                ["user_id", "=", userId],
                ["action_key", "=", true],
                ["date_deadline", "<", this.state.data.today],
            ],
        });
    }

    openWarnings(state) {
        const domain = [["target_id", "child_of", this.state.data.scope.id]];
        if (state) {
            domain.push(["state", "=", state]);
        }
        this.actionService.doAction({
            type: "ir.actions.act_window",
            name: _t("Lag Warnings"),
            res_model: "sale.target.warning",
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain,
        });
    }
}

registry.category("actions").add("sale_target_war_room", WarRoom);
