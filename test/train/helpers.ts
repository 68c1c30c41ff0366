/** Helpers for the training tests: waiting for pushed frames and checking them against protocol/frames. */
import { protocol } from '../../src/server/protocol';
import type { RpcClient } from '../helpers/server';

/** Resolves once `predicate` holds, polling; rejects after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 20000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The frames a client received for one job, each checked against its schema. */
export function framesOf(client: RpcClient, jobId: string, method?: string): { method: string; params: any }[] {
  const frames = client.notifications.filter((n) => n.params?.job_id === jobId && (method === undefined || n.method === method));
  for (const f of frames) {
    const problems = protocol().checkFrame(f.method, f.params);
    if (problems.length) throw new Error(`${f.method} frame breaks its schema: ${problems.join('; ')}`);
  }
  return frames;
}

/** Waits for a job's `train.done` or `train.error` frame and answers it. */
export async function finalFrame(client: RpcClient, jobId: string, timeoutMs = 30000): Promise<{ method: string; params: any }> {
  const isFinal = (n: { method: string; params: any }) => n.params?.job_id === jobId && (n.method === 'train.done' || n.method === 'train.error');
  await until(() => client.notifications.some(isFinal), timeoutMs, `the end of job ${jobId}`);
  return client.notifications.find(isFinal)!;
}
