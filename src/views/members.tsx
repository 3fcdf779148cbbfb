// The cluster members view (key 4 on a clustered server): name, status, roles, message and URL of
// each member, from the store's `members` (the controller lists them every 10 s and on
// cluster-member-* events). Drawn over the body like the help view.
import React from 'react';
import { Box, Text } from 'ink';
import type { ClusterMember } from '../lxd/types.js';
import { formatLine, headerCells, layoutColumns, naturalWidths, type ColumnSpec } from './columns.js';
import { fit } from './format.js';
import { tint, useTheme } from './theme.js';

export const MEMBER_COLUMNS: readonly ColumnSpec[] = [
  { id: 'name', title: 'NAME', min: 6, max: 24, priority: 0 },
  { id: 'status', title: 'STATUS', min: 7, max: 10, priority: 1 },
  { id: 'roles', title: 'ROLES', min: 8, max: 40, priority: 3 },
  { id: 'message', title: 'MESSAGE', min: 8, max: 40, priority: 2, greedy: true },
  { id: 'url', title: 'URL', min: 10, max: 32, priority: 4 },
];

export function memberCells(m: ClusterMember): Record<string, string> {
  return {
    name: m.server_name || '-',
    status: m.status || 'Unknown',
    roles: (m.roles ?? []).filter((r) => typeof r === 'string').join(',') || '-',
    message: m.message || '-',
    url: m.url || '-',
  };
}

/** Online green, Offline red, anything else (Evacuated, Blocked…) yellow. */
export function memberStatusColor(status: string): string {
  return status === 'Online' ? 'green' : status === 'Offline' ? 'red' : 'yellow';
}

/** Header and row lines at `width`, members by name. */
export function memberLines(members: readonly ClusterMember[], width: number): { header: string; rows: { text: string; status: string }[] } {
  const sorted = [...members].sort((a, b) => (a.server_name ?? '').localeCompare(b.server_name ?? ''));
  const cells = sorted.map(memberCells);
  const columns = layoutColumns(MEMBER_COLUMNS, Math.max(1, width), naturalWidths(MEMBER_COLUMNS, cells));
  return {
    header: formatLine(columns, headerCells(columns, null)),
    rows: cells.map((c) => ({ text: formatLine(columns, c), status: c.status })),
  };
}

export function MembersView({
  members,
  scroll,
  width,
  height,
}: {
  members: readonly ClusterMember[] | null;
  scroll: number;
  width: number;
  height: number;
}): React.JSX.Element {
  const theme = useTheme();
  const inner = Math.max(1, width - 2);
  const title = members === null ? ' Cluster members (loading…)' : ` Cluster members (${members.length})`;
  if (members === null || members.length === 0) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Text bold wrap="truncate">{fit(title, width)}</Text>
        <Text dimColor wrap="truncate">{fit(members === null ? '  loading…' : '  no members', width)}</Text>
      </Box>
    );
  }
  const { header, rows } = memberLines(members, inner);
  const shown = rows.slice(Math.min(scroll, Math.max(0, rows.length - 1)), scroll + Math.max(1, height - 2));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">{fit(title, width)}</Text>
      <Text bold wrap="truncate">{fit(`  ${header}`, width)}</Text>
      {shown.map((r, i) => (
        <Text key={i} wrap="truncate" color={tint(theme, memberStatusColor(r.status))}>
          {fit(`  ${r.text}`, width)}
        </Text>
      ))}
    </Box>
  );
}
