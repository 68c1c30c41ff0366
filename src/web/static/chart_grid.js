// A grid of line charts made as their series first appear: a live run's charts (one per quantity,
// its series together) and a comparison's (one per series, a line per run) both build on it.
import { LineChart } from './chart.js';
import { h } from './util.js';

export class ChartGrid {
  /** `ids` gives some charts a fixed element id (`{ return: 'return-chart' }`), for links and tests. */
  constructor(container, { ids = {}, height = 220 } = {}) {
    this.container = container;
    this.ids = ids;
    this.height = height;
    this.charts = new Map();
  }

  /** The chart for `key`, made the first time with `title`, `series` and options, placed by `order`. */
  chart(key, { title, caption, series, order = 0, yMin, xFormat, reference }) {
    let entry = this.charts.get(key);
    if (entry) return entry.chart;
    const canvas = h('canvas', { width: 720, height: this.height, 'aria-label': title, dataset: { points: '0', chart: key } });
    if (this.ids[key]) canvas.id = this.ids[key];
    const figure = h('figure', { className: 'chart', dataset: { order: String(order) } }, h('figcaption', { className: 'title', textContent: title }), canvas, caption ? h('figcaption', { textContent: caption }) : null);
    const after = [...this.charts.values()].find((e) => e.order > order);
    if (after) this.container.insertBefore(figure, after.figure);
    else this.container.append(figure);
    const chart = new LineChart(canvas, { series, yMin, xFormat, empty: 'No points yet' });
    if (reference) chart.setReference(reference.value, reference.label);
    entry = { chart, figure, order };
    this.charts.set(key, entry);
    return chart;
  }

  /** Removes every chart. */
  clear() {
    for (const { figure } of this.charts.values()) figure.remove();
    this.charts.clear();
  }

  /** Redraws every chart (after a resize). */
  draw() {
    for (const { chart } of this.charts.values()) chart.draw();
  }
}
