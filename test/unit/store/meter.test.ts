import { describe, expect, it } from 'vitest';
import type { LxdApi } from '../../../src/lxd/api.js';
import type { RequestKind } from '../../../src/store/cost.js';
import { meter } from '../../../src/store/meter.js';

describe('meter: the controller\'s reads charged to the daemon budget', () => {
  it('metered calls are tracked by kind from start to answer (or failure); others pass through bound', async () => {
    const log: string[] = [];
    let release!: () => void;
    const api = {
      project: 'p1',
      listInstances: () => new Promise<unknown[]>((r) => (release = () => r([]))),
      server: async () => {
        throw new Error('refused');
      },
      instanceState(this: { project: string }) {
        return Promise.resolve(this.project);
      },
    } as unknown as LxdApi;
    const metered = meter(api, (kind: RequestKind) => {
      log.push(`start ${kind}`);
      return () => void log.push(`end ${kind}`);
    });
    const listed = metered.listInstances();
    expect(log).toEqual(['start list']);
    release();
    await listed;
    await Promise.resolve();
    expect(log).toEqual(['start list', 'end list']);

    await expect(metered.server()).rejects.toThrow('refused');
    await Promise.resolve();
    expect(log.slice(2)).toEqual(['start other', 'end other']);

    // Not metered (the sampler charges its own): no track, `this` still the client.
    await expect(metered.instanceState('a')).resolves.toBe('p1');
    expect(metered.project).toBe('p1');
    expect(log).toHaveLength(4);
  });
});
