// The runs list: every recorded run the server keeps (training and evaluation, newest first), filtered
// by environment and kind, each with its outcome, its metrics as CSV and a box to pick it for comparison.
import { $, button, emptyRow, errorText, fmt, h, missingMethod, note, when } from './util.js';

const STATUS_TEXT = { running: 'Running', stopping: 'Stopping', completed: 'Completed', stopped: 'Stopped', failed: 'Failed', interrupted: 'Interrupted' };
const COLUMNS = 10;

/** "187.3 ± 12.1 (10)": an evaluation's mean, spread and episodes. */
export function evaluationText(e) {
  return e && e.episodes > 0 ? `${fmt(e.mean_return)} ± ${fmt(e.std_return)} (${e.episodes})` : '–';
}

/** Why a run ended, in words. */
export function outcomeText(run) {
  const reason = { reward_threshold: 'solved', shutdown: 'by shutdown', total_timesteps: '', episodes: '', stopped: '' }[run.stop_reason ?? ''] ?? run.stop_reason ?? '';
  return `${STATUS_TEXT[run.status] ?? run.status}${reason ? ` (${reason})` : ''}`;
}

export class RunsList {
  /** `onSelect(ids)` hears the picked runs whenever they change; `onChange()` after a delete. */
  constructor({ getClient, onSelect, onChange }) {
    this.getClient = getClient;
    this.onSelect = onSelect;
    this.onChange = onChange;
    this.runs = [];
    this.selected = new Set();
    $('runs-env').addEventListener('change', () => this.render());
    $('runs-kind').addEventListener('change', () => this.render());
    $('runs-clear').addEventListener('click', () => {
      this.selected.clear();
      this.render();
      this.onSelect([...this.selected]);
    });
  }

  /** Lists the runs; `client` is null while disconnected. */
  async refresh(client) {
    const tbody = $('runs-table').querySelector('tbody');
    if (!client?.open) return tbody.replaceChildren(emptyRow('Not connected.', COLUMNS));
    try {
      this.runs = (await client.runs({ limit: 500 })).runs;
    } catch (err) {
      if (missingMethod(err)) return tbody.replaceChildren(emptyRow('This server keeps no run records.', COLUMNS));
      return note('runs-note', `Could not list runs: ${errorText(err)}`, 'error');
    }
    note('runs-note', '');
    const envs = [...new Set(this.runs.map((r) => r.env_id))].sort();
    const select = $('runs-env');
    const current = select.value;
    select.replaceChildren(new Option('All environments', ''), ...envs.map((e) => new Option(e, e)));
    select.value = envs.includes(current) ? current : '';
    for (const id of [...this.selected]) if (!this.runs.some((r) => r.run_id === id)) this.selected.delete(id);
    this.render();
  }

  /** The runs the filters let through. */
  visible() {
    const env = $('runs-env').value;
    const kind = $('runs-kind').value;
    return this.runs.filter((r) => (!env || r.env_id === env) && (!kind || r.kind === kind));
  }

  render() {
    const tbody = $('runs-table').querySelector('tbody');
    const runs = this.visible();
    tbody.replaceChildren(...(runs.length ? runs.map((r) => this.row(r)) : [emptyRow(this.runs.length ? 'No run matches.' : 'No runs yet: every training and evaluation job leaves one.', COLUMNS)]));
    $('runs-count').textContent = this.selected.size ? `${this.selected.size} picked` : '';
    $('runs-clear').hidden = this.selected.size === 0;
  }

  /** Picks (or unpicks) a run for the comparison. */
  pick(runId, on = true) {
    if (on) this.selected.add(runId);
    else this.selected.delete(runId);
    this.render();
    this.onSelect([...this.selected]);
  }

  row(run) {
    const box = h('input', { type: 'checkbox', checked: this.selected.has(run.run_id), 'aria-label': `Compare run ${run.run_id.slice(0, 8)}` });
    box.addEventListener('change', () => this.pick(run.run_id, box.checked));
    const evaluation = run.kind === 'evaluate';
    const csv = h('a', { href: `/runs/${run.run_id}/metrics.csv`, textContent: 'CSV', download: `run-${run.run_id}.csv`, className: 'small-link' });
    const actions = h('td', { className: 'actions' }, csv);
    if (run.status !== 'running' && run.status !== 'stopping') actions.append(button('Delete', () => this.remove(run), 'danger'));
    return h(
      'tr',
      { dataset: { run: run.run_id, kind: run.kind ?? 'train' } },
      h('td', { className: 'pick' }, box),
      h('td', { textContent: outcomeText(run) }),
      h('td', { textContent: run.env_id }),
      h('td', { textContent: evaluation ? `${run.algorithm} (evaluation)` : run.algorithm }),
      h('td', { className: 'name', textContent: run.model, title: run.init_model ? `started from ${run.init_model}` : '' }),
      h('td', { textContent: evaluation ? '–' : `${fmt(run.timesteps, 0)} / ${fmt(run.total_timesteps, 0)}` }),
      // Training mean and greedy evaluation are different figures: each in its own column.
      h('td', { textContent: fmt(run.mean_return_100) }),
      h('td', { textContent: evaluationText(run.evaluation) }),
      h('td', { textContent: when(run.started_at) }),
      actions,
    );
  }

  async remove(run) {
    if (!confirm(`Delete the record of run ${run.run_id.slice(0, 8)}? (Its model stays.)`)) return;
    try {
      await this.getClient().deleteRun(run.run_id);
      this.selected.delete(run.run_id);
      note('runs-note', `Deleted run ${run.run_id.slice(0, 8)}.`);
    } catch (err) {
      note('runs-note', `Could not delete run ${run.run_id.slice(0, 8)}: ${errorText(err)}`, 'error');
    }
    this.onSelect([...this.selected]);
    this.onChange?.();
  }
}
