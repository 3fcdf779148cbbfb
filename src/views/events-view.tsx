// The events view: a title (how many, the filter), a header, then the page of rows, newest first,
// the selected one in inverse video with a `>` (readable with NO_COLOR). Only the page is drawn.
import React from 'react';
import { Box, Text } from 'ink';
import type { EventRow } from '../store/event-log.js';
import { fit } from './format.js';
import { eventHeader, eventLineCells, shownEvents, type EventsDialog } from './events.js';

export function EventsView({ dialog, log, width, height }: { dialog: EventsDialog; log: readonly EventRow[]; width: number; height: number }): React.JSX.Element {
  const rows = shownEvents(log, dialog.filter);
  const page = Math.max(1, height - 2);
  const shown = rows.slice(dialog.scroll, dialog.scroll + page);
  const cols = { members: shown.some((r) => r.location !== ''), remotes: shown.some((r) => r.remote !== undefined) };
  const count = dialog.filter === '' ? `${log.length}` : `${rows.length} of ${log.length}`;
  const filter = dialog.filter !== '' ? `  /${dialog.filter}` : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse wrap="truncate">
        {fit(`Events ${count}, newest first${filter}`, width)}
      </Text>
      <Text bold wrap="truncate">
        {` ${eventHeader(width - 1, cols)}`}
      </Text>
      {shown.length === 0 ? (
        <Text wrap="truncate">{fit(log.length === 0 ? ' no events since lxtop started' : ' no event matches the filter', width)}</Text>
      ) : (
        shown.map((r, i) => {
          const selected = dialog.scroll + i === dialog.selected;
          return (
            <Text key={`${r.remote ?? ''}/${r.seq}`} inverse={selected} wrap="truncate">
              {`${selected ? '>' : ' '}${eventLineCells(r, width - 1, cols)}`}
            </Text>
          );
        })
      )}
    </Box>
  );
}
