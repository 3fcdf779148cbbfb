// The resources view (6 profiles, 7 networks, 8 storage pools, Enter on a pool: its volumes): a
// title, a header, then the page of rows, the selected one in inverse video with a `>`.
import React from 'react';
import { Box, Text } from 'ink';
import { fit } from './format.js';
import { resourceLines, resourcesTitle, type ResourcesDialog } from './resources.js';

export function ResourcesView({ dialog, width, height }: { dialog: ResourcesDialog; width: number; height: number }): React.JSX.Element {
  const page = Math.max(1, height - 2);
  const shown = dialog.items.slice(dialog.scroll, dialog.scroll + page);
  const { header, lines } = resourceLines(dialog.what, shown, width - 1);
  const empty = dialog.loading ? ' reading…' : dialog.error ? ` ${dialog.error}` : ' none (n makes one)';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse wrap="truncate">
        {fit(resourcesTitle(dialog), width)}
      </Text>
      <Text bold wrap="truncate">{` ${header}`}</Text>
      {shown.length === 0 ? (
        <Text wrap="truncate">{fit(empty, width)}</Text>
      ) : (
        shown.map((r, i) => {
          const selected = dialog.scroll + i === dialog.selected;
          return (
            <Text key={`${r.type}/${r.name}`} inverse={selected} wrap="truncate">
              {`${selected ? '>' : ' '}${lines[i]}`}
            </Text>
          );
        })
      )}
    </Box>
  );
}
