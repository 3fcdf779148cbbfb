import { describe, expect, it } from 'vitest';
import {
  defaultSnapshotName,
  fit,
  formatAge,
  formatBytes,
  formatPercent,
  formatRate,
  splitCommand,
  truncate,
  width,
  wrapText,
} from '../../../src/views/format.js';
import { layoutColumns, naturalWidths, formatLine, headerCells, type ColumnSpec } from '../../../src/views/columns.js';

describe('formatting', () => {
  it('formats sizes, rates and percentages', () => {
    expect(formatBytes(0)).toBe('0B');
    expect(formatBytes(1536)).toBe('1.5KiB');
    expect(formatBytes(52 * 1024 * 1024)).toBe('52.0MiB');
    expect(formatBytes(300 * 1024 * 1024 * 1024)).toBe('300GiB');
    expect(formatBytes(null)).toBe('-');
    expect(formatRate(2048)).toBe('2.0KiB/s');
    expect(formatRate(null)).toBe('-');
    expect(formatPercent(12.345)).toBe('12.3%');
    expect(formatPercent(250.4)).toBe('250%');
    expect(formatPercent(null)).toBe('-');
  });

  it('formats ages and treats the API zero time as unknown', () => {
    const now = Date.parse('2025-01-15T12:00:00Z');
    expect(formatAge('2025-01-15T11:59:30Z', now)).toBe('30s');
    expect(formatAge('2025-01-15T11:00:00Z', now)).toBe('1h');
    expect(formatAge('2025-01-14T12:00:00Z', now)).toBe('24h');
    expect(formatAge('2025-01-01T12:00:00Z', now)).toBe('14d');
    expect(formatAge('0001-01-01T00:00:00Z', now)).toBe('-');
    expect(formatAge(undefined, now)).toBe('-');
  });

  it('makes a snapshot name like snap-YYYYMMDD-HHMMSS', () => {
    expect(defaultSnapshotName(Date.now())).toMatch(/^snap-\d{8}-\d{6}$/);
  });

  it('truncates and pads by terminal columns', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(fit('ab', 4)).toBe('ab  ');
    expect(fit('ab', 4, 'right')).toBe('  ab');
    expect(fit('a\nb', 4)).toBe('a b ');
    expect(width('日本')).toBe(4);
    expect(width(fit('日本語です', 5))).toBe(5);
  });

  it('splits command lines like a shell, without a shell', () => {
    expect(splitCommand('ps aux')).toEqual(['ps', 'aux']);
    expect(splitCommand(`sh -c 'echo "a b"; ls'`)).toEqual(['sh', '-c', 'echo "a b"; ls']);
    expect(splitCommand('echo "x \\" y" z\\ w')).toEqual(['echo', 'x " y', 'z w']);
    expect(splitCommand("a '' b")).toEqual(['a', '', 'b']);
    expect(splitCommand('   ')).toEqual([]);
  });

  it('wraps words', () => {
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('a\nb', 10)).toEqual(['a', 'b']);
  });
});

describe('columns', () => {
  const specs: ColumnSpec[] = [
    { id: 'name', title: 'NAME', min: 6, max: 20, priority: 0, greedy: true },
    { id: 'status', title: 'STATUS', min: 7, priority: 1 },
    { id: 'cpu', title: 'CPU%', min: 6, align: 'right', priority: 2, sort: 'cpu' },
    { id: 'ip', title: 'IPV4', min: 7, max: 15, priority: 3 },
    { id: 'age', title: 'AGE', min: 4, align: 'right', priority: 4 },
  ];

  it('keeps every column when there is room, display order preserved', () => {
    expect(layoutColumns(specs, 80).map((c) => c.spec.id)).toEqual(['name', 'status', 'cpu', 'ip', 'age']);
  });

  it('drops the least important columns first as the width shrinks', () => {
    expect(layoutColumns(specs, 30).map((c) => c.spec.id)).toEqual(['name', 'status', 'cpu', 'ip']);
    expect(layoutColumns(specs, 21).map((c) => c.spec.id)).toEqual(['name', 'status', 'cpu']);
    expect(layoutColumns(specs, 14).map((c) => c.spec.id)).toEqual(['name', 'status']);
    expect(layoutColumns(specs, 3).map((c) => c.spec.id)).toEqual(['name']);
  });

  it('grows columns to their content, greedy ones last, never beyond the width', () => {
    const rows = [{ name: 'a-very-long-instance-name', status: 'Running', cpu: '1.0%', ip: '10.100.200.250', age: '3d' }];
    const laid = layoutColumns(specs, 60, naturalWidths(specs, rows));
    const w = Object.fromEntries(laid.map((c) => [c.spec.id, c.width]));
    expect(w.ip).toBe(14);
    expect(w.name).toBe(20);
    const total = laid.reduce((n, c) => n + c.width, 0) + laid.length - 1;
    expect(total).toBeLessThanOrEqual(60);
    const line = formatLine(laid, rows[0]);
    expect(line).toContain('10.100.200.250');
    expect(line.length).toBe(total);
  });

  it('marks the sorted column in the header', () => {
    const laid = layoutColumns(specs, 80);
    expect(headerCells(laid, { column: 'cpu', direction: 'desc' }).cpu).toBe('↓CPU%');
    expect(headerCells(laid, { column: 'cpu', direction: 'asc' }).cpu).toBe('↑CPU%');
    expect(headerCells(laid, null).cpu).toBe('CPU%');
  });
});
