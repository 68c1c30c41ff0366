/** A small JSON-over-HTTP client for the FastAPI-style routes' tests. */

/** A reply: its status and parsed JSON body. */
export interface Reply {
  status: number;
  body: any;
  type: string | null;
}

/** Sends `method path` with an optional JSON body and extra headers. */
export async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, type: res.headers.get('content-type') };
}

/** Polls a job's status until it leaves `running`; bounded in count. */
export async function finished(base: string, jobId: string, headers: Record<string, string> = {}): Promise<any> {
  for (let i = 0; i < 600; i++) {
    const { body } = await call(base, 'GET', `/training/${jobId}/status`, undefined, headers);
    if (body.status !== 'running') return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${jobId} still running after 600 polls`);
}
