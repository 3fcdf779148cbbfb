// The files view: a title (the instance, the directory, how many entries), a header, then the page
// of entries, the selected one in inverse video with a `>`.
import React from 'react';
import { Box, Text } from 'ink';
import { parseInstanceKey } from '../store/index.js';
import { fit } from './format.js';
import { fileLine, filesHeader, type FilesDialog } from './files.js';

export function FilesView({ dialog, width, height }: { dialog: FilesDialog; width: number; height: number }): React.JSX.Element {
  const name = parseInstanceKey(dialog.key).name;
  const page = Math.max(1, height - 2);
  const shown = dialog.items.slice(dialog.scroll, dialog.scroll + page);
  const state = dialog.loading ? '  reading…' : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse wrap="truncate">
        {fit(`Files of ${name}: ${dialog.path} (${dialog.items.length})${state}`, width)}
      </Text>
      <Text bold wrap="truncate">
        {` ${filesHeader(width - 1)}`}
      </Text>
      {dialog.error ? (
        <Text wrap="truncate">{fit(` error: ${dialog.error}`, width)}</Text>
      ) : shown.length === 0 && !dialog.loading ? (
        <Text wrap="truncate">{fit(' empty directory', width)}</Text>
      ) : (
        shown.map((r, i) => {
          const selected = dialog.scroll + i === dialog.selected;
          return (
            <Text key={r.name} inverse={selected} wrap="truncate">
              {`${selected ? '>' : ' '}${fileLine(r, width - 1)}`}
            </Text>
          );
        })
      )}
    </Box>
  );
}
