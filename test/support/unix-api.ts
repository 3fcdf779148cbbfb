// The sandbox daemons' REST API over their unix sockets (trusted), for test set-up and clean-up:
// one request, the JSON envelope as it came.
import { Agent, request } from 'undici';

export interface Envelope {
  type: string;
  metadata: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  error?: string;
  operation?: string;
}

export async function unixApi(socket: string, method: string, path: string, body?: unknown): Promise<Envelope> {
  const agent = new Agent({ connect: { socketPath: socket } });
  try {
    const res = await request(`http://lxd${path}`, {
      method: method as 'GET',
      dispatcher: agent,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.body.json()) as Envelope;
  } finally {
    await agent.close();
  }
}

/** The id of the first running operation on the instance (its resources name it), polled every 25 ms. */
export async function operationOn(socket: string, instance: string, timeoutMs = 60_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const ops = ((await unixApi(socket, 'GET', '/1.0/operations?recursion=1')).metadata ?? {}) as Record<string, { id: string; resources: Record<string, string[]> | null }[]>;
    const mine = (ops.running ?? []).find((o) => Object.values(o.resources ?? {}).some((list) => list.some((r) => r.split('?')[0].endsWith(`/instances/${instance}`))));
    if (mine) return mine.id;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no operation on ${instance} within ${timeoutMs} ms`);
}
