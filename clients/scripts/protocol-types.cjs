/**
 * Writes the wire types from the JSON Schemas in protocol/ into the client
 * (clients/src/protocol.ts) and the server (src/generated/protocol.ts), so
 * both are typed by the same files the server validates with.
 * Handles the subset of JSON Schema those files use; anything else becomes `unknown`.
 * Run: node clients/scripts/protocol-types.cjs [--check]
 */
'use strict';
const { readFileSync, readdirSync, existsSync, writeFileSync, mkdirSync } = require('node:fs');
const { dirname, join } = require('node:path');

const PROTOCOL_DIR = join(__dirname, '..', '..', 'protocol');
const OUT_FILE = join(__dirname, '..', 'src', 'protocol.ts');
const SERVER_OUT_FILE = join(__dirname, '..', '..', 'src', 'generated', 'protocol.ts');
/** Every generated file; they hold the same module. */
const OUT_FILES = [OUT_FILE, SERVER_OUT_FILE];

/** `env_spec` → `EnvSpec`. */
function pascal(name) {
  return name.replace(/(^|[_\-.])(\w)/g, (_, __, c) => c.toUpperCase());
}

function readJSON(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function jsonFiles(dir) {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

function docComment(text, indent) {
  if (!text) return '';
  const clean = String(text).replace(/\*\//g, '* /').replace(/\s+/g, ' ').trim();
  return `${indent}/** ${clean} */\n`;
}

/** The TypeScript type of a schema, indented for nesting. */
function typeOf(schema, indent = '') {
  if (schema === true || schema === undefined) return 'unknown';
  if (schema === false) return 'never';
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop();
    return pascal(name);
  }
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(schema.allOf) && !schema.properties && !schema.type) {
    return schema.allOf.map((s) => wrap(typeOf(s, indent))).join(' & ');
  }
  const union = schema.anyOf || schema.oneOf;
  if (Array.isArray(union)) return union.map((s) => wrap(typeOf(s, indent))).join(' | ');
  if (Array.isArray(schema.type)) {
    return schema.type.map((t) => wrap(typeOf({ ...schema, type: t }, indent))).join(' | ');
  }
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return arrayType(schema, indent);
    case 'object':
      return objectType(schema, indent);
    default:
      // No type: an object schema when it has properties, otherwise anything.
      if (schema.properties) return objectType(schema, indent);
      return 'unknown';
  }
}

/** Parenthesises unions inside unions and arrays so precedence stays right. */
function wrap(type) {
  return /[|&]/.test(type) && !/^[{[]/.test(type) ? `(${type})` : type;
}

function arrayType(schema, indent) {
  if (Array.isArray(schema.prefixItems)) {
    const items = schema.prefixItems.map((s) => typeOf(s, indent));
    const fixed = schema.maxItems === schema.prefixItems.length || schema.items === false;
    return `[${items.join(', ')}${fixed ? '' : ', ...unknown[]'}]`;
  }
  if (schema.items && typeof schema.items === 'object') return `${wrap(typeOf(schema.items, indent))}[]`;
  return 'unknown[]';
}

function objectType(schema, indent) {
  const props = schema.properties || {};
  const names = Object.keys(props);
  const extra = schema.additionalProperties;
  if (names.length === 0) {
    if (extra === false) return 'Record<string, never>';
    return `Record<string, ${extra && typeof extra === 'object' ? typeOf(extra, indent) : 'unknown'}>`;
  }
  const required = new Set(schema.required || []);
  const inner = `${indent}  `;
  const lines = names.map((name) => {
    const key = IDENT.test(name) ? name : JSON.stringify(name);
    const optional = required.has(name) ? '' : '?';
    return `${docComment(props[name].description, inner)}${inner}${key}${optional}: ${typeOf(props[name], inner)};`;
  });
  // An index signature must admit every property's type, so extra keys are `unknown`.
  if (extra !== false) lines.push(`${inner}[key: string]: unknown;`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** The whole generated module, as text. */
function generate(dir = PROTOCOL_DIR) {
  const defs = readJSON(join(dir, 'defs.json')).definitions || {};
  const methods = jsonFiles(join(dir, 'methods')).map((f) => readJSON(join(dir, 'methods', f)));
  const frames = jsonFiles(join(dir, 'frames')).map((f) => readJSON(join(dir, 'frames', f)));
  const errors = readJSON(join(dir, 'errors.json')).errors || [];
  const algorithms = jsonFiles(join(dir, 'hyperparameters')).map((f) => readJSON(join(dir, 'hyperparameters', f)));

  const out = [];
  out.push('/* eslint-disable */');
  out.push('/**');
  out.push(' * The wire types, generated from protocol/ by clients/scripts/protocol-types.cjs');
  out.push(' * into clients/src/protocol.ts and src/generated/protocol.ts alike.');
  out.push(' * Do not edit: change the schemas and run `npm run build:client`.');
  out.push(' */');
  out.push('');
  for (const [name, schema] of Object.entries(defs)) {
    out.push(`${docComment(schema.description, '')}export type ${pascal(name)} = ${typeOf(schema)};`);
    out.push('');
  }
  for (const a of algorithms) {
    out.push(`${docComment(`The hyperparameters of \`${a.algorithm}\`: ${a.summary}`, '')}export type ${pascal(a.algorithm)}Hyperparameters = ${typeOf(a)};`);
    out.push('');
  }
  out.push('/** Every algorithm `train` takes: its hyperparameters, each optional (absent ones take the defaults). */');
  out.push('export interface Hyperparameters {');
  for (const a of algorithms) out.push(`  ${a.algorithm}: ${pascal(a.algorithm)}Hyperparameters;`);
  out.push('}');
  out.push('');
  out.push('/** The algorithm names, as the protocol lists them. */');
  out.push(`export const ALGORITHM_NAMES = ${JSON.stringify(algorithms.map((a) => a.algorithm))} as const;`);
  out.push('');
  out.push('/** An algorithm `train` takes. */');
  out.push('export type AlgorithmName = keyof Hyperparameters;');
  out.push('');
  out.push('/** Every method: its named params and its JSON-RPC result. */');
  out.push('export interface Methods {');
  for (const m of methods) {
    out.push(docComment(m.summary, '  ').trimEnd());
    out.push(`  ${JSON.stringify(m.method)}: {`);
    out.push(`    params: ${typeOf(m.params, '    ')};`);
    out.push(`    result: ${typeOf(m.result, '    ')};`);
    out.push('  };');
  }
  out.push('}');
  out.push('');
  out.push('/** Every notification the server pushes: its params. */');
  out.push('export interface Frames {');
  for (const f of frames) {
    if (f.summary || f.description) out.push(docComment(f.summary || f.description, '  ').trimEnd());
    out.push(`  ${JSON.stringify(f.method)}: ${typeOf(f.params, '  ')};`);
  }
  out.push('}');
  out.push('');
  out.push('/** The method names, as the protocol lists them. */');
  out.push(`export const METHOD_NAMES = ${JSON.stringify(methods.map((m) => m.method))} as const;`);
  out.push('');
  out.push('/** The notification names, as the protocol lists them. */');
  out.push(`export const FRAME_NAMES = ${JSON.stringify(frames.map((f) => f.method))} as const;`);
  out.push('');
  out.push('/** The error catalogue: name → code. */');
  out.push('export const ERROR_CODES = {');
  for (const e of errors) out.push(`${docComment(e.meaning, '  ')}  ${e.name}: ${e.code},`);
  out.push('} as const;');
  out.push('');
  out.push('/** An error name from the catalogue. */');
  out.push('export type ErrorName = keyof typeof ERROR_CODES;');
  out.push('');
  return out.join('\n');
}

/** Writes the modules that changed; answers the files written. */
function write(dir = PROTOCOL_DIR, files = OUT_FILES) {
  const text = generate(dir);
  const written = [];
  for (const file of files) {
    const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
    if (before === text) continue;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    written.push(file);
  }
  return written;
}

module.exports = { generate, write, PROTOCOL_DIR, OUT_FILE, SERVER_OUT_FILE, OUT_FILES };

if (require.main === module) {
  const text = generate();
  if (process.argv.includes('--check')) {
    const stale = OUT_FILES.filter((f) => !existsSync(f) || readFileSync(f, 'utf8') !== text);
    if (stale.length > 0) {
      process.stderr.write(`${stale.join(', ')} out of date; run npm run build:client\n`);
      process.exit(1);
    }
  } else {
    for (const f of write()) process.stdout.write(`wrote ${f}\n`);
  }
}
