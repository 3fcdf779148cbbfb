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
