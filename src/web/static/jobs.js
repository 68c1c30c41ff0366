// The jobs panel: every queued and running job on the server (training and evaluation, from whichever
// tab, CLI or program started it), with its progress and a Stop button. It asks `jobs` every few seconds,
// so a job started elsewhere shows up; the page subscribes to each training job it lists.
import { compact } from './chart.js';
import { $, button, emptyRow, errorText, fmt, h, note } from './util.js';

/** The states of a job that is not over. */
export const ACTIVE = ['queued', 'running', 'stopping', 'saving'];

const STATUS_TEXT = { queued: 'Queued', running: 'Running', stopping: 'Stopping', saving: 'Saving' };

/** A job's progress as a short text: "12.3k / 50k steps (25%)", or episodes for an evaluation. */
export function progressText(job, frame = job.progress) {
  if (job.kind === 'evaluate') {
    const done = frame?.episodes_done;
    const of = frame?.episodes;
    return done !== undefined ? `${done} / ${of ?? '?'} episodes` : '–';
  }
  const t = frame?.timesteps;
  const total = frame?.total_timesteps ?? job.total_timesteps;
  if (t === undefined) return job.status === 'queued' ? `position ${job.queue_position ?? '?'}` : '–';
  return total ? `${compact(t)} / ${compact(total)} (${Math.floor((100 * t) / total)}%)` : fmt(t, 0);
}

export class JobsPanel {
  /** `onFollow(job)` shows a job in the training card; `onStop(job)` stops one; `onList(jobs)` hears every listing. */
  constructor({ onFollow, onStop, onList }) {
    this.onFollow = onFollow;
    this.onStop = onStop;
    this.onList = onList;
    this.jobs = [];
    this.followed = null;
    this.timer = null;
    this.asked = 0;
  }

  /** Lists the jobs that are not over; `client` null while disconnected. */
  async refresh(client) {
    const tbody = $('jobs-table').querySelector('tbody');
    if (!client?.open) {
      tbody.replaceChildren(emptyRow('Not connected.', 6));
      return;
    }
    let jobs;
    // Listings may overlap (the poll, a job's end): only the latest asked is shown.
    const asked = ++this.asked;
    try {
      // One listing of every state that is not over (oldest first, as the server keeps them).
      jobs = (await client.jobs({ status: ACTIVE, limit: 500 })).jobs;
    } catch (err) {
      if (asked === this.asked) note('jobs-note', `Could not list jobs: ${errorText(err)}`, 'error');
      return;
    }
    if (asked !== this.asked) return;
    note('jobs-note', jobs.length ? `${jobs.length} job${jobs.length === 1 ? '' : 's'} queued or running.` : '');
    this.jobs = jobs;
    tbody.replaceChildren(...(jobs.length ? jobs.map((j) => this.row(j)) : [emptyRow('No job is running or queued.', 6)]));
    this.onList?.(jobs);
  }

  /** Asks `jobs` again every `ms` while connected. */
  poll(getClient, ms = 3000) {
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      const client = getClient();
      if (client?.open) this.refresh(client);
    }, ms);
  }

  row(job) {
    const what = job.kind === 'evaluate' ? `evaluate ${job.model}` : `${job.algorithm} → ${job.model}`;
    const actions = h('td', { className: 'actions' });
    if (job.kind === 'train') {
      const show = button(this.followed === job.job_id ? 'Shown' : 'Show', () => this.onFollow(job));
      show.disabled = this.followed === job.job_id;
      actions.append(show);
    }
    const stop = button('Stop', async (event) => {
      event.target.disabled = true;
      await this.onStop(job);
    }, 'danger');
    stop.disabled = job.status === 'stopping' || job.status === 'saving';
    actions.append(stop);
    return h(
      'tr',
      { dataset: { job: job.job_id, status: job.status } },
      h('td', { textContent: STATUS_TEXT[job.status] ?? job.status }),
      h('td', { textContent: job.env_id }),
      h('td', { className: 'name', textContent: what }),
      h('td', { className: 'progress-cell', textContent: progressText(job) }),
      h('td', { textContent: job.job_id.slice(0, 8), title: job.job_id, className: 'id' }),
      actions,
    );
  }

  /** A progress frame of a listed job: its progress cell is brought up to date at once. */
  frame(jobId, frame) {
    const job = this.jobs.find((j) => j.job_id === jobId);
    const cell = document.querySelector(`#jobs-table tr[data-job="${jobId}"] .progress-cell`);
    if (job && cell) cell.textContent = progressText(job, frame);
  }

  /** Marks the job the training card shows. */
  follow(jobId) {
    this.followed = jobId;
    for (const tr of document.querySelectorAll('#jobs-table tr[data-job]')) {
      const show = tr.querySelector('button');
      if (show && /^Show/.test(show.textContent)) {
        show.disabled = tr.dataset.job === jobId;
        show.textContent = tr.dataset.job === jobId ? 'Shown' : 'Show';
      }
    }
  }
}
