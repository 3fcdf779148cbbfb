// Editing one object in $EDITOR, as `lxc config edit` and `kubectl edit` do, with nothing typed ever
// lost: the text is YAML under a comment header; invalid YAML or a refusal by the server reopens the
// editor with the error on top and the text as it was; a change made by someone else meanwhile (412
// to the If-Match of the ETag read first) keeps the edit in a file, then reopens the editor with the
// server's current version and the edit beside it, commented, to merge and save again.
import { parse, stringify } from 'yaml';

export interface EditIo {
  /** The object's editable fields and their ETag. */
  read(): Promise<{ body: Record<string, unknown>; etag: string | null }>;
  /** Writes them with If-Match; throws the server's refusal. */
  write(body: Record<string, unknown>, etag: string | null): Promise<void>;
  /** Runs the editor on `text`: its exit code and the text it left. */
  edit(text: string): Promise<{ code: number; text: string }>;
  /** Keeps a text in a file that outlives lxtop; returns its path. */
  keep(text: string): string;
  /** The refusal is the 412 of a concurrent change. */
  isConflict(err: unknown): boolean;
  /** The refusal is the server's (a 4xx/5xx answer), not a lost connection: reopen with it. */
  isRefusal(err: unknown): boolean;
}

export type EditResult =
  | { kind: 'saved'; rounds: number }
  | { kind: 'unchanged' }
  | { kind: 'cancelled'; why: string; kept: string | null };

const MARK = '# lxtop:';

function header(what: string, lines: readonly string[]): string {
  const intro = [
    `${MARK} ${what}, as YAML. Save and quit to apply it; quit without saving to change nothing.`,
    `${MARK} Lines starting with ${MARK} are lxtop's and are dropped.`,
  ];
  return [...lines.map((l) => `${MARK} ${l}`), ...intro, ''].join('\n');
}

/** The text without lxtop's own comment lines (a header from an earlier round). */
export function userPart(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith(MARK))
    .join('\n')
    .replace(/^\n+/, '');
}

export function toYaml(body: Record<string, unknown>): string {
  return stringify(body, { indent: 2, lineWidth: 0 });
}

/** The YAML as an object, or the reason it is not one. */
export function fromYaml(text: string): { body: Record<string, unknown> } | { error: string } {
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    return { error: `invalid YAML: ${(err as Error).message.split('\n')[0]}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: 'the text must be a YAML mapping (key: value lines)' };
  return { body: value as Record<string, unknown> };
}

function commented(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `# ${l}`)
    .join('\n');
}

export async function editLoop(what: string, io: EditIo): Promise<EditResult> {
  let { body, etag } = await io.read();
  let shown = header(what, []) + toYaml(body);
  let kept: string | null = null;
  for (let round = 1; ; round++) {
    const { code, text } = await io.edit(shown);
    if (code !== 0) return { kind: 'cancelled', why: `the editor exited with code ${code}: nothing changed`, kept };
    if (text === shown) {
      if (round === 1) return { kind: 'unchanged' };
      return { kind: 'cancelled', why: 'no change since lxtop reopened it: nothing saved', kept };
    }
    const mine = userPart(text);
    const parsed = fromYaml(mine);
    if ('error' in parsed) {
      shown = header(what, [`error: ${parsed.error}`, 'fix it, or quit without saving to give up']) + mine;
      continue;
    }
    try {
      await io.write(parsed.body, etag);
      return { kind: 'saved', rounds: round };
    } catch (err) {
      if (io.isConflict(err)) {
        kept = io.keep(mine);
        ({ body, etag } = await io.read());
        const why = [
          'it was changed by someone else while you edited (the server answered 412: its ETag changed).',
          'Below: the server\'s current version, then your edit, commented. Merge them, save and quit.',
          `Your edit is also kept in ${kept}`,
        ];
        shown = `${header(what, why)}${toYaml(body)}\n# ---- your edit ----\n${commented(mine)}\n`;
        continue;
      }
      if (io.isRefusal(err)) {
        const message = err instanceof Error ? err.message : String(err);
        shown = header(what, [`error: the server refused it: ${message}`, 'fix it, or quit without saving to give up']) + mine;
        continue;
      }
      kept = io.keep(mine);
      throw Object.assign(err instanceof Error ? err : new Error(String(err)), { kept });
    }
  }
}
