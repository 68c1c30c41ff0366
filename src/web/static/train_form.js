// The training form, built from what the server's `algorithms` method says: the algorithms that can
// train the chosen environment, each hyperparameter from its JSON Schema (a number field with its bounds,
// a checkbox, or a list of choices) filled in with that environment's defaults, the evaluation settings,
// early stopping and the budget. Only the values changed from the defaults are sent.
import { $, h, missingMethod } from './util.js';

/** Hyperparameters shown beside early stopping rather than among the rest. */
const EVALUATION = ['eval_freq', 'eval_episodes'];

export class TrainForm {
  constructor() {
    /** `algorithms` answers by environment id. */
    this.cache = new Map();
    this.info = null;
    this.described = true;
    /** The algorithm the user picked, kept across environments that it can train; otherwise each environment's default. */
    this.picked = null;
    $('train-algo').addEventListener('change', () => {
      this.picked = $('train-algo').value;
      this.fillFields();
    });
    $('train-reset').addEventListener('click', () => this.fillFields());
  }

  /** Asks the server what can train `envId` (once per environment) and rebuilds the form. */
  async load(client, envId) {
    let info = this.cache.get(envId);
    if (!info) {
      try {
        info = await client.algorithms(envId);
      } catch (err) {
        if (!missingMethod(err)) throw err;
        // An older server: its algorithm names from the `train` schema, no hyperparameter fields.
        this.described = false;
        info = { algorithms: ['ppo', 'dqn', 'q_learning'].map((name) => ({ name, summary: '', hyperparameters: { properties: {} }, unsupported: null, defaults: null })), default: null };
      }
      this.cache.set(envId, info);
    }
    if ($('train-env').value !== envId) return;
    this.info = info;
    const select = $('train-algo');
    select.replaceChildren(
      ...info.algorithms.map((a) => {
        const option = new Option(a.unsupported ? `${a.name} (cannot train this)` : a.name, a.name);
        option.disabled = Boolean(a.unsupported);
        option.title = a.unsupported ?? a.summary;
        return option;
      }),
    );
    const usable = info.algorithms.filter((a) => !a.unsupported).map((a) => a.name);
    select.value = usable.includes(this.picked) ? this.picked : usable.includes(info.default) ? info.default : (usable[0] ?? '');
    this.fillFields();
  }

  /** The chosen algorithm's description. */
  get algorithm() {
    return this.info?.algorithms.find((a) => a.name === $('train-algo').value) ?? null;
  }

  /** Rebuilds the hyperparameter fields for the chosen algorithm, each holding the environment's default. */
  fillFields() {
    const algo = this.algorithm;
    const defaults = algo?.defaults;
    $('train-summary').textContent = algo?.summary ?? '';
    if (defaults) $('train-steps').value = String(defaults.total_timesteps);
    const props = algo?.hyperparameters?.properties ?? {};
    const fields = (names) => names.map((name) => field(name, props[name], defaults?.hyperparameters?.[name] ?? props[name].default));
    const names = Object.keys(props);
    $('eval-fields').replaceChildren(...fields(names.filter((n) => EVALUATION.includes(n))));
    $('hp-fields').replaceChildren(...fields(names.filter((n) => !EVALUATION.includes(n))));
    $('hp-count').textContent = names.length ? `(${names.length})` : this.described ? '' : '(this server does not describe them)';
    this.markChanged();
  }

  /** Flags the fields whose value differs from the default, and counts them. */
  markChanged() {
    let changed = 0;
    for (const input of document.querySelectorAll('#train-form [data-hp]')) {
      const differs = differsFromDefault(input);
      input.closest('label').classList.toggle('changed', differs);
      if (differs) changed++;
    }
    $('hp-changed').textContent = changed ? `${changed} changed` : '';
    $('train-reset').hidden = changed === 0;
  }

  /** The `train` options the form asks for; throws an Error naming a field that holds no valid value. */
  options() {
    const options = { algorithm: $('train-algo').value, total_timesteps: Number($('train-steps').value), early_stop: $('train-early').checked };
    const seed = $('train-seed').value;
    if (seed !== '') options.seed = Number(seed);
    const hyperparameters = {};
    for (const input of document.querySelectorAll('#train-form [data-hp]')) {
      if (!input.checkValidity()) throw new Error(`${input.dataset.hp}: ${input.validationMessage}`);
      if (differsFromDefault(input)) hyperparameters[input.dataset.hp] = valueOf(input);
    }
    if (Object.keys(hyperparameters).length) options.hyperparameters = hyperparameters;
    return options;
  }

  /** Enables or disables every control of the form. */
  setDisabled(disabled) {
    for (const el of document.querySelectorAll('#train-form input, #train-form select')) el.disabled = disabled;
  }
}

/** One hyperparameter's labelled control, from its schema. */
function field(name, schema, value) {
  let input;
  if (schema.type === 'boolean') {
    input = h('input', { type: 'checkbox', checked: Boolean(value) });
  } else if (Array.isArray(schema.enum)) {
    input = h('select', {}, ...schema.enum.map((c) => new Option(String(c), String(c))));
    input.value = String(value);
  } else if (Array.isArray(schema.anyOf)) {
    // A word or a number (SAC's ent_coef: "auto" or α): a text field that takes either.
    const words = schema.anyOf.flatMap((b) => ('const' in b ? [b.const] : (b.enum ?? []))).filter((w) => typeof w === 'string');
    const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const number = schema.anyOf.some((b) => b.type === 'number' || b.type === 'integer') ? ['-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE](?:\\+|-)?\\d+)?'] : [];
    input = h('input', { type: 'text', required: true, value: String(value), pattern: [...escaped, ...number].join('|'), placeholder: [...words, ...(number.length ? ['a number'] : [])].join(' or ') });
    input.dataset.words = JSON.stringify(words);
  } else {
    input = h('input', { type: 'number', required: true, step: schema.type === 'integer' ? '1' : 'any', value: String(value) });
    if (schema.minimum !== undefined) input.min = String(schema.minimum);
    if (schema.maximum !== undefined) input.max = String(schema.maximum);
  }
  input.dataset.hp = name;
  input.dataset.kind = schema.type ?? (Array.isArray(schema.anyOf) ? 'mixed' : 'enum');
  input.dataset.default = JSON.stringify(value);
  input.name = name;
  input.addEventListener('input', () => input.closest('form').dispatchEvent(new Event('hpchange')));
  input.addEventListener('change', () => input.closest('form').dispatchEvent(new Event('hpchange')));
  const label = h('label', { className: schema.type === 'boolean' ? 'check' : '', title: schema.description ?? '' }, h('span', { className: 'name', textContent: name }));
  if (schema.type === 'boolean') label.prepend(input);
  else label.append(input);
  return label;
}

function valueOf(input) {
  if (input.dataset.kind === 'boolean') return input.checked;
  if (input.dataset.kind === 'mixed') return JSON.parse(input.dataset.words).includes(input.value.trim()) ? input.value.trim() : Number(input.value);
  if (input.dataset.kind === 'integer' || input.dataset.kind === 'number') return Number(input.value);
  return input.value;
}

function differsFromDefault(input) {
  const fallback = JSON.parse(input.dataset.default);
  const value = valueOf(input);
  if (typeof value === 'number' && (input.value === '' || !Number.isFinite(value))) return true;
  return typeof value === 'number' ? value !== Number(fallback) : value !== fallback;
}
