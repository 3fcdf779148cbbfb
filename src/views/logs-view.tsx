// The logs view: a title line (file, instance, position, follow and search state), then the page
// of lines with the search's matches in inverse video (readable with NO_COLOR), the current
// match's line marked `>`. Only the page is drawn, whatever the log's length.
import React from 'react';
import { Box, Text } from 'ink';
import { fit, truncate } from './format.js';
import { highlight, type LogsDialog } from './logs.js';
import { tint, useTheme } from './theme.js';

/** The lines of the body a page of the log takes (the title takes one). */
export function logPage(height: number): number {
  return Math.max(1, height - 1);
}

function title(d: LogsDialog, shown: number): string {
  const name = d.key.slice(d.key.indexOf('/') + 1);
  const what = d.which === 'console' ? `console log of ${name}` : `${d.file || 'log'} of ${name}`;
  const where = d.lines.length > 0 ? `  ${d.scroll + 1}-${d.scroll + shown}/${d.lines.length}` : '';
  const follow = d.follow ? '  [follow]' : '';
  const search = d.query !== '' ? `  /${d.query}${d.match === -1 ? ' (no match)' : ` (line ${d.match + 1})`}` : '';
  return `${what}${where}${follow}${search}`;
}

export function LogsView({ dialog, width, height }: { dialog: LogsDialog; width: number; height: number }): React.JSX.Element {
  const theme = useTheme();
  const page = logPage(height);
  const shown = dialog.lines.slice(dialog.scroll, dialog.scroll + page);
  const body = dialog.error
    ? [<Text key="e" color={tint(theme, 'red')} wrap="truncate">{fit(`error: ${dialog.error}`, width)}</Text>]
    : dialog.loading && dialog.lines.length === 0
      ? [<Text key="l" wrap="truncate">{fit('loading…', width)}</Text>]
      : shown.map((line, i) => {
          const at = dialog.scroll + i;
          const text = truncate(`${at === dialog.match ? '>' : ' '}${line.replace(/\t/g, '    ')}`, width);
          return (
            <Text key={i} wrap="truncate">
              {highlight(text, dialog.query).map((p, j) => (
                <Text key={j} inverse={p.match} color={p.match ? tint(theme, 'yellow') : undefined}>
                  {p.text}
                </Text>
              ))}
            </Text>
          );
        });
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse wrap="truncate">
        {fit(title(dialog, shown.length), width)}
      </Text>
      {body}
    </Box>
  );
}
