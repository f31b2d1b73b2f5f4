/**
 * A parse worker of `ingest` (see ingest-pool.ts): it receives feed bodies, turns each into
 * items and findings with the same code the main thread uses (readFeedEntries), and posts
 * them back.
 *
 * Why threads: on a long feed list parsing is most of ingest's CPU time; in workers it overlaps
 * the fetching of the next feeds and uses the other cores.
 */
import { parentPort } from 'node:worker_threads';
import { readFeedEntries } from './read-entries.ts';
import type { ParseAnswer, ParseJob } from './ingest-pool.ts';

const port = parentPort!;
// One body at a time, in the order sent: the pool knows which body a dying worker was on.
let previous: Promise<void> = Promise.resolve();
port.on('message', (job: ParseJob) => {
  previous = previous.then(() =>
    readFeedEntries(job.body).then(
      (entries) => port.postMessage({ id: job.id, entries } satisfies ParseAnswer),
      // A bug, not a bad feed (those are findings already): the feed fails, the worker lives on.
      (error: unknown) => port.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) } satisfies ParseAnswer),
    ),
  );
});
