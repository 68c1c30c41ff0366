// Small helpers the page's modules share: reading numbers out of frames, formatting them, notes and elements.

export const $ = (id) => document.getElementById(id);
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The first of `keys` that `obj` has as a finite number (dotted paths allowed; frames name things a few ways). */
export function num(obj, ...keys) {
  for (const key of keys) {
    let v = obj;
    for (const p of key.split('.')) v = v == null ? undefined : v[p];
    if (typeof v === 'string' && /^-?Infinity$|^NaN$/.test(v)) v = Number(v);
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

/** A number for people: integers with separators, others with `digits` decimals; "–" for none. */
export function fmt(v, digits = 1) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '–';
  return Number.isInteger(v) ? v.toLocaleString('en') : v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** 75 → "1 min 15 s". */
export function duration(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** A date as the reader's locale writes it, or "–". */
export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '–';
}

/** Sets a note paragraph's text and kind (`error`, `good` or none). */
export function note(id, text, kind = '') {
  const el = typeof id === 'string' ? $(id) : id;
  el.textContent = text;
  el.className = `note ${kind}`;
}

/** An error as a sentence, with its catalogue name and code when it has them. */
export function errorText(err) {
  if (!err) return 'unknown error';
  const code = typeof err.code === 'number' ? ` (${err.name} ${err.code})` : '';
  return `${err.message}${code}`;
}

/** `h('td', { className: 'x' }, 'text', child)`: an element with properties and children. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k in el) el[k] = v;
    else el.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** A small button that calls `onClick`. */
export function button(text, onClick, className = '') {
  return h('button', { type: 'button', className: `small ${className}`.trim(), textContent: text, onclick: onClick });
}

/** One table row saying `text` across `columns` cells. */
export function emptyRow(text, columns) {
  return h('tr', { className: 'empty' }, h('td', { colSpan: columns, textContent: text }));
}

/** Whether an error means the server lacks a method (an older or smaller server). */
export function missingMethod(err) {
  return err?.name === 'not_supported' || err?.name === 'method_not_found';
}

/** Names each body cell of `table` by its column's heading (`data-label`), which a narrow screen shows beside the value. */
export function labelCells(table) {
  const heads = [...(table.tHead?.rows[0]?.cells ?? [])].map((th) => th.textContent.trim());
  for (const tr of table.tBodies[0]?.rows ?? []) {
    if (tr.classList.contains('empty')) continue;
    [...tr.cells].forEach((td, i) => {
      if (heads[i]) td.dataset.label = heads[i];
    });
  }
}
