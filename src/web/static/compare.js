// The comparison of picked runs: their curves overlaid, one chart per series (by timesteps or by wall
// time since each run started), and their settings side by side with the rows that differ marked.
import { ChartGrid } from './chart_grid.js';
import { charted, seriesOrder, seriesTitle } from './quantities.js';
import { $, duration, errorText, fmt, h, note } from './util.js';

export const RUN_COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
/** Points per series asked of the server: enough for a chart's width. */
const MAX_POINTS = 500;

/** A run's short name in legends and headers. */
export function runLabel(run) {
  return `${run.algorithm} ${run.run_id.slice(0, 6)}`;
}

export class Comparison {
  constructor() {
    this.grid = new ChartGrid($('compare-charts'), { height: 250 });
    this.records = [];
    $('compare-x').addEventListener('change', () => this.draw());
  }

  /** Fetches the picked runs' records (thinned for charting) and shows them; none picked hides the view. */
  async show(client, runIds) {
    $('compare-view').hidden = runIds.length === 0;
    if (runIds.length === 0) {
      this.records = [];
      this.grid.clear();
      return;
    }
    note('compare-note', `Reading ${runIds.length} run${runIds.length === 1 ? '' : 's'}…`);
    try {
      this.records = await Promise.all(runIds.map((id) => client.run(id, MAX_POINTS)));
    } catch (err) {
      note('compare-note', `Could not read the runs: ${errorText(err)}`, 'error');
      return;
    }
    note('compare-note', runIds.length === 1 ? 'Pick more runs in the list to overlay their curves.' : '');
    this.draw();
    this.table();
  }

  /** One chart per series any picked run has, a line per run. */
  draw() {
    const byTime = $('compare-x').value === 'elapsed_s';
    this.grid.clear();
    const names = new Set();
    for (const r of this.records) {
      for (const name of Object.keys(r.series)) if (charted(name)) names.add(name);
      if (r.evaluations.length) names.add('evaluation');
    }
    const series = this.records.map((r, i) => ({ name: runLabel(r.run), color: RUN_COLORS[i % RUN_COLORS.length], width: 2 }));
    for (const name of [...names].sort(seriesOrder)) {
      const chart = this.grid.chart(name, { title: seriesTitle(name), series, xFormat: byTime ? (s) => duration(s).replace(/ min .*/, ' min') : undefined });
      this.records.forEach((r, i) => {
        if (name === 'evaluation') {
          for (const e of r.evaluations) if (e.episodes > 0) chart.push(i, byTime ? (e.elapsed_s ?? NaN) : e.timesteps, e.mean_return);
          return;
        }
        const s = r.series[name];
        if (!s) return;
        const xs = byTime ? s.elapsed_s : s.timesteps;
        for (let j = 0; j < s.values.length; j++) chart.push(i, xs[j], s.values[j]);
      });
    }
    $('compare-charts').dataset.charts = String(names.size);
    $('compare-caption').textContent = `x axis: ${byTime ? 'wall time since each run started' : 'environment timesteps'}. Training figures are the mean of the last 100 training episodes (exploring); evaluations run the greedy policy.`;
  }

  /** Settings side by side: what the runs were asked, then every hyperparameter; rows that differ are marked. */
  table() {
    const runs = this.records.map((r) => r.run);
    const rows = [
      ['environment', (r) => r.env_id],
      ['algorithm', (r) => (r.kind === 'evaluate' ? `${r.algorithm} (evaluation)` : r.algorithm)],
      ['model', (r) => r.model],
      ['started from', (r) => r.init_model ?? '–'],
      ['seed', (r) => r.seed],
      ['total timesteps', (r) => r.total_timesteps],
      ['early stop', (r) => r.early_stop],
      ['backend', (r) => r.backend ?? '–'],
      ['outcome', (r) => `${r.status}${r.stop_reason ? ` (${r.stop_reason})` : ''}`],
      ['timesteps', (r) => r.timesteps],
      ['training mean (100)', (r) => fmt(r.mean_return_100)],
      ['evaluation', (r) => (r.evaluation ? `${fmt(r.evaluation.mean_return)} ± ${fmt(r.evaluation.std_return)} (${r.evaluation.episodes})` : '–')],
    ];
    const names = [...new Set(runs.flatMap((r) => Object.keys(r.hyperparameters ?? {})))].sort();
    for (const name of names) rows.push([name, (r) => (name in (r.hyperparameters ?? {}) ? r.hyperparameters[name] : '–'), true]);
    const show = (v) => (typeof v === 'number' ? String(v) : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));
    const head = h('tr', {}, h('th', { textContent: 'setting' }), ...runs.map((r, i) => h('th', {}, h('span', { className: 'swatch', style: `background:${RUN_COLORS[i % RUN_COLORS.length]}` }), runLabel(r))));
    const body = rows.map(([label, get, hyper]) => {
      const values = runs.map((r) => show(get(r)));
      const differs = runs.length > 1 && new Set(values).size > 1;
      return h('tr', { className: `${differs ? 'differs' : ''} ${hyper ? 'hp' : ''}`.trim(), dataset: { setting: label } }, h('th', { scope: 'row', textContent: label }), ...values.map((v) => h('td', { textContent: v })));
    });
    $('compare-params').replaceChildren(h('thead', {}, head), h('tbody', {}, ...body));
    const differing = body.filter((tr) => tr.classList.contains('differs') && tr.classList.contains('hp')).length;
    $('compare-diff').textContent = runs.length > 1 ? `${differing} hyperparameter${differing === 1 ? '' : 's'} differ${differing === 1 ? 's' : ''} (marked).` : '';
  }

  redraw() {
    this.grid.draw();
  }
}
