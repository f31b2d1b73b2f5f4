/**
 * At most `perHost` requests in flight to one host, across every topic of a run: politeness is
 * owed to the server, not to the topic that happens to link it.
 */
export function createHostSlots(perHost: number) {
  if (!Number.isInteger(perHost) || perHost < 1) throw new RangeError(`perHost must be a positive integer, got ${perHost}`);
  const active = new Map<string, number>();
  const waiting = new Map<string, (() => void)[]>();

  async function acquire(host: string): Promise<void> {
    const busy = active.get(host) ?? 0;
    if (busy < perHost) {
      active.set(host, busy + 1);
      return;
    }
    await new Promise<void>((resolve) => {
      const queue = waiting.get(host) ?? [];
      queue.push(resolve);
      waiting.set(host, queue);
    });
  }

  function release(host: string): void {
    const next = waiting.get(host)?.shift();
    // The slot passes straight to the next waiter, so the count stays as it is.
    if (next) next();
    else active.set(host, (active.get(host) ?? 1) - 1);
  }

  return {
    async run<T>(host: string, task: () => Promise<T>): Promise<T> {
      await acquire(host);
      try {
        return await task();
      } finally {
        release(host);
      }
    },
  };
}

export type HostSlots = ReturnType<typeof createHostSlots>;
