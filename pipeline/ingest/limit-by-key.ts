/**
 * Runs tasks with at most `limit` in flight overall and at most `perKey` in flight for any one
 * key (feeds: at most 2 requests at a time to one host). Results keep the input order.
 */
export async function limitByKey<T>(
  tasks: ReadonlyArray<{ key: string; run: () => Promise<T> }>,
  limit: number,
  perKey: number,
): Promise<T[]> {
  if (!(limit >= 1) || !(perKey >= 1)) throw new RangeError(`limits must be at least 1 (got ${limit}, ${perKey})`);
  const results = new Array<T>(tasks.length);
  const waiting = tasks.map((_task, index) => index);
  const active = new Map<string, number>();
  let running = 0;

  return new Promise<T[]>((resolve, reject) => {
    let failed = false;
    const pump = () => {
      if (failed) return;
      if (waiting.length === 0 && running === 0) {
        resolve(results);
        return;
      }
      for (let position = 0; position < waiting.length && running < limit; ) {
        const index = waiting[position]!;
        const task = tasks[index]!;
        if ((active.get(task.key) ?? 0) >= perKey) {
          position++;
          continue;
        }
        waiting.splice(position, 1);
        running++;
        active.set(task.key, (active.get(task.key) ?? 0) + 1);
        task.run().then(
          (value) => {
            results[index] = value;
            running--;
            active.set(task.key, (active.get(task.key) ?? 1) - 1);
            pump();
          },
          (error: unknown) => {
            failed = true;
            reject(error);
          },
        );
      }
    };
    pump();
  });
}
