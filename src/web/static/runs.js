// The runs list: every recorded training run the server keeps (newest first), with its outcome
// and a link to its metrics as CSV.

const STATUS_TEXT = { running: 'Running', stopping: 'Stopping', completed: 'Completed', stopped: 'Stopped', failed: 'Failed', interrupted: 'Interrupted' };

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function number(v, digits) {
  return typeof v === 'number' && Number.isFinite(v) ? v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: Number.isInteger(v) ? 0 : digits }) : '–';
}

function runRow(run) {
  const tr = document.createElement('tr');
  tr.dataset.run = run.run_id;
  tr.append(
    cell(STATUS_TEXT[run.status] ?? run.status),
    cell(run.env_id),
    cell(run.algorithm),
    cell(`${number(run.timesteps, 0)} / ${number(run.total_timesteps, 0)}`),
    // Training mean and greedy evaluation are different figures: each in its own column.
    cell(number(run.mean_return_100, 1)),
    cell(run.evaluation ? number(run.evaluation.mean_return, 1) : '–'),
    cell(run.started_at ? new Date(run.started_at).toLocaleString() : '–'),
  );
  const actions = document.createElement('td');
  actions.className = 'actions';
  const csv = document.createElement('a');
  csv.href = `/runs/${run.run_id}/metrics.csv`;
  csv.textContent = 'CSV';
  csv.setAttribute('download', `run-${run.run_id}.csv`);
  actions.append(csv);
  tr.append(actions);
  return tr;
}

function message(tbody, text) {
  const tr = document.createElement('tr');
  tr.className = 'empty';
  const td = document.createElement('td');
  td.colSpan = 8;
  td.textContent = text;
  tr.append(td);
  tbody.replaceChildren(tr);
}

/** Lists the runs in `#runs-table`; `client` is null while disconnected. */
export async function refreshRuns(client) {
  const tbody = document.getElementById('runs-table').querySelector('tbody');
  const note = document.getElementById('runs-note');
  note.className = 'note';
  note.textContent = '';
  if (!client?.open) return message(tbody, 'Not connected.');
  let runs;
  try {
    runs = (await client.runs({ limit: 50 })).runs;
  } catch (err) {
    if (err?.name === 'not_supported' || err?.name === 'method_not_found') return message(tbody, 'This server keeps no run records.');
    note.className = 'note error';
    note.textContent = `Could not list runs: ${err?.message ?? err}`;
    return;
  }
  if (runs.length === 0) return message(tbody, 'No runs yet: every training job leaves one.');
  tbody.replaceChildren(...runs.map(runRow));
}
