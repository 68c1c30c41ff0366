// The page: connects with the client library served at /client/ and ties its parts together: the jobs
// panel, the training form and the job the training card follows, saved models, runs and their
// comparison, the leaderboard, and the episode player. It never loses a job: on load, on reconnect and in
// every tab it lists the server's jobs and subscribes to each, drawing a job's past from its run record.
import { Comparison } from './compare.js';
import { ACTIVE, JobsPanel } from './jobs.js';
import { Leaderboard } from './leaderboard.js';
import { LiveView } from './live.js';
import { ModelsTable, downloadModel } from './models.js';
import { RunsList } from './runs.js';
import { TrainForm } from './train_form.js';
import { $, errorText, fmt, labelCells, note, num, sleep } from './util.js';
import { EpisodePlayer } from './watch.js';

const SERVER_URL = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/`;
/** Points per series drawn from a run's record when the page picks up a job mid-run. */
const HISTORY_POINTS = 500;

const state = {
  lib: null,
  client: null,
  hello: null,
  specs: new Map(),
  canTrain: false,
  /** Subscribed training jobs: id → Promise of the client's job handle. */
  handles: new Map(),
  /** The job the training card shows, and what `jobs` said of it. */
  followed: null,
  followedInfo: null,
  /** Jobs this page asked to stop (so a stop from elsewhere, or by shutdown, is told apart). */
  stopAsked: new Set(),
  /** The end of each job this page saw end: id → its `train.done` summary. */
  ended: new Map(),
  /** True from a lost connection until the followed job is found again (or its record read). */
  reattach: false,
};
// For people poking at the page from the console, and for the browser tests.
window.palestra = state;
const getClient = () => state.client;

const live = new LiveView();
const form = new TrainForm();
const comparison = new Comparison();
const player = new EpisodePlayer({ getClient });
const jobs = new JobsPanel({ onFollow: (job) => follow(job.job_id, job), onStop: (job) => stopJob(job.job_id), onList: attachAll });
const runs = new RunsList({ getClient, onSelect: (ids) => comparison.show(state.client, ids), onChange: refreshRecords });
const models = new ModelsTable({ getClient, onWatch: watchModel, onChange: refreshRecords });
const board = new Leaderboard({ onShowRun: showRun, onDownload: downloadModel });

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
    onDisconnected(info);
    connectLoop();
  });
  await onConnected();
}

/** The connection went: say what that means for the job the card follows, without guessing its fate. */
function onDisconnected(info) {
  // 1001 "going away": the server is shutting down, which stops its running jobs (each saves what it learned).
  const shutdown = info.code === 1001;
  setConnection('unreachable', shutdown ? 'Server shut down' : 'Connection lost');
  banner(shutdown ? `The server at ${SERVER_URL} shut down. Reconnecting…` : `Lost the connection to ${SERVER_URL} (code ${info.code}). Reconnecting…`);
  player.stop();
  player.setControls();
  jobs.refresh(null);
  const id = state.followed;
  if (id) {
    const summary = state.ended.get(id);
    if (summary && shutdown && summary.status === 'stopped' && !state.stopAsked.has(id)) {
      note('train-note', endText(id, summary, 'shutdown'), 'error');
    } else if (!summary) {
      note(
        'train-note',
        shutdown
          ? `The server shut down while job ${id} was training: a shutdown stops the job and saves what it has learned. Its outcome shows here once the server is back.`
          : `Lost the connection while following job ${id}; once reconnected the page finds it again and shows where it stands.`,
        'error',
      );
    }
  }
  // The handles of this connection are spent; the next connection subscribes afresh (and follows the same job).
  state.handles.clear();
  state.reattach = Boolean(id) && !state.ended.has(id);
  setTrainingControls();
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
  if (state.canTrain) await form.load(client, $('train-env').value).catch((err) => note('train-note', `Could not describe the algorithms: ${errorText(err)}`, 'error'));
  setTrainingControls();
  player.setControls();
  player.drawPreview();
  await refreshRecords();
  if (!state.canTrain) {
    note('train-note', 'This server does not offer training (its protocol has no `train` method).', 'error');
    return;
  }
  const before = state.followed;
  await jobs.refresh(client);
  jobs.poll(getClient);
  // The job followed before the connection dropped, if it has ended meanwhile: say how, from its record.
  if (before && state.reattach && !jobs.jobs.some((j) => j.job_id === before)) {
    state.reattach = false;
    await explainFromRecord(before);
  }
}

function fillEnvSelect(select, ids, preferred) {
  const current = select.value || preferred;
  select.replaceChildren(...ids.map((id) => new Option(id, id)));
  select.value = ids.includes(current) ? current : ids[0] ?? '';
}

// ——— jobs ———

/**
 * Subscribes to every training job listed (once each). The card follows the newest running job when it
 * follows none (a fresh page, another tab), and after a reconnect the same job again, redrawn from its record.
 */
async function attachAll(list) {
  const train = list.filter((j) => j.kind === 'train');
  for (const job of train) attach(job.job_id).catch(() => undefined);
  // A run listed as going on whose job is over (its end was written just after the list was read): list again.
  const active = new Set(list.map((j) => j.job_id));
  if (runs.runs.some((r) => (r.status === 'running' || r.status === 'stopping') && !active.has(r.run_id))) refreshRecords();
  const followed = train.find((j) => j.job_id === state.followed);
  if (followed) {
    state.followedInfo = followed;
    if (!state.reattach) return undefined;
    state.reattach = false;
    return follow(followed.job_id, followed);
  }
  if (state.followed) return undefined;
  const newest = [...train].reverse().find((j) => j.status !== 'queued') ?? train[train.length - 1];
  return newest ? follow(newest.job_id, newest) : undefined;
}

/** The client's handle on job `id`, subscribing the first time. */
function attach(id) {
  let handle = state.handles.get(id);
  if (handle) return handle;
  handle = state.client.watch(id).then((job) => {
    wire(job);
    return job;
  });
  handle.catch(() => state.handles.delete(id));
  state.handles.set(id, handle);
  return handle;
}

/** Routes a job's frames to the jobs panel and (when followed) the training card, and its end to both. */
function wire(job) {
  job.onProgress((frame) => {
    jobs.frame(job.id, frame);
    if (state.followed !== job.id || live.loading) return;
    live.frame(frame);
    if (frame.status === 'running' && /^Queued/.test($('train-note').textContent)) note('train-note', runningText(job.id, state.followedInfo));
  });
  job.done.then(
    (summary) => ended(job.id, summary),
    (err) => {
      // A lost connection is told by onDisconnected; the job is looked for again on reconnecting.
      if (job.state === 'disconnected') return;
      if (state.followed === job.id) note('train-note', `Job ${job.id} failed: ${errorText(err)}`, 'error');
      afterJob();
    },
  );
}

function runningText(id, info) {
  return `Training ${info?.env_id ?? ''} with ${info?.algorithm ?? 'the default algorithm'} · job ${id} · model “${info?.model ?? ''}”`;
}

/** Shows job `id` in the training card: its record so far (unless it has just started), then its live frames. */
async function follow(id, info, fresh = false) {
  state.followed = id;
  state.followedInfo = info;
  jobs.follow(id);
  live.reset(id, { threshold: state.specs.get(info.env_id)?.reward_threshold });
  const queued = info.status === 'queued';
  note('train-note', queued ? `Queued behind ${info.queue_position ?? 'other'} job(s) · job ${id}` : `${fresh ? '' : 'Following '}${runningText(id, info)}`);
  setTrainingControls();
  let job;
  try {
    job = await attach(id);
  } catch (err) {
    if (err?.name === 'job_not_found') return explainFromRecord(id);
    return note('train-note', `Could not follow job ${id}: ${errorText(err)}`, 'error');
  }
  if (!fresh) {
    live.loading = true;
    try {
      const record = await state.client.run(id, HISTORY_POINTS);
      if (state.followed === id) live.history(record);
    } catch {
      // No record (a server without run records): the curve starts from now.
    } finally {
      live.loading = false;
    }
  }
  if (state.followed !== id) return;
  for (const frame of job.frames) live.frame(frame);
  const summary = state.ended.get(id);
  if (summary) showEnd(id, summary);
  setTrainingControls();
}

/** A job ended with a summary (completed, or stopped with what it learned). */
function ended(id, summary) {
  state.ended.set(id, summary);
  if (state.followed === id) showEnd(id, summary);
  afterJob();
}

function showEnd(id, summary) {
  live.summary(summary);
  note('train-note', endText(id, summary, state.stopAsked.has(id) ? 'page' : null), 'good');
  setTrainingControls();
}

/** How a job ended, in one sentence: "Stopped after 1,234 timesteps (…) · saved as model “…”." */
function endText(id, s, stoppedBy) {
  const evaluation = num(s, 'evaluation.episodes') ? num(s, 'evaluation.mean_return') : undefined;
  const mean = num(s, 'mean_return_100');
  const how =
    s.status === 'stopped'
      ? stoppedBy === 'shutdown' || s.stop_reason === 'shutdown'
        ? "Stopped by the server's shutdown"
        : stoppedBy === 'page'
          ? 'Stopped'
          : 'Stopped (from another page or program)'
      : s.stop_reason === 'reward_threshold'
        ? 'Solved'
        : 'Finished';
  const figures = [mean !== undefined ? `training mean return ${fmt(mean)}` : '', evaluation !== undefined ? `greedy evaluation ${fmt(evaluation)}` : ''].filter(Boolean).join(', ');
  return `${how} after ${fmt(num(s, 'timesteps'), 0)} timesteps${figures ? ` (${figures})` : ''}${s.model ? ` · saved as model “${s.model}”` : ''} · job ${id}.`;
}

/** A followed job the server no longer runs: its run record says how it ended (and draws its curve). */
async function explainFromRecord(id) {
  let record;
  try {
    record = await state.client.run(id, HISTORY_POINTS);
  } catch {
    note('train-note', `Job ${id} is no longer known to this server, and it keeps no record of it.`, 'error');
    setTrainingControls();
    return;
  }
  if (state.followed !== id) return;
  const r = record.run;
  live.reset(id, { threshold: state.specs.get(r.env_id)?.reward_threshold });
  live.history(record);
  const summary = { ...r, status: r.status };
  if (r.status === 'completed' || r.status === 'stopped') note('train-note', endText(id, summary, r.stop_reason === 'shutdown' ? 'shutdown' : null), r.stop_reason === 'shutdown' ? 'error' : 'good');
  else if (r.status === 'failed') note('train-note', `Job ${id} failed: ${r.error?.message ?? 'no reason recorded'}`, 'error');
  else if (r.status === 'interrupted') note('train-note', `Job ${id} ended when its server stopped without finishing it (killed, or the machine stopped); its record ends at ${fmt(r.timesteps, 0)} timesteps.`, 'error');
  else note('train-note', `Job ${id}: ${r.status} at ${fmt(r.timesteps, 0)} timesteps.`);
  setTrainingControls();
}

/** After a job ended: the jobs panel, models, runs and leaderboard catch up. */
function afterJob() {
  jobs.refresh(state.client);
  refreshRecords();
  setTrainingControls();
}

function setTrainingControls() {
  const connected = Boolean(state.client?.open);
  const info = jobs.jobs.find((j) => j.job_id === state.followed);
  const active = Boolean(state.followed) && !state.ended.has(state.followed) && Boolean(info) && ACTIVE.includes(info.status);
  $('train-start').disabled = !connected || !state.canTrain;
  $('train-stop').disabled = !connected || !active || state.stopAsked.has(state.followed);
  form.setDisabled(!state.canTrain);
}

async function startTraining(event) {
  event.preventDefault();
  const envId = $('train-env').value;
  let options;
  try {
    options = form.options();
  } catch (err) {
    return note('train-note', `Check the form: ${err.message}`, 'error');
  }
  $('train-start').disabled = true;
  note('train-note', `Starting ${options.algorithm} on ${envId}…`);
  try {
    const job = await state.client.train(envId, options);
    state.handles.set(job.id, Promise.resolve(job));
    wire(job);
    const info = { job_id: job.id, kind: 'train', env_id: envId, ...job.started };
    jobs.jobs.push(info);
    await follow(job.id, info, true);
    jobs.refresh(state.client);
    runs.refresh(state.client);
  } catch (err) {
    note('train-note', `Could not start training: ${errorText(err)}`, 'error');
  }
  setTrainingControls();
}

/** Stops job `id` (from the card or the jobs panel); it keeps and saves what it learned. */
async function stopJob(id) {
  state.stopAsked.add(id);
  setTrainingControls();
  if (state.followed === id) note('train-note', `Stopping job ${id}…`);
  try {
    // The answer comes when the loop has ended; the model is written next, and the job's end says when.
    const answer = await state.client.stop(id);
    if (answer?.status === 'saving' && state.followed === id && !state.ended.has(id)) note('train-note', `Saving the model learned in ${fmt(num(answer, 'progress.timesteps'), 0)} timesteps…`);
  } catch (err) {
    state.stopAsked.delete(id);
    note(state.followed === id ? 'train-note' : 'jobs-note', `Could not stop job ${id}: ${errorText(err)}`, 'error');
  }
  jobs.refresh(state.client);
  setTrainingControls();
}

// ——— models, runs, leaderboard ———

let refreshing = null;
let refreshAgain = false;

/** Lists models and runs again, and the leaderboard from them; calls made meanwhile run once more after, never side by side (an older answer must not land last). */
function refreshRecords() {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      refreshAgain = false;
      await models.refresh(state.canTrain);
      await runs.refresh(state.client);
      board.update(models.models, runs.runs);
      player.fillPolicies(models.models);
    } while (refreshAgain);
  })().finally(() => (refreshing = null));
  return refreshing;
}

function showRun(runId) {
  runs.pick(runId, true);
  $('runs-card').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

function watchModel(m) {
  if (m.env_id && state.specs.has(m.env_id)) $('watch-env').value = m.env_id;
  player.fillPolicies(models.models, m.name);
  $('watch-card').scrollIntoView({ behavior: 'smooth', block: 'start' });
  player.play();
}

// ——— wiring ———

$('train-form').addEventListener('submit', startTraining);
$('train-form').addEventListener('hpchange', () => form.markChanged());
$('train-stop').addEventListener('click', () => state.followed && stopJob(state.followed));
$('train-env').addEventListener('change', () => state.client?.open && form.load(state.client, $('train-env').value).catch((err) => note('train-note', errorText(err), 'error')));
$('watch-env').addEventListener('change', () => {
  player.fillPolicies(models.models);
  player.drawPreview();
});
$('models-refresh').addEventListener('click', () => refreshRecords());
$('runs-refresh').addEventListener('click', () => refreshRecords());
$('jobs-refresh').addEventListener('click', () => jobs.refresh(state.client));
// Every list names its cells after its columns, for narrow screens where the headings are hidden.
for (const table of document.querySelectorAll('table.list')) new MutationObserver(() => labelCells(table)).observe(table.tBodies[0], { childList: true });
window.addEventListener('resize', () => {
  live.draw();
  comparison.redraw();
});

loadLibrary().then(connectLoop);
