// Bounded concurrency for the controller's fan-outs (snapshot counts, bulk actions, `/state` rounds).

/** Runs `fn` over `items`, at most `limit` at a time; never rejects (fn must catch its own errors). */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch {
        // fn reports its own errors
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
