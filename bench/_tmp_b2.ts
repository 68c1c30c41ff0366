import { make } from '../src/envs';
const env = make('CartPole-v1');
env.reset({ seed: 0 }); env.action_space.seed(1);
const N = 5e6;
let t = process.hrtime.bigint();
for (let i = 0; i < N; i++) {
  const r = env.step(env.action_space.sample());
  if (r[2] || r[3]) env.reset();
}
let dt = Number(process.hrtime.bigint() - t) / 1e9;
console.log('cartpole steps/s', (N / dt / 1e6).toFixed(2), 'M');
let acc = 0;
t = process.hrtime.bigint();
for (let i = 0; i < N; i++) { const a = new Float32Array(4); a[0] = i; acc += a[0]; }
dt = Number(process.hrtime.bigint() - t) / 1e9;
console.log('f32 alloc/s', (N / dt / 1e6).toFixed(2), 'M');
t = process.hrtime.bigint();
const st = new Float64Array([1,2,3,4]);
for (let i = 0; i < N; i++) { const a = Float32Array.from(st); acc += a[0]; }
dt = Number(process.hrtime.bigint() - t) / 1e9;
console.log('f32 from/s', (N / dt / 1e6).toFixed(2), 'M', acc);
