// What each recorded series is, for chart titles and legends: the names are those `run` answers
// (`mean_return_100`, `losses/approx_kl`, ...) plus `evaluation` for the greedy evaluations. A name not
// listed here (a loss a new algorithm reports) still gets a chart, titled from its name.

/** Charts, in the order they are shown; `members` are the series a live run's chart holds. */
const CHARTS = [
  {
    key: 'return',
    title: 'Episode return',
    members: [
      ['mean_return_100', 'training mean (last 100 episodes)', { width: 2.5 }],
      ['last_return', 'training, last episode', { dots: true }],
      ['evaluation', 'greedy evaluation', { width: 1.5 }],
    ],
  },
  { key: 'length', title: 'Episode length', members: [['mean_length_100', 'training mean (last 100 episodes)', { width: 2.5 }], ['last_length', 'training, last episode', { dots: true }]] },
  { key: 'losses/policy', title: 'Policy loss' },
  { key: 'losses/value', title: 'Value loss' },
  { key: 'losses/td', title: 'TD loss' },
  { key: 'losses/q_mean', title: 'Mean Q value' },
  { key: 'entropy', title: 'Policy entropy' },
  { key: 'losses/approx_kl', title: 'Approximate KL divergence', yMin: 0 },
  { key: 'losses/clip_fraction', title: 'Clip fraction', yMin: 0 },
  { key: 'losses/explained_variance', title: 'Explained variance' },
  { key: 'epsilon', title: 'Exploration ε', yMin: 0 },
  { key: 'steps_per_second', title: 'Steps per second', yMin: 0 },
];

/** Titles of the single series a comparison charts one by one. */
const SERIES_TITLES = {
  mean_return_100: 'Training mean return (last 100 episodes)',
  last_return: 'Training return, last episode',
  evaluation: 'Greedy evaluation return (mean)',
  mean_length_100: 'Training mean episode length (last 100)',
  last_length: 'Episode length, last episode',
};

/** Series that are not charted: the episode count only climbs. */
const HIDDEN = new Set(['episodes']);

const byMember = new Map();
for (const chart of CHARTS) for (const [name] of chart.members ?? [[chart.key]]) byMember.set(name, chart);

function titled(name) {
  const bare = name.replace(/^losses\//, '');
  const words = bare.replace(/_/g, ' ');
  return name.startsWith('losses/') ? `${words[0].toUpperCase()}${words.slice(1)}${/loss/.test(bare) ? '' : ' (loss)'}` : words;
}

/** The chart a live run draws series `name` on: its key, title, order and series; null for series not charted. */
export function chartOf(name) {
  if (HIDDEN.has(name)) return null;
  const known = byMember.get(name);
  const chart = known ?? { key: name, title: titled(name) };
  const members = (chart.members ?? [[chart.key, chart.title]]).map(([n, label, style]) => ({ name: n, label, ...(style ?? {}) }));
  return { key: chart.key, title: chart.title, yMin: chart.yMin, order: known ? CHARTS.indexOf(known) : CHARTS.length, members };
}

/** The title of one series on its own (a comparison draws one chart per series). */
export function seriesTitle(name) {
  return SERIES_TITLES[name] ?? chartOf(name)?.title ?? titled(name);
}

/** The order of series in a comparison: as the live charts, then by name. */
export function seriesOrder(a, b) {
  const ca = chartOf(a);
  const cb = chartOf(b);
  const ia = ca ? ca.order * 10 + ca.members.findIndex((m) => m.name === a) : 1e9;
  const ib = cb ? cb.order * 10 + cb.members.findIndex((m) => m.name === b) : 1e9;
  return ia - ib || (a < b ? -1 : a > b ? 1 : 0);
}

/** Whether a series is charted at all. */
export function charted(name) {
  return !HIDDEN.has(name);
}

/** A progress frame's figures by series name, as the run record names them (`losses/NAME` for each loss). */
export function figuresOfFrame(frame) {
  const out = [];
  for (const name of ['last_return', 'mean_return_100', 'last_length', 'mean_length_100', 'entropy', 'epsilon', 'steps_per_second']) {
    const v = frame[name];
    if (typeof v === 'number' && Number.isFinite(v)) out.push([name, v]);
  }
  for (const [name, v] of Object.entries(frame.losses ?? {})) if (typeof v === 'number' && Number.isFinite(v)) out.push([`losses/${name}`, v]);
  return out;
}
