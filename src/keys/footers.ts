// The footers of the views over the panes (`j/k PgUp/PgDn scroll  Esc or ? close`, a dialog's
// `y yes  Esc/n no`, the filter input's `Enter keep  Esc restore  ↑/↓ leave`), written as the
// line reads but with every key taken from the registry: `k(id, key)` accepts only a key of a
// command bound in that view, so a footer that shows a key which does something else there (or
// nothing) does not compile, and renaming a key changes the footer with it.
import { keyLabel } from './keys.js';
import type { BoundIn, DialogView, KeyOf } from './registry.js';

/** One key of a footer: the command it belongs to and which of its keys is shown. */
export interface KeyRef {
  id: string;
  key: string;
}

export interface Footer {
  view: DialogView;
  /** Text and keys, in the order they are shown. */
  parts: readonly (string | KeyRef)[];
}

/** `k(id, key)`: a key of a command bound in view V. */
type KeyIn<V extends DialogView> = <I extends BoundIn<V>>(id: I, key: KeyOf<I>) => KeyRef;

/** A footer for `view`: a tagged template whose keys are `k(id, key)`. */
function footer<V extends DialogView>(view: V, line: (k: KeyIn<V>) => Footer['parts']): Footer {
  return { view, parts: line((id, key) => ({ id, key })) };
}

/** A template's text and keys in order. */
function t(strings: TemplateStringsArray, ...keys: KeyRef[]): Footer['parts'] {
  return strings.flatMap((s, i) => (i < keys.length ? [s, keys[i]] : [s])).filter((p) => p !== '');
}

export const FOOTERS: { readonly [V in DialogView]: Footer } = {
  help: footer('help', (k) => t`${k('down', 'j')}/${k('up', 'k')} ${k('page-up', 'pageup')}/${k('page-down', 'pagedown')} scroll  ${k('dialog-cancel', 'escape')} or ${k('help', '?')} close`),
  members: footer('members', (k) => t`${k('down', 'j')}/${k('up', 'k')} ${k('page-up', 'pageup')}/${k('page-down', 'pagedown')} scroll  ${k('dialog-cancel', 'escape')} or ${k('members', '4')} close`),
  detail: footer('detail', (k) => t`${k('down', 'j')}/${k('up', 'k')} ${k('page-up', 'pageup')}/${k('page-down', 'pagedown')} scroll  ${k('dialog-cancel', 'escape')} or ${k('dialog-close', 'enter')} close`),
  history: footer('history', (k) => t`${k('down', 'j')}/${k('up', 'k')} ${k('page-up', 'pageup')}/${k('page-down', 'pagedown')} scroll  ${k('top', 'g')}/${k('bottom', 'G')} start/end  ${k('dialog-cancel', 'escape')} close`),
  confirm: footer('confirm', (k) => t`${k('dialog-yes', 'y')} yes  ${k('dialog-cancel', 'escape')}/${k('dialog-no', 'n')} no`),
  'confirm-force': footer('confirm-force', (k) => t`${k('dialog-force', 'F')} force  ${k('dialog-cancel', 'escape')}/${k('dialog-no', 'n')} cancel`),
  prompt: footer('prompt', (k) => t`${k('dialog-accept', 'enter')} ok  ${k('dialog-cancel', 'escape')} cancel  ${k('dialog-erase', 'ctrl+u')} erase`),
  picker: footer('picker', (k) => t`${k('up', 'up')}/${k('down', 'down')} or ${k('down', 'j')}/${k('up', 'k')} move  ${k('dialog-accept', 'enter')} pick  ${k('dialog-cancel', 'escape')} cancel`),
  logs: footer('logs', (k) => t`${k('log-search', '/')} search ${k('log-next', 'n')}/${k('log-prev', 'N')} match  ${k('log-follow', 'f')} follow  ${k('log-console', 'c')} console/log  ${k('top', 'g')}/${k('bottom', 'G')} start/end  ${k('dialog-cancel', 'escape')} close`),
  'log-search': footer('log-search', (k) => t`${k('dialog-accept', 'enter')} keep  ${k('dialog-cancel', 'escape')} drop`),
  events: footer('events', (k) => t`${k('down', 'j')}/${k('up', 'k')} move  ${k('log-search', '/')} filter  ${k('event-jump', 'enter')} go to the instance  ${k('dialog-cancel', 'escape')} or ${k('events', 'E')} close`),
  'event-filter': footer('event-filter', (k) => t`${k('dialog-accept', 'enter')} keep  ${k('dialog-cancel', 'escape')} drop`),
  snapshots: footer('snapshots', (k) => t`${k('snapshot-new', 'n')} new  ${k('snapshot-restore', 'r')} restore  ${k('snapshot-rename', 'm')} rename  ${k('snapshot-delete', 'd')} delete  ${k('snapshot-schedule', 's')} schedule  ${k('snapshot-expiry', 'x')} expiry  ${k('dialog-cancel', 'escape')} close`),
  files: footer('files', (k) => t`${k('file-open', 'enter')} open  ${k('file-up', 'backspace')} up  ${k('file-pull', 'p')} pull  ${k('file-push', 'u')} push  ${k('file-edit', 'e')} edit  ${k('file-delete', 'd')} delete  ${k('dialog-cancel', 'escape')} close`),
  warnings: footer('warnings', (k) => t`${k('down', 'j')}/${k('up', 'k')} move  ${k('dialog-cancel', 'escape')} or ${k('warnings', 'W')} close`),
  resources: footer('resources', (k) => t`${k('resource-open', 'enter')} open  ${k('edit', 'c')} edit  ${k('resource-new', 'n')} new  ${k('resource-delete', 'd')} delete  ${k('dialog-cancel', 'escape')} close`),
  filter: footer('filter', (k) => t`${k('dialog-accept', 'enter')} keep  ${k('dialog-cancel', 'escape')} restore  ${k('up', 'up')}/${k('down', 'down')} leave`),
};

const texts = new Map<DialogView, string>();

/** The footer line of a view, keys as people read them (`Esc`, `PgUp`, `↑`). */
export function footerText(view: DialogView): string {
  let text = texts.get(view);
  if (text === undefined) {
    text = FOOTERS[view].parts.map((p) => (typeof p === 'string' ? p : keyLabel(p.key))).join('');
    texts.set(view, text);
  }
  return text;
}
