// 256 CartPoles stepped as one batch per message, random actions, binary frames; prints env steps per second.
// Start a server (`npx palestra`), then: node clients/examples/vector_cartpole.mjs [ws://127.0.0.1:5000] [seconds]
import { connect } from 'palestra-client';

const url = process.argv[2] ?? 'ws://127.0.0.1:5000';
const seconds = Number(process.argv[3] ?? 5);

const client = await connect(url);
try {
  const envs = await client.makeVec('CartPole-v1', { numEnvs: 256, encoding: 'binary', seed: 0 });
  console.log(`${envs.numEnvs} × CartPole-v1: observations ${envs.observationSpace}, actions ${envs.actionSpace}`);
  const [obs] = await envs.reset();
  console.log(`first observation of copy 0: ${Array.from(obs.data.subarray(0, 4))} (shape ${obs.shape})`);
  let steps = 0;
  let episodes = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    // NextStep autoreset: an ended copy restarts on the next step by itself.
    const [, , terminations, truncations] = await envs.step(envs.actionSpace.sample());
    for (let i = 0; i < envs.numEnvs; i++) episodes += terminations.data[i] | truncations.data[i];
    steps += envs.numEnvs;
  }
  const rate = steps / ((performance.now() - started) / 1000);
  console.log(`${steps} env steps, ${episodes} episodes ended: ${Math.round(rate).toLocaleString('en')} env steps/s`);
} finally {
  await client.close();
}
