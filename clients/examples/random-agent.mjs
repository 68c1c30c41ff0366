// A random agent in Node: plays a few CartPole episodes on a Palestra server.
// Start a server (`npx palestra`), then: node clients/examples/random-agent.mjs [ws://127.0.0.1:5000] [CartPole-v1]
import { connect } from 'palestra-client';

const url = process.argv[2] ?? 'ws://127.0.0.1:5000';
const envId = process.argv[3] ?? 'CartPole-v1';

const client = await connect(url);
try {
  const env = await client.make(envId);
  console.log(`${envId}: observations ${env.observationSpace}, actions ${env.actionSpace}`);
  env.actionSpace.seed(42);
  for (let episode = 0; episode < 3; episode++) {
    let [obs] = await env.reset({ seed: episode });
    let total = 0;
    let steps = 0;
    for (;;) {
      const [next, reward, terminated, truncated] = await env.step(env.actionSpace.sample());
      obs = next;
      total += reward;
      steps++;
      if (terminated || truncated) break;
    }
    console.log(`episode ${episode}: return ${total} in ${steps} steps; last observation ${JSON.stringify(obs)}`);
  }
} finally {
  // Closes the environment on the server too.
  await client.close();
}
