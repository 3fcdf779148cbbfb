// The progress figures of long operations, parsed from metadata recorded from the real daemons
// (test/fixtures/*/progress-metadata.json: LXD 5.0 and Incus 6 while copying, moving, publishing,
// backing up), drawn as the operations pane and the command line draw them; lxtop's own byte meter.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ByteMeter, operationProgress, parseProgressText, parseSize } from '../../../src/lxd/progress.js';
import { bar, formatRate, progressText } from '../../../src/store/progress-text.js';

type Recorded = { description: string; metadata: Record<string, unknown> };
const load = (kind: string): Recorded[] => JSON.parse(readFileSync(new URL(`../../fixtures/${kind}/progress-metadata.json`, import.meta.url), 'utf8')) as Recorded[];
const lxd = load('lxd');
const incus = load('incus');
const find = (list: Recorded[], test: (m: Record<string, unknown>) => boolean) => {
  const r = list.find((x) => test(x.metadata));
  if (!r) throw new Error('fixture missing');
  return r.metadata;
};

describe('operationProgress on recorded metadata', () => {
  it('LXD image unpack: percent and speed from metadata.progress', () => {
    const m = find(lxd, (x) => String(x.create_instance_from_image_unpack_progress ?? '').startsWith('Unpack: 10%'));
    expect(operationProgress(m)).toEqual({ stage: 'create_instance_from_image_unpack', percent: 10, speed: 140012448, done: null });
  });

  it('LXD migration: the live fs_progress text wins over the stale 100% of the unpack', () => {
    const m = find(lxd, (x) => typeof x.fs_progress === 'string' && x.progress !== undefined);
    const p = operationProgress(m);
    expect(p).toEqual({ stage: 's7big', percent: null, speed: 31.4e6, done: 31.44e6 });
    expect(progressText(p, 0)).toBe('| 31.4MB 31.4MB/s');
  });

  it('LXD migration source: the rsync text alone', () => {
    const m = find(lxd, (x) => typeof x.fs_progress === 'string' && x.control !== undefined);
    expect(operationProgress(m)).toMatchObject({ stage: 's7big', percent: null, speed: 35.76e6, done: 35.78e6 });
  });

  it('LXD and Incus image pack (publish): percent and speed', () => {
    expect(operationProgress(find(lxd, (x) => String(x.create_image_from_container_pack_progress ?? '').includes('4%')))).toMatchObject({ percent: 4, speed: 43995615 });
    expect(operationProgress(find(incus, (x) => x.create_image_from_container_pack_progress !== undefined))).toMatchObject({ percent: 1, speed: 4649469 });
  });

  it('Incus backup: a text without a stage or a percentage', () => {
    const m = find(incus, (x) => x.create_backup_progress !== undefined);
    const p = operationProgress(m)!;
    expect(p).toMatchObject({ stage: 'create_backup', percent: null });
    expect(p.speed).toBeCloseTo(31.8e6, 0);
    expect(p.done).toBeCloseTo(32.01e6, 0);
  });

  it('a text without figures, a finished publish and no metadata: none (the spinner)', () => {
    expect(operationProgress(find(lxd, (x) => x.container_progress !== undefined))).toBeNull();
    expect(operationProgress(find(incus, (x) => x.fingerprint !== undefined))).toBeNull();
    expect(operationProgress(null)).toBeNull();
    expect(progressText(null, 250)).toBe('/');
  });
});

describe('drawing', () => {
  it('bar, percentage and rate', () => {
    expect(bar(45, 12)).toBe('[#####-----]');
    expect(progressText({ stage: 'x', percent: 45, speed: 12.3e6, done: null }, 0, 12)).toBe('[#####-----] 45% 12.3MB/s');
    expect(bar(100, 6)).toBe('[####]');
    expect(bar(0, 6)).toBe('[----]');
    expect(formatRate(999)).toBe('999B/s');
    expect(formatRate(1.5e9)).toBe('1.5GB/s');
  });

  it('sizes and texts', () => {
    expect(parseSize('12.30MB')).toBe(12.3e6);
    expect(parseSize('1KiB')).toBe(1024);
    expect(parseSize('twelve')).toBeNull();
    expect(parseProgressText('x', 'Unpacking image: 10% (189.94MB/s)')).toEqual({ stage: 'Unpacking image', percent: 10, speed: 189.94e6, done: null });
    expect(parseProgressText('x', 'Remapping container filesystem')).toBeNull();
  });
});

describe('ByteMeter', () => {
  it('the rate over the last two seconds, the percentage of a known total', () => {
    let now = 0;
    const m = new ByteMeter('download', () => now);
    m.update(0, 100e6);
    expect(m.progress().speed).toBeNull();
    for (let i = 1; i <= 10; i++) {
      now = i * 500;
      m.update(i * 5e6, 100e6); // 10 MB/s
    }
    expect(m.progress()).toEqual({ stage: 'download', percent: 50, speed: 10e6, done: 50e6 });
    // A slower second: the window follows it.
    for (let i = 1; i <= 6; i++) {
      now = 5000 + i * 500;
      m.update(50e6 + i * 1e6, 100e6); // 2 MB/s
    }
    expect(m.progress().speed).toBeCloseTo(2e6, -3);
  });
});
