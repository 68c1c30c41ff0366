// The page: connects with the client library served at /client/, trains and charts a job from its
// progress frames, lists saved models, and plays episodes on a canvas through the same library.
import { LineChart, compact } from './chart.js';
import { canDraw, drawEnv, drawMessage } from './render.js';
import { refreshRuns } from './runs.js';

const $ = (id) => document.getElementById(id);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const SERVER_URL = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/`;
const DEFAULT_ALGORITHMS = ['ppo', 'dqn', 'q_learning', 'sac', 'td3'];

/** The first of `keys` that `obj` has as a finite number (frames name things a few ways). */
function num(obj, ...keys) {
  for (const key of keys) {
    const path = key.split('.');
    let v = obj;
    for (const p of path) v = v == null ? undefined : v[p];
    if (typeof v === 'string' && /^-?Infinity$|^NaN$/.test(v)) v = Number(v);
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

function fmt(v, digits = 1) {
  if (v === undefined) return '–';
  return Number.isInteger(v) ? v.toLocaleString('en') : v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function duration(seconds) {
  if (seconds === undefined) return '–';
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

function note(id, text, kind = '') {
  const el = $(id);
  el.textContent = text;
  el.className = `note ${kind}`;
}

function errorText(err) {
  if (!err) return 'unknown error';
  const code = typeof err.code === 'number' ? ` (${err.name} ${err.code})` : '';
  return `${err.message}${code}`;
}

const state = {
  lib: null,
  client: null,
  hello: null,
  specs: new Map(),
  algorithms: DEFAULT_ALGORITHMS,
  canTrain: false,
  models: [],
  job: null,
  jobEnv: null,
  watch: null,
};
// For people poking at the page from the console, and for the browser test.
window.palestra = state;

// ——— connection ———

function setConnection(kind, text) {
  document.body.dataset.connection = kind;
  $('status-text').textContent = text;
}

function banner(text) {
  const el = $('banner');
  el.hidden = !text;
  el.textContent = text ?? '';
}

async function loadLibrary() {
  try {
    state.lib = await import('/client/index.js');
  } catch (err) {
    setConnection('unreachable', 'Client library missing');
    banner(`The client library could not be loaded from /client/index.js (${err.message}). Build it with \`npm run build:client\`, or check that the server is running.`);
    throw err;
  }
}

/** Connects, retrying with a growing delay and saying so, until the server answers. */
async function connectLoop() {
  let delay = 1000;
  for (;;) {
    setConnection('connecting', `Connecting to ${SERVER_URL}…`);
    try {
      state.client = await state.lib.connect(SERVER_URL, { connectTimeout: 5000, timeout: 20000 });
      break;
    } catch (err) {
      setConnection('unreachable', 'Server unreachable');
      for (let left = Math.round(delay / 1000); left > 0; left--) {
        banner(`Server unreachable at ${SERVER_URL} (${err.message.replace(/^Cannot connect to \S+: ?/, '') || 'no answer'}). Retrying in ${left} s…`);
        await sleep(1000);
      }
      delay = Math.min(delay * 2, 10000);
    }
  }
  banner(null);
  state.client.onClose((info) => {
    if (info.byClient) return;
    setConnection('unreachable', 'Connection lost');
    banner(`Lost the connection to ${SERVER_URL} (code ${info.code}). Reconnecting…`);
    stopWatching();
    setTrainingControls();
    setWatchControls();
    connectLoop();
  });
  await onConnected();
}

async function onConnected() {
  const client = state.client;
  state.hello = await client.hello(`palestra-web/${state.lib.CLIENT_VERSION}`);
  const backend = state.hello.backend ? ` · backend ${state.hello.backend}` : '';
  setConnection('connected', `Connected · palestra ${state.hello.version}${backend}`);
  $('server-info').textContent = `Server ${SERVER_URL} · protocol ${state.hello.protocol_version} · ${state.hello.env_ids.length} environments`;
  const methods = new Set(state.hello.methods ?? []);
  state.canTrain = methods.has('train');
  const { envs } = await client.envs();
  state.specs = new Map(envs.map((spec) => [spec.id, spec]));
  fillEnvSelect($('train-env'), envs.map((e) => e.id), 'CartPole-v1');
  fillEnvSelect($('watch-env'), envs.map((e) => e.id), 'CartPole-v1');
  if (state.canTrain) await loadAlgorithms();
  fillAlgorithms();
  setTrainingControls();
  setWatchControls();
  await refreshModels();
  await refreshRuns(state.client);
  // A job this page was following before the connection dropped: follow it again.
  if (state.job && state.job.state === 'disconnected' && methods.has('subscribe')) {
    try {
      followJob(await client.watch(state.job.id), state.jobEnv, false);
    } catch {
      state.job = null;
      setTrainingControls();
    }
  }
  if (!state.watch) drawPreview();
}

function fillEnvSelect(select, ids, preferred) {
  const current = select.value || preferred;
  select.replaceChildren(...ids.map((id) => new Option(id, id)));
  select.value = ids.includes(current) ? current : ids[0] ?? '';
}

/** The algorithm names, from the `train` schema at /protocol when it lists them. */
async function loadAlgorithms() {
  try {
    const response = await fetch('/protocol', { headers: { accept: 'application/json' } });
    const { methods } = await response.json();
    const algo = methods?.train?.params?.properties?.algorithm;
    const names = algo?.enum ?? algo?.anyOf?.flatMap((s) => s.enum ?? []);
    if (Array.isArray(names) && names.length) state.algorithms = names;
  } catch {
    // Keep the defaults.
  }
}

/** Algorithms that suit the chosen environment: tabular Q-learning needs discrete states, DQN discrete actions, SAC and TD3 Box actions. */
function fillAlgorithms() {
  const select = $('train-algo');
  const spec = state.specs.get($('train-env').value);
  const discreteObs = spec?.observation_space?.name === 'Discrete';
  const discreteAct = spec?.action_space?.name === 'Discrete';
  const suits = (a) => (/q_learning|tabular/.test(a) ? discreteObs && discreteAct : /dqn/.test(a) ? discreteAct : /^(sac|td3)$/.test(a) ? spec?.action_space?.name === 'Box' : true);
  const names = state.algorithms.filter(suits);
  const current = select.value;
  select.replaceChildren(...names.map((a) => new Option(a, a)));
  const preferred = discreteObs ? names.find((a) => /q_learning/.test(a)) : names.find((a) => a === 'ppo');
  select.value = names.includes(current) ? current : (preferred ?? names[0] ?? '');
}

// ——— training ———

const returnChart = new LineChart($('return-chart'), {
  series: [
    { name: 'mean return (last 100)', color: '#2563eb', width: 2.5 },
    { name: 'last episode', color: '#f59e0b', dots: true },
    { name: 'evaluation (greedy)', color: '#db2777', width: 1.5 },
  ],
  empty: 'Start a training run to see its return curve here',
});
const spsChart = new LineChart($('sps-chart'), {
  series: [{ name: 'steps / s', color: '#7c3aed' }],
  empty: 'Throughput appears while a job trains',
  yMin: 0,
});

function setTrainingControls() {
  const connected = Boolean(state.client?.open);
  const running = state.job?.state === 'running';
  $('train-start').disabled = !connected || !state.canTrain || running;
  $('train-stop').disabled = !connected || !running;
  for (const id of ['train-env', 'train-algo', 'train-steps', 'train-seed']) $(id).disabled = !state.canTrain || running;
  if (connected && !state.canTrain) note('train-note', 'This server does not offer training (its protocol has no `train` method).', 'error');
}

async function startTraining(event) {
  event.preventDefault();
  const envId = $('train-env').value;
  const options = { algorithm: $('train-algo').value, total_timesteps: Number($('train-steps').value) };
  const seed = $('train-seed').value;
  if (seed !== '') options.seed = Number(seed);
  $('train-start').disabled = true;
  note('train-note', `Starting ${options.algorithm} on ${envId}…`);
  try {
    const job = await state.client.train(envId, options);
    followJob(job, envId, true);
  } catch (err) {
    note('train-note', `Could not start training: ${errorText(err)}`, 'error');
    setTrainingControls();
  }
}

function followJob(job, envId, fresh) {
  state.job = job;
  state.jobEnv = envId;
  if (fresh) {
    returnChart.clear();
    spsChart.clear();
    $('train-bar').style.width = '0';
  }
  const threshold = state.specs.get(envId)?.reward_threshold;
  returnChart.setReference(threshold ?? NaN, `reward threshold ${threshold}`);
  const queued = job.started.status === 'queued';
  note('train-note', queued ? `Queued behind ${job.started.queue_position ?? 'other'} job(s) · job ${job.id}` : `Training ${envId} with ${job.started.algorithm ?? 'the default algorithm'} · job ${job.id} · model “${job.started.model}”`);
  for (const frame of job.frames) onProgress(frame);
  job.onProgress(onProgress);
  setTrainingControls();
  job.done.then(
    (summary) => {
      if (state.job !== job) return;
      const model = summary.model;
      // An evaluation of no episodes (a stop can cut one short) says nothing.
      const evaluation = num(summary, 'evaluation.episodes') ? num(summary, 'evaluation.mean_return') : undefined;
      const mean = num(summary, 'mean_return_100');
      const how = summary.status === 'stopped' ? 'Stopped' : summary.stop_reason === 'reward_threshold' ? 'Solved' : 'Finished';
      const figures = [mean !== undefined ? `training mean return ${fmt(mean)}` : '', evaluation !== undefined ? `evaluation ${fmt(evaluation)}` : ''].filter(Boolean).join(', ');
      note('train-note', `${how} after ${fmt(summary.timesteps, 0)} timesteps${figures ? ` (${figures})` : ''}${model ? ` · saved as model “${model}”` : ''}.`, 'good');
      // The last progress frame can be up to 100 ms old: the figures end on the summary's.
      $('stat-timesteps').textContent = fmt(num(summary, 'timesteps'), 0);
      $('stat-episodes').textContent = fmt(num(summary, 'episodes'), 0);
      $('stat-elapsed').textContent = duration(num(summary, 'elapsed_s'));
      $('stat-left').textContent = '–';
      setTrainingControls();
      refreshModels(model);
      refreshRuns(state.client);
    },
    (err) => {
      if (state.job !== job) return;
      if (job.state === 'disconnected') note('train-note', `Lost sight of job ${job.id} when the connection dropped; it goes on on the server.`, 'error');
      else note('train-note', `Training failed: ${errorText(err)}`, 'error');
      setTrainingControls();
    },
  );
}

/** One `train.progress` frame (protocol/frames/train.progress.json) onto the charts and figures. */
function onProgress(frame) {
  const t = num(frame, 'timesteps');
  const total = num(frame, 'total_timesteps');
  const mean = num(frame, 'mean_return_100');
  const last = num(frame, 'last_return');
  const sps = num(frame, 'steps_per_second');
  returnChart.push(0, t, mean);
  returnChart.push(1, t, last);
  // An evaluation is repeated in every frame until the next one; chart each once.
  const evaluated = num(frame, 'evaluation.timesteps');
  const series = returnChart.data[2];
  if (evaluated !== undefined && (series.length === 0 || series[series.length - 1][0] !== evaluated)) returnChart.push(2, evaluated, num(frame, 'evaluation.mean_return'));
  spsChart.push(0, t, sps);
  $('stat-timesteps').textContent = total ? `${compact(t ?? 0)} / ${compact(total)}` : fmt(t, 0);
  $('stat-episodes').textContent = fmt(num(frame, 'episodes'), 0);
  $('stat-mean').textContent = fmt(mean);
  $('stat-last').textContent = fmt(last);
  $('stat-sps').textContent = sps === undefined ? '–' : fmt(Math.round(sps), 0);
  $('stat-elapsed').textContent = duration(num(frame, 'elapsed_s'));
  $('stat-left').textContent = duration(num(frame, 'remaining_s'));
  if (frame.status === 'running' && /^Queued/.test($('train-note').textContent)) note('train-note', `Training ${state.jobEnv} · job ${frame.job_id}`);
  if (t !== undefined && total) $('train-bar').style.width = `${Math.min(100, (100 * t) / total)}%`;
}

async function stopTraining() {
  if (!state.job) return;
  $('train-stop').disabled = true;
  const job = state.job;
  note('train-note', `Stopping job ${job.id}…`);
  try {
    // The answer comes when the loop has ended; the model is written next, and job.done says when.
    const answer = await job.stop();
    if (answer?.status === 'saving' && job.state === 'running' && state.job === job) {
      note('train-note', `Saving the model learned in ${fmt(num(answer, 'progress.timesteps'), 0)} timesteps…`);
    }
  } catch (err) {
    note('train-note', `Could not stop: ${errorText(err)}`, 'error');
    setTrainingControls();
  }
}

// ——— models ———

async function refreshModels(select) {
  const tbody = $('models-table').querySelector('tbody');
  if (!state.canTrain || !state.client?.open) {
    tbody.replaceChildren(emptyRow(state.canTrain ? 'Not connected.' : 'This server keeps no models (no training).'));
    fillPolicies();
    return;
  }
  try {
    state.models = (await state.client.models()).models;
  } catch (err) {
    note('models-note', `Could not list models: ${errorText(err)}`, 'error');
    return;
  }
  note('models-note', state.models.length ? `${state.models.length} saved model${state.models.length === 1 ? '' : 's'}.` : '');
  tbody.replaceChildren(...(state.models.length ? state.models.map(modelRow) : [emptyRow('No saved models yet: train one above.')]));
  fillPolicies(select);
}

function modelName(m) {
  return m.name;
}

function modelEnv(m) {
  return m.env_id;
}

function emptyRow(text) {
  const tr = document.createElement('tr');
  tr.className = 'empty';
  const td = document.createElement('td');
  td.colSpan = 7;
  td.textContent = text;
  tr.append(td);
  return tr;
}

function modelRow(m) {
  const tr = document.createElement('tr');
  const name = modelName(m);
  tr.dataset.model = name;
  const cells = [
    name,
    m.env_id,
    m.algorithm,
    fmt(m.timesteps, 0),
    // The greedy evaluation when there was one, else the training episodes' mean.
    fmt(num(m, 'evaluation.episodes') ? num(m, 'evaluation.mean_return') : num(m, 'mean_return_100')),
    m.created_at ? new Date(m.created_at).toLocaleString() : '–',
  ];
  for (const text of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  const actions = document.createElement('td');
  actions.className = 'actions';
  const button = (text, onClick, cls = '') => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.className = `small ${cls}`;
    b.addEventListener('click', onClick);
    actions.append(b);
    return b;
  };
  button('Watch', () => watchModel(m), 'primary');
  button('Evaluate', (e) => evaluateModel(name, e.target));
  button('Download', (e) => downloadModel(name, e.target)).title = 'The policy as a TensorFlow.js model (model.json and weights.bin, zipped) for tf.loadLayersModel';
  button('Delete', () => deleteModel(name), 'danger');
  tr.append(actions);
  return tr;
}

function fillPolicies(select) {
  const envId = $('watch-env').value;
  const policy = $('watch-policy');
  const current = select ?? policy.value;
  const options = [new Option('Random actions', '')];
  for (const m of state.models) if (modelEnv(m) === envId) options.push(new Option(`Model ${modelName(m)}`, modelName(m)));
  policy.replaceChildren(...options);
  policy.value = options.some((o) => o.value === current) ? current : '';
}

async function evaluateModel(name, button) {
  button.disabled = true;
  note('eval-result', `Evaluating ${name}…`);
  try {
    const result = await state.client.evaluate(name, {
      episodes: 10,
      deterministic: true,
      onProgress: (frame) => note('eval-result', `Evaluating ${name}: episode ${frame.episodes_done} of ${frame.episodes}, mean return so far ${fmt(frame.mean_return)}…`),
    });
    note(
      'eval-result',
      `${name} on ${result.env_id}: mean return ${fmt(result.mean_return)} ± ${fmt(result.std_return)} over ${result.episodes} episodes (min ${fmt(result.min_return)}, max ${fmt(result.max_return)}).`,
      'good',
    );
  } catch (err) {
    note('eval-result', `Evaluation of ${name} failed: ${errorText(err)}`, 'error');
  } finally {
    button.disabled = false;
  }
}

// The export comes over plain HTTP from this server; the key, if any, travels in the page's cookie.
async function downloadModel(name, button) {
  button.disabled = true;
  try {
    const res = await fetch(`/models/${encodeURIComponent(name)}/export`, { credentials: 'same-origin' });
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      throw new Error(typeof body.detail === 'string' ? body.detail : `HTTP ${res.status}`);
    }
    const url = URL.createObjectURL(await res.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = `${name}.tfjs.zip`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    note('eval-result', `Downloaded ${name} as a TensorFlow.js model: unzip it and load model.json with tf.loadLayersModel.`);
  } catch (err) {
    note('eval-result', `Could not download ${name}: ${errorText(err)}`, 'error');
  } finally {
    button.disabled = false;
  }
}

async function deleteModel(name) {
  if (!confirm(`Delete model “${name}”?`)) return;
  try {
    await state.client.deleteModel(name);
    note('eval-result', `Deleted ${name}.`);
  } catch (err) {
    note('eval-result', `Could not delete ${name}: ${errorText(err)}`, 'error');
  }
  await refreshModels();
}

function watchModel(m) {
  const envId = modelEnv(m);
  if (envId && state.specs.has(envId)) $('watch-env').value = envId;
  fillPolicies(modelName(m));
  $('watch-card').scrollIntoView({ behavior: 'smooth', block: 'start' });
  play();
}

// ——— watching an episode ———

const canvas = $('env-canvas');

function drawPreview() {
  const envId = $('watch-env').value;
  drawMessage(canvas, envId ? `${envId}${canDraw(envId) ? '' : ' (drawn as bars)'} — press Play episode` : 'No environments');
}

function setWatchControls() {
  const playing = Boolean(state.watch);
  $('watch-play').disabled = playing || !state.client?.open;
  $('watch-stop').disabled = !playing;
  $('watch-env').disabled = playing;
  $('watch-policy').disabled = playing;
}

function stopWatching() {
  if (state.watch) state.watch.stopped = true;
}

async function play(event) {
  event?.preventDefault();
  if (state.watch || !state.client?.open) return;
  const run = { stopped: false };
  state.watch = run;
  setWatchControls();
  const envId = $('watch-env').value;
  const model = $('watch-policy').value;
  const client = state.client;
  let env = null;
  let steps = 0;
  let total = 0;
  const show = (k, v) => ($(k).textContent = v);
  try {
    env = await client.make(envId);
    let [obs] = await env.reset();
    canvas.dataset.steps = '0';
    show('watch-step', '0');
    show('watch-return', '0');
    show('watch-action', '–');
    show('watch-state', model ? `playing model ${model}` : 'playing random actions');
    drawEnv(canvas, obs, { envId });
    for (;;) {
      if (run.stopped) {
        show('watch-state', 'stopped');
        break;
      }
      const action = model ? (await client.predict(model, env.observationSpace.encode(obs), { deterministic: true })).action : env.actionSpace.sample();
      const [next, reward, terminated, truncated] = await env.step(action);
      obs = next;
      steps++;
      total += reward;
      drawEnv(canvas, obs, { envId, action });
      canvas.dataset.steps = String(steps);
      show('watch-step', String(steps));
      show('watch-return', fmt(total, Number.isInteger(total) ? 0 : 2));
      show('watch-action', JSON.stringify(action, (_, v) => (typeof v === 'number' && !Number.isInteger(v) ? +v.toFixed(3) : v)));
      if (terminated || truncated) {
        show('watch-state', terminated ? `terminated after ${steps} steps` : `truncated at the ${steps}-step limit`);
        break;
      }
      await sleep(1000 / Number($('watch-speed').value));
    }
  } catch (err) {
    show('watch-state', `failed: ${errorText(err)}`);
  } finally {
    env?.close().catch(() => undefined);
    state.watch = null;
    setWatchControls();
  }
}

// ——— wiring ———

$('train-form').addEventListener('submit', startTraining);
$('train-stop').addEventListener('click', stopTraining);
$('train-env').addEventListener('change', fillAlgorithms);
$('watch-form').addEventListener('submit', play);
$('watch-stop').addEventListener('click', stopWatching);
$('watch-env').addEventListener('change', () => {
  fillPolicies();
  drawPreview();
});
$('models-refresh').addEventListener('click', () => refreshModels());
$('runs-refresh').addEventListener('click', () => refreshRuns(state.client));
window.addEventListener('resize', () => {
  returnChart.draw();
  spsChart.draw();
});

drawMessage(canvas, 'Connecting…');
setWatchControls();
loadLibrary().then(connectLoop);
