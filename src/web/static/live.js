// The job the training card follows: its figures, its progress bar and a chart for every series it
// reports, drawn from the run's record first (after a reload, or in another tab) and then from its
// live progress frames.
import { ChartGrid } from './chart_grid.js';
import { compact } from './chart.js';
import { chartOf, figuresOfFrame } from './quantities.js';
import { $, duration, fmt, num } from './util.js';

const COLORS = ['#2563eb', '#f59e0b', '#db2777'];

export class LiveView {
  constructor() {
    this.grid = new ChartGrid($('live-charts'), { ids: { return: 'return-chart', steps_per_second: 'sps-chart' } });
    this.jobId = null;
    this.lastT = -1;
    this.lastEval = -1;
    this.threshold = null;
    /** True while a run's record is being drawn: live frames wait (the handle keeps them). */
    this.loading = false;
  }

  /** Starts showing job `jobId` from nothing. */
  reset(jobId, { threshold = null } = {}) {
    this.grid.clear();
    this.jobId = jobId;
    this.lastT = -1;
    this.lastEval = -1;
    this.threshold = Number.isFinite(threshold) ? threshold : null;
    $('train-bar').style.width = '0';
    for (const id of ['stat-timesteps', 'stat-episodes', 'stat-mean', 'stat-eval', 'stat-last', 'stat-sps', 'stat-elapsed', 'stat-left']) $(id).textContent = '–';
    $('live-charts').dataset.job = jobId ?? '';
    // The return chart comes first and carries the reward threshold, even before its first point.
    if (jobId) this.chartFor('mean_return_100');
  }

  chartFor(name) {
    const c = chartOf(name);
    if (!c) return null;
    const reference = c.key === 'return' && this.threshold !== null ? { value: this.threshold, label: `reward threshold ${this.threshold}` } : undefined;
    const chart = this.grid.chart(c.key, {
      title: c.title,
      order: c.order,
      yMin: c.yMin,
      reference,
      series: c.members.map((m, i) => ({ name: m.label ?? c.title, color: COLORS[i % COLORS.length], dots: m.dots, width: m.width })),
    });
    return { chart, index: Math.max(0, c.members.findIndex((m) => m.name === name)) };
  }

  push(name, x, y) {
    const target = this.chartFor(name);
    target?.chart.push(target.index, x, y);
  }

  /** Draws a run record's series and evaluations (what `run` answers) and its figures. */
  history(record) {
    for (const [name, s] of Object.entries(record.series)) {
      for (let i = 0; i < s.values.length; i++) this.push(name, s.timesteps[i], s.values[i]);
      if (s.timesteps.length) this.lastT = Math.max(this.lastT, s.timesteps[s.timesteps.length - 1]);
    }
    for (const e of record.evaluations) this.evaluation(e);
    const r = record.run;
    this.figures({ timesteps: r.timesteps, total_timesteps: r.total_timesteps, episodes: r.episodes, mean_return_100: r.mean_return_100, last_return: r.last_return, elapsed_s: r.elapsed_s, evaluation: r.evaluation });
  }

  evaluation(e) {
    if (!e || !(e.episodes > 0) || e.timesteps === this.lastEval) return;
    this.lastEval = e.timesteps;
    this.push('evaluation', e.timesteps, e.mean_return);
  }

  /** One `train.progress` frame onto the charts (unless the record drawn already had it) and the figures. */
  frame(frame) {
    const t = num(frame, 'timesteps');
    if (t !== undefined && t > this.lastT) {
      for (const [name, v] of figuresOfFrame(frame)) this.push(name, t, v);
      this.lastT = t;
    }
    this.evaluation(frame.evaluation);
    this.figures(frame);
  }

  figures(f) {
    const t = num(f, 'timesteps');
    const total = num(f, 'total_timesteps');
    $('stat-timesteps').textContent = total ? `${compact(t ?? 0)} / ${compact(total)}` : fmt(t, 0);
    $('stat-episodes').textContent = fmt(num(f, 'episodes'), 0);
    $('stat-mean').textContent = fmt(num(f, 'mean_return_100'));
    const e = f.evaluation;
    $('stat-eval').textContent = e && e.episodes > 0 ? `${fmt(e.mean_return)} ± ${fmt(e.std_return)}` : '–';
    $('stat-last').textContent = fmt(num(f, 'last_return'));
    const sps = num(f, 'steps_per_second');
    $('stat-sps').textContent = sps === undefined ? '–' : fmt(Math.round(sps), 0);
    $('stat-elapsed').textContent = duration(num(f, 'elapsed_s'));
    $('stat-left').textContent = duration(num(f, 'remaining_s'));
    if (t !== undefined && total) $('train-bar').style.width = `${Math.min(100, (100 * t) / total)}%`;
  }

  /** The figures a finished job's summary gives (the last frame can be up to 100 ms older). */
  summary(s) {
    $('stat-timesteps').textContent = fmt(num(s, 'timesteps'), 0);
    $('stat-episodes').textContent = fmt(num(s, 'episodes'), 0);
    $('stat-elapsed').textContent = duration(num(s, 'elapsed_s'));
    $('stat-left').textContent = '–';
  }

  draw() {
    this.grid.draw();
  }
}
