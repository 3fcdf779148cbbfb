// Dialog views: confirmation, text prompt, picker, help overlay, detail view.
// Their state lives in the store (`ui.dialog`), so they come back as they were after the console.
import React from 'react';
import { Box, Text } from 'ink';
import type { ConfirmDialog, DetailDialog, Dialog, HistorySeries, PickerDialog, PromptDialog } from '../store/index.js';
import { footerText } from '../keys/footers.js';
import { helpSections, type DialogView } from '../keys/registry.js';
import { detailLines } from './detail.js';
import { historyLines } from './history-draw.js';
import type { HistoryDialog } from './dialog-kinds.js';
import { fit, wrapText } from './format.js';
import { tint, useTheme } from './theme.js';

// Every line of a dialog is painted to the full inner width, so that the dialog drawn over the
// table (position absolute) hides the rows under it completely.
function Frame({
  title,
  width,
  danger,
  children,
}: {
  title: string;
  width: number;
  danger?: boolean;
  children: React.ReactNode;
}): React.JSX.Element {
  const theme = useTheme();
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={tint(theme, danger ? 'red' : 'cyan')} width={width}>
      <Text bold color={tint(theme, danger ? 'red' : undefined)} wrap="truncate">
        {fit(` ${title}`, width - 2)}
      </Text>
      {children}
    </Box>
  );
}

/** One painted line inside a Frame of `width`. */
function Line({ width, children, ...style }: { width: number; children: string } & React.ComponentProps<typeof Text>): React.JSX.Element {
  return (
    <Text wrap="truncate" {...style}>
      {fit(` ${children}`, width - 2)}
    </Text>
  );
}

export function dialogWidth(width: number): number {
  return Math.max(20, Math.min(76, width - 4));
}

/** A confirmation only F (force) accepts (a running instance to delete) says so. */
export function needsForce(d: ConfirmDialog): boolean {
  return d.needsForce === true;
}

/** Which keys a confirmation takes (src/keys/registry.ts): F only where it is the way to accept. */
export function confirmView(d: ConfirmDialog): 'confirm' | 'confirm-force' {
  return needsForce(d) ? 'confirm-force' : 'confirm';
}

/** The registry's view for an open dialog: the keys it takes, its footer and hints. */
export function dialogView(d: Dialog): DialogView {
  if (d.kind === 'logs') return d.searching ? 'log-search' : 'logs';
  if (d.kind === 'events') return d.filtering ? 'event-filter' : 'events';
  return d.kind === 'confirm' ? confirmView(d) : d.kind;
}

export function ConfirmView({ dialog, width }: { dialog: ConfirmDialog; width: number }): React.JSX.Element {
  const theme = useTheme();
  const keys = footerText(confirmView(dialog));
  const w = dialogWidth(width);
  return (
    <Frame title={dialog.title} width={w} danger={dialog.dangerous}>
      <Line width={w}>{''}</Line>
      {wrapText(dialog.message, w - 4).map((line, i) => (
        <Line key={i} width={w}>
          {line}
        </Line>
      ))}
      <Line width={w}>{''}</Line>
      <Line width={w} color={tint(theme, 'yellow')} bold>
        {keys}
      </Line>
    </Frame>
  );
}

export function PromptView({ dialog, width }: { dialog: PromptDialog; width: number }): React.JSX.Element {
  const theme = useTheme();
  const inner = dialogWidth(width) - 4;
  const label = `${dialog.label}: `;
  // Show the end of a long value: that is where the cursor is.
  const room = Math.max(4, inner - label.length - 1);
  const value = dialog.value.length > room ? `…${dialog.value.slice(dialog.value.length - room + 1)}` : dialog.value;
  const w = dialogWidth(width);
  const rest = Math.max(0, w - 2 - 1 - label.length - value.length - 1);
  return (
    <Frame title={dialog.title} width={w}>
      <Line width={w}>{''}</Line>
      <Text wrap="truncate">
        {` ${label}`}
        <Text bold>{value}</Text>
        <Text inverse> </Text>
        {' '.repeat(rest)}
      </Text>
      {dialog.error
        ? wrapText(dialog.error, w - 4).map((line, i) => (
            <Line key={i} width={w} color={tint(theme, 'red')}>
              {line}
            </Line>
          ))
        : (dialog.hint ? wrapText(dialog.hint, w - 4) : ['']).map((line, i) => (
            <Line key={i} width={w} dimColor>
              {line}
            </Line>
          ))}
      <Line width={w} dimColor>
        {footerText('prompt')}
      </Line>
    </Frame>
  );
}

const PICK_INDICATOR = 3;

/** The first item shown of a list of `total` in `limit` rows, so that `selected` is on screen. */
export function pickerWindow(selected: number, total: number, limit: number): number {
  return Math.max(0, Math.min(selected - limit + 1, total - limit));
}

export interface PickerViewProps {
  dialog: PickerDialog;
  width: number;
  height: number;
}

// The picker draws the store's `selected`; the keys that move it are the app's (handle-key.ts), so
// a key typed the moment the picker opens is never lost (a list with its own key listener, attached
// after its first frame, dropped such keys: the cluster e2e test failed that way in CI).
export function PickerView({ dialog, width, height }: PickerViewProps): React.JSX.Element {
  const theme = useTheme();
  const w = dialogWidth(width);
  const inner = w - 2 - PICK_INDICATOR;
  const limit = pickerRows(height);
  const first = pickerWindow(dialog.selected, dialog.items.length, limit);
  const shown = dialog.items.slice(first, first + limit);
  return (
    <Frame title={dialog.title} width={w}>
      {dialog.items.length === 0 ? (
        <Line width={w} dimColor>
          (nothing to pick)
        </Line>
      ) : (
        shown.map((it, i) => {
          const on = first + i === dialog.selected;
          return (
            <Text key={it.value} wrap="truncate">
              <Text color={tint(theme, 'cyan')}>{on ? ' > ' : '   '}</Text>
              <Text inverse={on}>{fit(it.hint ? `${it.label}  ${it.hint}` : it.label, inner)}</Text>
            </Text>
          );
        })
      )}
      <Line width={w} dimColor>
        {footerText('picker')}
      </Line>
    </Frame>
  );
}

/** How many items a picker shows in a screen area `height` rows high (frame, title, footer). */
export function pickerRows(height: number): number {
  return Math.max(1, height - 4);
}

/** A scrolled window of text lines with a title line and a footer. */
function Scrolled({
  title,
  lines,
  scroll,
  width,
  height,
}: {
  title: string;
  lines: readonly string[];
  scroll: number;
  width: number;
  height: number;
}): React.JSX.Element {
  const body = Math.max(1, height - 1);
  const start = Math.min(Math.max(0, scroll), Math.max(0, lines.length - body));
  const shown = lines.slice(start, start + body);
  const more = lines.length > body ? `  ${start + 1}-${start + shown.length}/${lines.length}` : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse wrap="truncate">
        {fit(`${title}${more}`, width)}
      </Text>
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate" bold={l !== '' && !l.startsWith(' ')}>
          {fit(l, width)}
        </Text>
      ))}
    </Box>
  );
}

/** Help lines, generated from the registry. */
export function helpLines(readOnly: boolean): string[] {
  const out: string[] = [];
  for (const s of helpSections(readOnly)) {
    out.push(s.title);
    const w = Math.max(...s.rows.map((r) => r.keys.length));
    for (const r of s.rows) out.push(`  ${r.keys.padEnd(w)}  ${r.description}`);
    out.push('');
  }
  if (readOnly) out.push('Read-only mode: commands that change anything are hidden and refused.');
  return out;
}

export function HelpView({
  scroll,
  readOnly,
  width,
  height,
}: {
  scroll: number;
  readOnly: boolean;
  width: number;
  height: number;
}): React.JSX.Element {
  return (
    <Scrolled
      title="lxtop keys"
      lines={helpLines(readOnly)}
      scroll={scroll}
      width={width}
      height={height}
    />
  );
}

export function HistoryView({ dialog, width, height }: { dialog: HistoryDialog; width: number; height: number }): React.JSX.Element {
  const lines = dialog.error ? [`error: ${dialog.error}`] : dialog.loading ? ['loading…'] : dialog.lines.length ? dialog.lines : ['(no output yet)'];
  return <Scrolled title={dialog.title} lines={lines} scroll={dialog.scroll} width={width} height={height} />;
}

/** The instance's own section (name, status…) first, then the history's graphs, then the rest. */
export function detailWithHistory(detail: readonly string[], history: readonly string[]): string[] {
  const head = detail.indexOf('') + 1;
  return [...detail.slice(0, head), ...history, ...detail.slice(head)];
}

export function DetailView({
  dialog,
  width,
  height,
  series,
  now = 0,
}: {
  dialog: DetailDialog;
  width: number;
  height: number;
  /** The instance's history: graphs above the details. */
  series?: HistorySeries;
  now?: number;
}): React.JSX.Element {
  const name = dialog.detail?.instance.name ?? dialog.key.slice(dialog.key.indexOf('/') + 1);
  const lines = dialog.detail
    ? detailWithHistory(detailLines(dialog.detail), historyLines(series, now, width))
    : dialog.error
      ? [`error: ${dialog.error}`]
      : dialog.loading
        ? ['loading…']
        : [];
  return (
    <Scrolled
      title={`Instance ${name}`}
      lines={lines}
      scroll={dialog.scroll}
      width={width}
      height={height}
    />
  );
}
