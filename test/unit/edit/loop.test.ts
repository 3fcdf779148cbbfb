// The edit loop with a fake server and editor: every path keeps what was typed.
import { describe, expect, it } from 'vitest';
import { editLoop, fromYaml, userPart, type EditIo } from '../../../src/edit/loop.js';
import { parseEditArgs } from '../../../src/app/edit-cli.js';

class Conflict extends Error {}
class Refusal extends Error {}

function fakeIo(server: { body: Record<string, unknown>; etag: string }, editor: ((text: string, round: number) => { code: number; text: string })[]) {
  const given: string[] = [];
  const kept: string[] = [];
  const writes: { body: Record<string, unknown>; etag: string | null }[] = [];
  const io: EditIo = {
    read: async () => ({ body: structuredClone(server.body), etag: server.etag }),
    write: async (body, etag) => {
      writes.push({ body, etag });
      if (etag !== server.etag) throw new Conflict('412');
      if ((body.config as Record<string, unknown> | undefined)?.['bad'] !== undefined) throw new Refusal('Invalid config: bad');
      server.body = body;
      server.etag = `${server.etag}+`;
    },
    edit: async (text) => {
      given.push(text);
      const step = editor[given.length - 1];
      return step ? step(text, given.length) : { code: 0, text };
    },
    keep: (text) => {
      kept.push(text);
      return `/tmp/kept-${kept.length}.yaml`;
    },
    isConflict: (err) => err instanceof Conflict,
    isRefusal: (err) => err instanceof Refusal,
  };
  return { io, given, kept, writes };
}

const add = (line: string) => (text: string) => ({ code: 0, text: text.replace(/^config:\n/m, `config:\n  ${line}\n`) });

describe('the edit loop', () => {
  it('saves with the ETag read first; unchanged text is no change; a non-zero editor changes nothing', async () => {
    const server = { body: { config: { a: '1' }, description: '' }, etag: 'e1' };
    const saved = fakeIo(server, [add('b: "2"')]);
    expect(await editLoop('instance c1', saved.io)).toEqual({ kind: 'saved', rounds: 1 });
    expect(saved.writes).toEqual([{ body: { config: { b: '2', a: '1' }, description: '' }, etag: 'e1' }]);
    expect(saved.given[0]).toMatch(/^# lxtop: instance c1, as YAML/);
    expect((await editLoop('x', fakeIo(server, []).io)).kind).toBe('unchanged');
    const failed = fakeIo(server, [(t) => ({ code: 2, text: `${t}junk` })]);
    expect(await editLoop('x', failed.io)).toEqual({ kind: 'cancelled', why: 'the editor exited with code 2: nothing changed', kept: null });
    expect(failed.writes).toEqual([]);
  });

  it('412: the edit kept, the server\'s version with the edit beside it, saved with the new ETag', async () => {
    const server = { body: { config: { a: '1' } }, etag: 'e1' };
    const run = fakeIo(server, [
      (t) => {
        server.body = { config: { a: '1', theirs: 'x' } };
        server.etag = 'e2';
        return add('mine: "y"')(t);
      },
      add('mine: "y"'),
    ]);
    expect(await editLoop('instance c1', run.io)).toEqual({ kind: 'saved', rounds: 2 });
    expect(run.kept).toHaveLength(1);
    expect(run.kept[0]).toMatch(/mine: "y"/);
    expect(run.given[1]).toMatch(/kept in \/tmp\/kept-1\.yaml/);
    expect(run.given[1]).toMatch(/^# {3}mine: "y"$/m);
    expect(server.body).toEqual({ config: { mine: 'y', a: '1', theirs: 'x' } });
    expect(run.writes.map((w) => w.etag)).toEqual(['e1', 'e2']);
  });

  it('invalid YAML and a refusal reopen with the error and the text; unchanged then is cancelled', async () => {
    const server = { body: { config: { a: '1' } }, etag: 'e1' };
    const run = fakeIo(server, [add('bad: [x'), (t) => ({ code: 0, text: t.replace('bad: [x', 'bad: "x"') }), (t) => ({ code: 0, text: t })]);
    const result = await editLoop('instance c1', run.io);
    expect(result).toEqual({ kind: 'cancelled', why: 'no change since lxtop reopened it: nothing saved', kept: null });
    expect(run.given[1]).toMatch(/^# lxtop: error: invalid YAML/);
    expect(run.given[1]).toMatch(/^ {2}bad: \[x$/m);
    expect(run.given[2]).toMatch(/^# lxtop: error: the server refused it: Invalid config: bad$/m);
    expect(run.given[2]).not.toMatch(/invalid YAML/);
    expect(server.body).toEqual({ config: { a: '1' } });
  });

  it('reads YAML mappings only; drops lxtop\'s own lines', () => {
    expect(fromYaml('- a')).toEqual({ error: 'the text must be a YAML mapping (key: value lines)' });
    expect(fromYaml('a: 1')).toEqual({ body: { a: 1 } });
    expect(userPart('# lxtop: x\n# lxtop: y\n\na: 1\n# mine\n')).toBe('a: 1\n# mine\n');
  });
});

describe('lxtop edit arguments', () => {
  it('kinds, remotes, volumes, projects, and what is wrong', () => {
    expect(parseEditArgs(['c1'])).toEqual({ target: { kind: 'instance', name: 'c1' }, help: false });
    expect(parseEditArgs(['profile', 'r:web', '--project', 'p'])).toEqual({ remote: 'r', target: { kind: 'profile', name: 'web', project: 'p' }, help: false });
    expect(parseEditArgs(['volume', 'default/v1'])).toEqual({ target: { kind: 'storage-volume', name: 'v1', pool: 'default' }, help: false });
    expect(() => parseEditArgs(['volume', 'v1'])).toThrow(/POOL\/NAME/);
    expect(() => parseEditArgs(['thing', 'x'])).toThrow(/unknown kind "thing"/);
    expect(() => parseEditArgs([])).toThrow(/what to edit/);
    expect(() => parseEditArgs([':x'])).toThrow(/empty remote/);
  });
});
