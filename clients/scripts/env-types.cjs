/**
 * Writes clients/src/envs.ts: for each environment built into the server,
 * the TypeScript types of its observations and actions, from its spaces
 * (a Box of shape [4] gives `number[]`, a Discrete `number`), so
 * `client.make('CartPole-v1')` is typed without the caller saying so.
 * Run: node -r @swc-node/register clients/scripts/env-types.cjs [--check]
 */
'use strict';
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const OUT_FILE = join(__dirname, '..', 'src', 'envs.ts');

/** The type of one value of a described space. */
function valueType(d) {
  switch (d.name) {
    case 'Discrete':
      return 'number';
    case 'Box':
    case 'MultiBinary':
      return 'number' + '[]'.repeat((d.shape || []).length);
    case 'MultiDiscrete':
      return 'number' + '[]'.repeat((d.shape || [0]).length);
    case 'Tuple':
      return `[${d.spaces.map(valueType).join(', ')}]`;
    case 'Dict':
      return `{ ${Object.entries(d.spaces).map(([k, s]) => `${JSON.stringify(k)}: ${valueType(s)}`).join('; ')} }`;
    case 'Text':
      return 'string';
    default:
      return 'unknown';
  }
}

/** The module, from `[id, observation space, action space]` rows. */
function generate(rows) {
  const out = [];
  out.push('/* eslint-disable */');
  out.push('/**');
  out.push(" * The server's built-in environments: the types of their observations and actions,");
  out.push(' * generated from their spaces by clients/scripts/env-types.cjs. Do not edit.');
  out.push(' */');
  out.push('');
  out.push('/** Built-in environment id → the type of an observation and of an action. */');
  out.push('export interface KnownEnvs {');
  for (const [id, obs, act] of [...rows].sort((a, b) => a[0].localeCompare(b[0]))) {
    out.push(`  ${JSON.stringify(id)}: { observation: ${valueType(obs)}; action: ${valueType(act)} };`);
  }
  out.push('}');
  out.push('');
  out.push('/** A built-in environment id. */');
  out.push('export type KnownEnvId = keyof KnownEnvs;');
  out.push('');
  return out.join('\n');
}

/** The rows of a registry (the server's own by default): every id and alias, with its default spaces. */
function rowsOf(registry) {
  const rows = [];
  const spacesOf = (id) => {
    const env = registry.make(id);
    try {
      const { describeSpace } = require('../../src/api/spaces');
      return [describeSpace(env.observation_space), describeSpace(env.action_space)];
    } finally {
      env.close();
    }
  };
  for (const id of registry.ids()) rows.push([id, ...spacesOf(id)]);
  for (const [alias, id] of Object.entries(registry.aliasMap())) rows.push([alias, ...spacesOf(id)]);
  return rows;
}

module.exports = { generate, rowsOf, valueType, OUT_FILE };

if (require.main === module) {
  const { registry } = require('../../src/envs');
  const text = generate(rowsOf(registry));
  if (process.argv.includes('--check')) {
    if (!existsSync(OUT_FILE) || readFileSync(OUT_FILE, 'utf8') !== text) {
      process.stderr.write('clients/src/envs.ts is out of date; run node -r @swc-node/register clients/scripts/env-types.cjs\n');
      process.exit(1);
    }
  } else {
    writeFileSync(OUT_FILE, text);
  }
}
