/** Reading Prometheus' text exposition format in tests. */

/** Reads Prometheus text into `name{labels}` → value, checking every line is well formed. */
export function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) {
      if (line.startsWith('# TYPE') && !/^# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped)$/.test(line)) {
        throw new Error(`not a Prometheus TYPE line: ${line}`);
      }
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const value = m[2] === '+Inf' ? Infinity : m[2] === '-Inf' ? -Infinity : Number(m[2]);
    if (Number.isNaN(value) && m[2] !== 'NaN' && m[2] !== 'Nan') throw new Error(`bad value in ${line}`);
    samples.set(m[1], value);
  }
  return samples;
}
