/** A run stopped by the server's shutdown is recorded as stopped, with its end line, not left interrupted. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RpcClient, startTestServer } from '../helpers/server';
import { until } from '../train/helpers';

test('shutting down mid-run writes the run\'s end before the files close', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'palestra-runs-shutdown-'));
  let server = await startTestServer({ dataDir });
  let client = await RpcClient.connect(server.url);
  const started = await client.call('train', { env_id: 'FrozenLake-v1', algorithm: 'q_learning', total_timesteps: 50_000_000, seed: 3 });
  await until(() => client.notifications.filter((n) => n.method === 'train.progress').length >= 2, 60_000, 'two progress frames');
  await server.close();

  server = await startTestServer({ dataDir });
  try {
    client = await RpcClient.connect(server.url);
    const { runs } = await client.call('runs', {});
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ run_id: started.job_id, status: 'stopped', stop_reason: 'shutdown' });
    expect(runs[0].finished_at).not.toBeNull();
    expect(runs[0].timesteps).toBeGreaterThan(0);
    await client.close();
  } finally {
    await server.close();
  }
}, 120_000);
