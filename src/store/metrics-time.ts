// The time base of `/1.0/metrics` figures. LXD 5.0 and Incus 6 compute the metrics of a project
// once and serve that computation to every request for 8 s (per project; a request that finds
// the entry expired takes a lock, and requests arriving meanwhile wait on it and get the same
// entry: lxd/api_metrics.go, cmd/incusd/api_metrics.go). So the counters in an answer were read
// when the entry was computed, not when lxtop asked; CPU % = Δ CPU seconds / Δ computation time.
//
//   same counters as the last answer,  the same entry: no new sample (the figures' time stays the
//   asked while that entry may still   entry's; its age keeps growing, truthfully)
//   have been valid
//   same counters, asked after that    a new computation whose counters did not move (idle
//   entry expired                      instances: no CPU, no traffic, the same memory, which is
//                                      common): a new entry, timed like any other (CPU % 0)
//   new counters, slow answer (cold)   computed for this request (or while it waited on the lock):
//                                      at the answer's end, the counters read since it was sent
//   new counters, quick answer (hit)   computed by another observer (another lxtop, Prometheus,
//                                      `incus top`) before this request: no earlier than 8 s
//                                      before it was sent, nor earlier than 8 s after the entry
//                                      before it (an entry is recomputed only once expired)
// The estimate is the middle of what is possible; `lo` (the earliest) is what the screen shows,
// so the figures never look fresher than they are. A quick answer is one under three times the
// hits' own latency (learned from answers with unchanged counters asked within the entry's life,
// which are surely hits; a computation's latency taught as a hit's would make cold answers look
// like hits and date them seconds too early).
// An entry expires 8 s after its computation ended (which was before its first answer arrived,
// `hi`): a request sent later cannot be answered from it, whatever its counters say. Only answers
// within that window with the same counters are taken as the same entry (and teach the hits'
// latency); an entry of idle instances computed again (the same counters) within that window is
// missed, which only ages the figures.
import { METRICS_CACHE_MS } from './plan.js';

export interface EntryTime {
  /** The estimate: when the daemon computed the entry (epoch ms). */
  at: number;
  /** The earliest and latest it can have been. */
  lo: number;
  hi: number;
  /** Computed for this request (or while it waited): `at` is exact to the answer's latency. */
  cold: boolean;
}

export interface MetricsFetch {
  sentAt: number;
  receivedAt: number;
  fingerprint: string;
}

/** A quick answer: the hits' latency as a start (unix socket, a few hundred KB of text). */
const INITIAL_HIT_MS = 20;
const COLD_FACTOR = 3;
const COLD_MARGIN_MS = 30;

/** The entries of one daemon (cluster member), per project: each project is its own cache entry. */
export class MetricsClock {
  private readonly last = new Map<string, { fingerprint: string; time: EntryTime }>();
  private hitMs = INITIAL_HIT_MS;
  private hits = 0;

  constructor(private readonly cacheMs = METRICS_CACHE_MS) {}

  /** Whether an answer that took this long was computed for it (rather than read from the cache). */
  isCold(latencyMs: number): boolean {
    return latencyMs > Math.max(COLD_FACTOR * this.hitMs, this.hitMs + COLD_MARGIN_MS);
  }

  /** The entry time of a project's figures in an answer; null when it is the entry seen last (nothing new). */
  observe(f: MetricsFetch, project = ''): EntryTime | null {
    const latency = Math.max(0, f.receivedAt - f.sentAt);
    const last = this.last.get(project) ?? null;
    // The last entry may still have answered this request (it had not expired when the request was sent).
    const mayBeLast = last !== null && f.sentAt <= last.time.hi + this.cacheMs;
    if (last && mayBeLast && last.fingerprint === f.fingerprint) {
      // Surely a hit: learn what a hit takes.
      this.hits++;
      this.hitMs += Math.max(0.2, 1 / this.hits) * (latency - this.hitMs);
      return null;
    }
    let time: EntryTime;
    if (this.isCold(latency)) {
      time = { at: f.receivedAt, lo: f.sentAt, hi: f.receivedAt, cold: true };
    } else {
      let lo = f.sentAt - this.cacheMs;
      if (last) lo = Math.max(lo, last.time.lo + this.cacheMs);
      const hi = f.receivedAt;
      lo = Math.min(lo, hi);
      time = { at: Math.round((lo + hi) / 2), lo, hi, cold: false };
    }
    if (last && time.at <= last.time.at) time = { ...time, at: last.time.at + 1 };
    this.last.set(project, { fingerprint: f.fingerprint, time });
    return time;
  }

  /** The last entry's time of a project (null before any). */
  lastTime(project = ''): EntryTime | null {
    return this.last.get(project)?.time ?? null;
  }
}
