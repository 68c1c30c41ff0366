// The leaderboard: an environment's saved models ranked by their latest greedy evaluation (the one
// made at the end of training, or a later `evaluate` run, whichever is newer), with mean ± std, the
// episodes it ran, and the training run that made each model.
import { $, button, emptyRow, fmt, h, when } from './util.js';

const COLUMNS = 7;

/** Each model's latest evaluation among the one saved with it and the evaluation runs made of it. */
export function rankModels(models, runs, envId) {
  const rows = [];
  for (const m of models.filter((x) => x.env_id === envId)) {
    let best = m.evaluation && m.evaluation.episodes > 0 ? { ...m.evaluation, at: m.created_at, source: 'training' } : null;
    for (const r of runs) {
      if (r.kind !== 'evaluate' || r.model !== m.name || !r.evaluation || !(r.evaluation.episodes > 0) || r.env_id !== envId) continue;
      const at = r.finished_at ?? r.started_at ?? r.created_at;
      if (!best || at > best.at) best = { ...r.evaluation, at, source: 'evaluation', run_id: r.run_id };
    }
    if (!best) continue;
    const trainedBy = runs.filter((r) => r.kind !== 'evaluate' && r.model === m.name).sort((a, b) => (a.created_at < b.created_at ? 1 : -1))[0] ?? null;
    rows.push({ model: m, evaluation: best, run: trainedBy });
  }
  return rows.sort((a, b) => b.evaluation.mean_return - a.evaluation.mean_return || a.evaluation.std_return - b.evaluation.std_return);
}

export class Leaderboard {
  /** `onShowRun(id)` picks a run in the runs view; `onDownload(name, button)` downloads a model. */
  constructor({ onShowRun, onDownload }) {
    this.onShowRun = onShowRun;
    this.onDownload = onDownload;
    this.models = [];
    this.runs = [];
    $('board-env').addEventListener('change', () => this.render());
  }

  /** Takes the models and runs the page has listed, and ranks the chosen environment's. */
  update(models, runs) {
    this.models = models;
    this.runs = runs;
    const envs = [...new Set(models.map((m) => m.env_id))].sort();
    const select = $('board-env');
    const current = select.value;
    select.replaceChildren(...envs.map((e) => new Option(e, e)));
    select.value = envs.includes(current) ? current : (envs.includes('CartPole-v1') ? 'CartPole-v1' : envs[0] ?? '');
    this.render();
  }

  render() {
    const tbody = $('board-table').querySelector('tbody');
    const envId = $('board-env').value;
    const rows = envId ? rankModels(this.models, this.runs, envId) : [];
    if (!rows.length) return tbody.replaceChildren(emptyRow(envId ? `No evaluated model of ${envId} yet.` : 'No saved models yet.', COLUMNS));
    tbody.replaceChildren(
      ...rows.map(({ model, evaluation, run }, i) => {
        const actions = h('td', { className: 'actions' });
        if (run) actions.append(button('Run', () => this.onShowRun(run.run_id)));
        actions.append(button('Download', (e) => this.onDownload(model.name, e.target)));
        return h(
          'tr',
          { dataset: { model: model.name, run: run?.run_id ?? '' } },
          h('td', { textContent: String(i + 1) }),
          h('td', { className: 'name', textContent: model.name }),
          h('td', { textContent: model.algorithm }),
          h('td', { className: 'score', textContent: `${fmt(evaluation.mean_return)} ± ${fmt(evaluation.std_return)}` }),
          h('td', { textContent: String(evaluation.episodes) }),
          h('td', { textContent: `${when(evaluation.at)}${evaluation.source === 'training' ? ' (end of training)' : ''}` }),
          actions,
        );
      }),
    );
  }
}
