// The snapshots view: a title (the instance, how many), the schedule and expiry settings, a header,
// then the page of snapshots, newest first, the selected one in inverse video with a `>`.
import React from 'react';
import { Box, Text } from 'ink';
import { parseInstanceKey } from '../store/index.js';
import { fit } from './format.js';
import { settingsLine, snapshotHeader, snapshotLine, type SnapshotsDialog } from './snapshots.js';

export function SnapshotsView({ dialog, config, width, height }: { dialog: SnapshotsDialog; config: Readonly<Record<string, string>>; width: number; height: number }): React.JSX.Element {
  const name = parseInstanceKey(dialog.key).name;
  const page = Math.max(1, height - 3);
  const shown = dialog.items.slice(dialog.scroll, dialog.scroll + page);
  const state = dialog.error ? `  error: ${dialog.error}` : dialog.loading ? '  reading…' : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse wrap="truncate">
        {fit(`Snapshots of ${name}: ${dialog.items.length}, newest first${state}`, width)}
      </Text>
      <Text wrap="truncate">{fit(` ${settingsLine(config)}`, width)}</Text>
      <Text bold wrap="truncate">
        {` ${snapshotHeader(width - 1)}`}
      </Text>
      {shown.length === 0 && !dialog.loading ? (
        <Text wrap="truncate">{fit(` no snapshots (n makes one)`, width)}</Text>
      ) : (
        shown.map((s, i) => {
          const selected = dialog.scroll + i === dialog.selected;
          return (
            <Text key={s.name} inverse={selected} wrap="truncate">
              {`${selected ? '>' : ' '}${snapshotLine(s, width - 1)}`}
            </Text>
          );
        })
      )}
    </Box>
  );
}
