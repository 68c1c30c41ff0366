/**
 * What the depth scan costs a CartPole step message (and a longer Box step): the scan alone, beside
 * JSON.parse of the same text (which every message pays anyway), in
 * nanoseconds per message. Run by hand:
 *   node -r @swc-node/register bench/depth_scan.ts [iterations]
 */
import { nestsDeeperThan } from '../src/server/framing/depth';

const STEP = '{"jsonrpc":"2.0","id":12345,"method":"step","params":{"instance_id":"0f8e2a4c9b7d41e3a5c6d7e8f9a0b1c2","action":1}}';
// Longer than 2 × 65 characters, so the scan cannot stop at the length check and reads it all.
const BOX_STEP = '{"jsonrpc":"2.0","id":12345,"method":"step","params":{"instance_id":"0f8e2a4c9b7d41e3a5c6d7e8f9a0b1c2","action":[0.12345678,-0.87654321,0.5,-0.25]}}';
const GYMIE_STEP = '{"method":"step","params":{"instance_id":"0f8e2a4c9b7d41e3a5c6d7e8f9a0b1c2","action":1}}';

/** Nanoseconds per call of `fn` over `n` calls (after a warm-up). */
function perCall(n: number, fn: () => unknown): number {
  for (let i = 0; i < 100_000; i++) fn();
  const start = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < n; i++) if (fn()) sink++;
  const ns = Number(process.hrtime.bigint() - start) / n;
  if (sink < 0) console.log(sink);
  return ns;
}

export function main(args: string[]): void {
  const n = Number(args[0] ?? 2_000_000);
  for (const [name, text] of [
    ['JSON-RPC step', STEP],
    ['Gymie step', GYMIE_STEP],
    ['JSON-RPC Box step', BOX_STEP],
  ] as const) {
    const scan = perCall(n, () => nestsDeeperThan(text, 64));
    const parse = perCall(n, () => JSON.parse(text));
    const bytes = perCall(n, () => Buffer.from(text).toString('utf8'));
    console.log(
      `${name} (${text.length} bytes): depth scan ${scan.toFixed(1)} ns/message, JSON.parse ${parse.toFixed(1)} ns, ` +
        `Buffer→string ${bytes.toFixed(1)} ns; the scan is ${((100 * scan) / parse).toFixed(1)}% of the parse`,
    );
  }
}

if (require.main === module) main(process.argv.slice(2));
