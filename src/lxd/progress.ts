// The progress figures a long operation's metadata carries, as numbers. Both LXD 5.0 and Incus 6
// send, while an image is packed or unpacked, `metadata.progress` {stage, percent, speed} (strings:
// "45", bytes/s "12345678") beside a `<stage>_progress` text ("Unpack: 45% (12.30MB/s)"); a
// migration's rsync sends only a text without a percentage ("rootfs: 12.34MB (4.50MB/s)"); backups,
// imports and moves within a cluster send nothing. Recorded frames: test/fixtures/lxd/progress-metadata.json.

export interface Progress {
  /** What is being done (`create_instance_from_image_unpack`, `fs`…); '' when not said. */
  stage: string;
  /** 0-100, or null when the daemon gives no percentage. */
  percent: number | null;
  /** Bytes a second, or null. */
  speed: number | null;
  /** Bytes done so far (the texts without a percentage), or null. */
  done: number | null;
}

const UNITS: Record<string, number> = { '': 1, B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 1024, MIB: 1024 ** 2, GIB: 1024 ** 3, TIB: 1024 ** 4 };

/** "12.30MB" → 12300000 (LXD writes decimal units: units.GetByteSizeString). */
export function parseSize(text: string): number | null {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([KMGT]i?B|B)?\s*$/i.exec(text);
  if (!m) return null;
  const unit = UNITS[(m[2] ?? '').toUpperCase()];
  return unit === undefined ? null : Number(m[1]) * unit;
}

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** "Unpack: 45% (12.30MB/s)", "rootfs: 12.34MB (4.50MB/s)", "45% (1.2MB/s)". */
export function parseProgressText(stage: string, text: string): Progress | null {
  const m = /^(?:(.*?):\s*)?(?:([0-9]+(?:\.[0-9]+)?)%|([0-9.]+\s*[KMGT]?i?B))?\s*(?:\(([^)]*?)\/s\))?\s*$/i.exec(text.trim());
  if (!m || (m[2] === undefined && m[3] === undefined && m[4] === undefined)) return null;
  return {
    stage: m[1]?.trim() || stage,
    percent: m[2] !== undefined ? Math.min(100, Number(m[2])) : null,
    speed: m[4] !== undefined ? parseSize(m[4]) : null,
    done: m[3] !== undefined ? parseSize(m[3]) : null,
  };
}

/**
 * The operation's progress, or null when its metadata has none. The structured `progress` keeps the
 * last stage that set it: a migration that unpacked the image and then rsyncs the rest still carries
 * the unpack's "100%" beside its live `fs_progress` text. A text of another stage is the newer one.
 */
export function operationProgress(metadata: Record<string, unknown> | null | undefined): Progress | null {
  if (!metadata || typeof metadata !== 'object') return null;
  const p = metadata.progress;
  let structured: Progress | null = null;
  if (p && typeof p === 'object') {
    const o = p as Record<string, unknown>;
    const percent = num(o.percent);
    const speed = num(o.speed);
    const done = num(o.processed);
    if (percent !== null || speed !== null || done !== null) {
      structured = { stage: typeof o.stage === 'string' ? o.stage : '', percent: percent === null ? null : Math.min(100, percent), speed, done };
    }
  }
  let text: Progress | null = null;
  for (const [key, value] of Object.entries(metadata)) {
    if (!key.endsWith('_progress') || typeof value !== 'string') continue;
    const stage = key.slice(0, -'_progress'.length);
    const parsed = parseProgressText(stage, value);
    if (parsed === null) continue;
    if (structured !== null && stage !== structured.stage) return parsed;
    text ??= parsed;
  }
  return structured ?? text;
}

/** lxtop's own count of bytes moved, as the daemon's figures: the rate over the last two seconds. */
export class ByteMeter {
  private readonly points: { at: number; bytes: number }[] = [];
  private bytes = 0;
  private total: number | null = null;
  constructor(private readonly stage: string, private readonly clock: () => number = Date.now) {}

  update(bytes: number, total: number | null): void {
    const at = this.clock();
    this.bytes = bytes;
    this.total = total;
    this.points.push({ at, bytes });
    while (this.points.length > 2 && at - this.points[1].at >= 2000) this.points.shift();
  }

  progress(): Progress {
    const first = this.points[0];
    const last = this.points[this.points.length - 1];
    const span = first && last ? last.at - first.at : 0;
    const speed = span >= 200 ? ((last.bytes - first.bytes) * 1000) / span : null;
    const percent = this.total ? (this.bytes * 100) / this.total : null;
    return { stage: this.stage, percent, speed, done: this.bytes };
  }
}
