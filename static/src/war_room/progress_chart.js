import { Component, onWillStart, onWillUnmount, useEffect, useRef } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { getColor, hexToRGBA } from "@web/core/colors/colors";
import { _t } from "@web/core/l10n/translation";

/**
 * The scope's progress against time: cumulative actuals by week, what was
 * expected by then, the forecast to the period's end and its range. Drawn with
 * the Chart.js the web client ships; the axes take the text colour of the page,
 * so that they read on a light or a dark theme alike.
 */
export class WarRoomProgressChart extends Component {
    static template = "sale_regional_target.WarRoomProgressChart";
    static props = {
        progress: Object,
        format: Function,
        formatFull: Function,
    };

    setup() {
        this.canvasRef = useRef("canvas");
        this.chart = null;
        onWillStart(() => loadBundle("web.chartjs_lib"));
        useEffect(
            () => this.draw(),
            () => [this.props.progress]
        );
        onWillUnmount(() => this.chart?.destroy());
    }

    /** The page's text colour at ``alpha``: "rgb(r, g, b)" -> "rgba(r, g, b, a)". */
    textColour(alpha) {
        const [r, g, b] = getComputedStyle(this.canvasRef.el).color.match(/\d+/g);
        return `rgba(${r}, ${g}, ${b}, ${alpha})`;
    }

    points(series) {
        return series.map(([x, y]) => ({ x, y }));
    }

    draw() {
        this.chart?.destroy();
        // blue and teal: the same in both themes
        const achieved = getColor(0, "light", "sm");
        const forecast = getColor(2, "light", "sm");
        const expected = this.textColour(0.55);
        const grid = this.textColour(0.12);
        const label = this.textColour(0.85);
        const progress = this.props.progress;
        const datasets = [
            {
                label: _t("Achieved"),
                data: this.points(progress.achieved),
                borderColor: achieved,
                backgroundColor: achieved,
                borderWidth: 3,
                pointRadius: 0,
            },
            {
                label: _t("Expected by then"),
                data: this.points(progress.expected),
                borderColor: expected,
                backgroundColor: expected,
                borderDash: [6, 4],
                borderWidth: 2,
                pointRadius: 0,
            },
            {
                label: _t("Forecast"),
                data: this.points(progress.forecast),
                borderColor: forecast,
                backgroundColor: forecast,
                borderDash: [2, 3],
                borderWidth: 2,
                pointRadius: 0,
            },
        ];
        if (progress.low.length) {
            datasets.push(
                {
                    label: _t("Forecast range"),
                    data: this.points(progress.high),
                    borderColor: hexToRGBA(forecast, 0.4),
                    backgroundColor: hexToRGBA(forecast, 0.2),
                    borderWidth: 1,
                    pointRadius: 0,
                    fill: "+1",
                },
                {
                    label: _t("Forecast range"),
                    data: this.points(progress.low),
                    borderColor: hexToRGBA(forecast, 0.4),
                    borderWidth: 1,
                    pointRadius: 0,
                    fill: false,
                }
            );
        }
        this.chart = new Chart(this.canvasRef.el, {
            type: "line",
            data: { datasets },
            options: {
                maintainAspectRatio: false,
                animation: false,
                parsing: true,
                interaction: { mode: "nearest", axis: "x", intersect: false },
                scales: {
                    x: {
                        type: "time",
                        time: { unit: "month", tooltipFormat: "DD" },
                        min: progress.start,
                        max: progress.end,
                        grid: { color: grid },
                        ticks: { color: label },
                    },
                    y: {
                        beginAtZero: true,
                        grid: { color: grid },
                        ticks: { color: label, callback: (value) => this.props.format(value) },
                    },
                },
                plugins: {
                    legend: {
                        labels: {
                            color: label,
                            // the range is drawn twice (its two edges): one entry
                            filter: (item, data) =>
                                data.datasets.findIndex((d) => d.label === item.text) ===
                                item.datasetIndex,
                        },
                    },
                    tooltip: {
                        callbacks: {
                            label: (context) =>
                                `${context.dataset.label}: ${this.props.formatFull(
                                    context.parsed.y
                                )}`,
                        },
                    },
                },
            },
        });
    }
}
