// Named one-shot timers that fire only while their owner may act (started, not paused, not stopped):
// the controller's loops (re-list, retry, prune, members) and the sampler's jobs. One timer per
// name: scheduling a name again replaces it; nothing is scheduled, and nothing fires, while
// `active()` is false, so a pause needs only `clearAll()` and a resume schedules afresh.

export interface Timers {
  /** Runs `fn` after `delay` ms (at least 0), replacing the timer of that name; not while inactive. */
  schedule(name: string, delay: number, fn: () => void | Promise<void>): void;
  clear(name: string): void;
  clearAll(): void;
  /** A timer of that name is waiting. */
  has(name: string): boolean;
  /** `fn` after `first` ms (default `period`), then every `period` ms after each run, under one name. */
  repeat(name: string, period: number, fn: () => void, first?: number): void;
}

export function createTimers(active: () => boolean): Timers {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  function clear(name: string): void {
    const t = timers.get(name);
    if (t !== undefined) clearTimeout(t);
    timers.delete(name);
  }
  function schedule(name: string, delay: number, fn: () => void | Promise<void>): void {
    clear(name);
    if (!active()) return;
    timers.set(
      name,
      setTimeout(() => {
        timers.delete(name);
        if (active()) void fn();
      }, Math.max(0, delay)),
    );
  }
  return {
    schedule,
    clear,
    clearAll() {
      for (const name of [...timers.keys()]) clear(name);
    },
    has: (name) => timers.has(name),
    repeat(name, period, fn, first = period) {
      const loop = () => {
        fn();
        schedule(name, period, loop);
      };
      schedule(name, first, loop);
    },
  };
}
