import { Component, onWillStart, useEffect, useRef } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * Month-by-month bars of a target's phasing against what was achieved.
 * Reads a JSON field {labels: [...], target: [...], achieved: [...]}.
 */
export class PhasingChartField extends Component {
    static template = "sale_regional_target.PhasingChartField";
    static props = { ...standardFieldProps };

    setup() {
        this.canvasRef = useRef("canvas");
        onWillStart(() => loadBundle("web.chartjs_lib"));
        useEffect(
            () => {
                this.renderChart();
                return () => this.chart?.destroy();
            },
            () => [this.props.record.data[this.props.name]]
        );
    }

    get data() {
        return this.props.record.data[this.props.name] || { labels: [], target: [], achieved: [] };
    }

    renderChart() {
        this.chart?.destroy();
        const data = this.data;
        // eslint-disable-next-line no-undef
        this.chart = new Chart(this.canvasRef.el, {
            type: "bar",
            data: {
                labels: data.labels,
                datasets: [
                    {
                        label: _t("Monthly target"),
                        data: data.target,
                        backgroundColor: "rgba(113, 75, 103, 0.35)",
                    },
                    {
                        label: _t("Achieved"),
                        data: data.achieved,
                        backgroundColor: "rgba(1, 126, 132, 0.85)",
                    },
                ],
            },
            options: { maintainAspectRatio: false, animation: false },
        });
    }
}

registry.category("fields").add("sale_target_phasing_chart", {
    component: PhasingChartField,
    supportedTypes: ["json"],
});
