import { readFileSync } from 'node:fs';
import { npRandom } from '../src/envs/utils/seeding';
const ref = JSON.parse(readFileSync('/tmp/work/np_ref.json', 'utf8'));
let bad = 0;
for (const seed of ['0', '1', '42', String(2 ** 40 + 17)]) {
  const r = ref[seed];
  let g = npRandom(Number(seed))[0];
  const n = r.standard_normal.map(() => g.standard_normal());
  if (JSON.stringify(n) !== JSON.stringify(r.standard_normal)) { bad++; console.log('normal', seed, n, r.standard_normal); }
  g = npRandom(Number(seed))[0];
  const e = r.standard_exponential.map(() => g.standard_exponential());
  if (JSON.stringify(e) !== JSON.stringify(r.standard_exponential)) { bad++; console.log('exp', seed, e, r.standard_exponential); }
  g = npRandom(Number(seed))[0];
  const i8 = [...g.integersFill(new Int8Array(11), 0, 2, 8), ...g.integersFill(new Int8Array(3), 0, 2, 8)];
  if (JSON.stringify(i8) !== JSON.stringify(r.int8_0_2_x11)) { bad++; console.log('i8', seed, i8, r.int8_0_2_x11); }
  g = npRandom(Number(seed))[0];
  const c = g.choices(['F', 'H'], 16, [0.8, 0.2]);
  if (JSON.stringify(c) !== JSON.stringify(r.choice_p)) { bad++; console.log('choice', seed, c, r.choice_p); }
}
let g = npRandom(7)[0];
let sum = 0, last = 0, max = -Infinity, argmax = -1, min = Infinity, argmin = -1;
for (let i = 0; i < 200000; i++) { const x = g.standard_normal(); sum += x; last = x; if (x > max) { max = x; argmax = i; } if (x < min) { min = x; argmin = i; } }
console.log('normal', { last, max, argmax, min, argmin }, ref.normal_7_200000);
g = npRandom(7)[0]; max = -Infinity;
for (let i = 0; i < 200000; i++) { const x = g.standard_exponential(); last = x; if (x > max) { max = x; argmax = i; } }
console.log('exp', { last, max, argmax }, ref.exp_7_200000);
console.log('bad', bad);
