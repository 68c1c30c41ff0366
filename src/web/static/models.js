// The saved models table: each model's figures, and buttons to watch it play, evaluate it (which leaves
// an evaluation run), download it as a TensorFlow.js model, or delete it.
import { $, button, emptyRow, errorText, fmt, h, note, when } from './util.js';

const COLUMNS = 7;

/** Downloads a model's TensorFlow.js export over plain HTTP (the key, if any, travels in the page's cookie). */
export async function downloadModel(name, target) {
  if (target) target.disabled = true;
  try {
    const res = await fetch(`/models/${encodeURIComponent(name)}/export`, { credentials: 'same-origin' });
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      throw new Error(typeof body.detail === 'string' ? body.detail : `HTTP ${res.status}`);
    }
    const url = URL.createObjectURL(await res.blob());
    const link = h('a', { href: url, download: `${name}.tfjs.zip` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    note('eval-result', `Downloaded ${name} as a TensorFlow.js model: unzip it and load model.json with tf.loadLayersModel.`);
  } catch (err) {
    note('eval-result', `Could not download ${name}: ${errorText(err)}`, 'error');
  } finally {
    if (target) target.disabled = false;
  }
}

export class ModelsTable {
  /** `onWatch(model)` plays it; `onChange()` after an evaluation or a delete (runs and leaderboard follow). */
  constructor({ getClient, onWatch, onChange }) {
    this.getClient = getClient;
    this.onWatch = onWatch;
    this.onChange = onChange;
    this.models = [];
  }

  /** Lists the models; `canTrain` false on a server without training. */
  async refresh(canTrain) {
    const client = this.getClient();
    const tbody = $('models-table').querySelector('tbody');
    if (!canTrain || !client?.open) {
      this.models = [];
      tbody.replaceChildren(emptyRow(canTrain ? 'Not connected.' : 'This server keeps no models (no training).', COLUMNS));
      return;
    }
    try {
      this.models = (await client.models()).models;
    } catch (err) {
      note('models-note', `Could not list models: ${errorText(err)}`, 'error');
      return;
    }
    note('models-note', this.models.length ? `${this.models.length} saved model${this.models.length === 1 ? '' : 's'}.` : '');
    tbody.replaceChildren(...(this.models.length ? this.models.map((m) => this.row(m)) : [emptyRow('No saved models yet: train one above.', COLUMNS)]));
  }

  row(m) {
    const actions = h(
      'td',
      { className: 'actions' },
      button('Watch', () => this.onWatch(m), 'primary'),
      button('Evaluate', (e) => this.evaluate(m.name, e.target)),
      Object.assign(button('Download', (e) => downloadModel(m.name, e.target)), { title: 'The policy as a TensorFlow.js model (model.json and weights.bin, zipped) for tf.loadLayersModel' }),
      button('Delete', () => this.remove(m.name), 'danger'),
    );
    const e = m.evaluation;
    return h(
      'tr',
      { dataset: { model: m.name } },
      h('td', { className: 'name', textContent: m.name }),
      h('td', { textContent: m.env_id }),
      h('td', { textContent: m.algorithm }),
      h('td', { textContent: fmt(m.timesteps, 0) }),
      // The greedy evaluation saved with the model, labelled as such; the training mean is in the runs list.
      h('td', { textContent: e && e.episodes > 0 ? `${fmt(e.mean_return)} ± ${fmt(e.std_return)}` : '–' }),
      h('td', { textContent: when(m.created_at) }),
      actions,
    );
  }

  async evaluate(name, target) {
    target.disabled = true;
    note('eval-result', `Evaluating ${name}…`);
    try {
      const result = await this.getClient().evaluate(name, {
        episodes: 10,
        deterministic: true,
        onProgress: (frame) => note('eval-result', `Evaluating ${name}: episode ${frame.episodes_done} of ${frame.episodes}, mean return so far ${fmt(frame.mean_return)}…`),
      });
      note('eval-result', `${name} on ${result.env_id}: mean return ${fmt(result.mean_return)} ± ${fmt(result.std_return)} over ${result.episodes} episodes (min ${fmt(result.min_return)}, max ${fmt(result.max_return)}).`, 'good');
    } catch (err) {
      note('eval-result', `Evaluation of ${name} failed: ${errorText(err)}`, 'error');
    } finally {
      target.disabled = false;
    }
    this.onChange?.();
  }

  async remove(name) {
    if (!confirm(`Delete model “${name}”?`)) return;
    try {
      await this.getClient().deleteModel(name);
      note('eval-result', `Deleted ${name}.`);
    } catch (err) {
      note('eval-result', `Could not delete ${name}: ${errorText(err)}`, 'error');
    }
    this.onChange?.();
  }
}
