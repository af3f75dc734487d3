import { loadBundle } from "@web/core/assets";
import { cookie } from "@web/core/browser/cookie";
import { getColor } from "@web/core/colors/colors";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { Component, onWillStart, useEffect, useRef } from "@odoo/owl";

/**
 * Weekly demand history, the forecast that follows it, and the reorder point (min), max and on-hand levels of a
 * reorder point, drawn from the JSON its `oms_forecast_chart` field computes.
 */
// The six-colour palette: blue, red, teal, orange, purple, yellow, each easy to tell apart.
const color = (index) => getColor(index, cookie.get("color_scheme"), "sm");

export class OmsForecastChartField extends Component {
    static template = "oms_intelligent.ForecastChartField";
    static props = { ...standardFieldProps };

    setup() {
        this.canvasRef = useRef("canvas");
        this.chart = null;
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
        return this.props.record.data[this.props.name];
    }

    level(value, label, color) {
        return {
            label,
            data: this.data.labels.map(() => value),
            borderColor: color,
            borderDash: [2, 4],
            borderWidth: 1.5,
            pointRadius: 0,
            fill: false,
        };
    }

    renderChart() {
        this.chart?.destroy();
        const data = this.data;
        if (!data || !this.canvasRef.el) {
            return;
        }
        const text = data.labels_text;
        this.chart = new Chart(this.canvasRef.el, {
            type: "line",
            data: {
                labels: data.labels,
                datasets: [
                    {
                        label: text.history,
                        data: data.history,
                        borderColor: color(0),
                        backgroundColor: color(0),
                        tension: 0.2,
                        pointRadius: 2,
                    },
                    {
                        label: text.forecast,
                        data: data.forecast,
                        borderColor: color(3),
                        backgroundColor: color(3),
                        borderDash: [6, 4],
                        tension: 0.2,
                        pointRadius: 2,
                    },
                    this.level(data.min, text.min, color(1)),
                    this.level(data.max, text.max, color(4)),
                    this.level(data.on_hand, text.on_hand, color(2)),
                ],
            },
            options: {
                maintainAspectRatio: false,
                animation: false,
                interaction: { mode: "index", intersect: false },
                scales: { y: { beginAtZero: true } },
                plugins: { legend: { position: "bottom" } },
            },
        });
    }
}

registry.category("fields").add("oms_forecast_chart", {
    component: OmsForecastChartField,
    supportedTypes: ["json"],
});
