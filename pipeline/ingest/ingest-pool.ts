/**
 * A small pool of worker threads that parse feed bodies for `ingest` while the main thread goes
 * on fetching (ingest-parse-worker.ts runs readFeedEntries on each body, in the order received).
 *
 * - Workers start on the first body, not before: a run where every feed answers 304 starts none.
 * - Each worker is handed a few bodies ahead (IN_FLIGHT), so it never sits idle waiting for the
 *   main thread to send the next one — on a busy machine that wait costs more than the parse.
 * - Isolation: a worker that dies (out of memory, a crash in the parser) costs the feed it was
 *   parsing one finding; the bodies queued behind it go to a fresh worker and the run goes on.
 *   After MAX_CRASHES lost workers no new ones start and the main thread parses what is left.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { FeedUnparseable } from '../errors/catalogue.ts';
import { findingFrom } from '../errors/finding.ts';
import { readFeedEntries, type FeedBody, type FeedEntries } from './read-entries.ts';

export interface ParseJob {
  id: number;
  body: FeedBody;
}

export type ParseAnswer = { id: number; entries: FeedEntries } | { id: number; error: string };

export interface ParsePoolOptions {
  /** Worker threads, at least 1. */
  size: number;
  /** Heap limits per worker (Node's defaults otherwise). */
  resourceLimits?: ResourceLimits | undefined;
}

interface Job {
  id: number;
  body: FeedBody;
  resolve: (entries: FeedEntries) => void;
}

interface Slot {
  worker: Worker;
  /** Sent and not yet answered, oldest first: the first one is the one being parsed. */
  jobs: Job[];
  dead: boolean;
}

const IN_FLIGHT = 4;
/** Workers a run may lose before the pool stops starting new ones (e.g. one that cannot even load). */
const MAX_CRASHES = 4;
const WORKER_FILE = new URL('./ingest-parse-worker.ts', import.meta.url);

export class FeedParsePool {
  readonly #size: number;
  readonly #resourceLimits: ResourceLimits | undefined;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #nextId = 0;
  #crashes = 0;
  #closed = false;

  constructor(options: ParsePoolOptions) {
    if (!(options.size >= 1)) throw new RangeError(`a parse pool needs at least 1 worker (got ${options.size})`);
    this.#size = options.size;
    this.#resourceLimits = options.resourceLimits;
  }

  /** The feed's entries; never rejects (a lost worker is a finding for the feed it was parsing). */
  parse(body: FeedBody): Promise<FeedEntries> {
    if (this.#closed) throw new Error('the parse pool is closed');
    if (this.#slots.length === 0) for (let index = 0; index < this.#size; index++) this.#slots.push(this.#spawn());
    return new Promise((resolve) => {
      this.#queue.push({ id: this.#nextId++, body, resolve });
      this.#dispatch();
    });
  }

  /** Stops the workers; call it when every parse has been answered. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((slot) => slot.worker.terminate()));
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      // The live worker with the fewest bodies in hand.
      let target: Slot | undefined;
      for (const slot of this.#slots) {
        if (!slot.dead && slot.jobs.length < IN_FLIGHT && (!target || slot.jobs.length < target.jobs.length)) target = slot;
      }
      if (!target) break;
      const job = this.#queue.shift()!;
      target.jobs.push(job);
      // Copied, not transferred: if the worker dies, the bodies behind the one that killed it are
      // sent again to another worker.
      target.worker.postMessage({ id: job.id, body: job.body } satisfies ParseJob);
    }
    if (this.#queue.length > 0 && this.#slots.every((slot) => slot.dead)) {
      // No thread left to parse with: the main thread does it.
      for (const job of this.#queue.splice(0)) {
        readFeedEntries(job.body).then(job.resolve, (error: unknown) => job.resolve(lostFeed(job.body, (error as Error).message)));
      }
    }
  }

  #spawn(): Slot {
    const worker = new Worker(WORKER_FILE, this.#resourceLimits ? { resourceLimits: this.#resourceLimits } : {});
    const slot: Slot = { worker, jobs: [], dead: false };
    worker.on('message', (answer: ParseAnswer) => {
      const job = slot.jobs.shift();
      if (!job) return;
      if (job.id !== answer.id) throw new Error(`parse worker answered job ${answer.id}, expected ${job.id}`);
      job.resolve('error' in answer ? lostFeed(job.body, answer.error) : answer.entries);
      this.#dispatch();
    });
    const lost = (reason: string) => {
      if (slot.dead) return;
      slot.dead = true;
      const [culprit, ...waiting] = slot.jobs.splice(0);
      if (culprit) culprit.resolve(lostFeed(culprit.body, reason));
      if (this.#closed) return;
      this.#queue.unshift(...waiting);
      this.#crashes++;
      if (this.#crashes <= MAX_CRASHES) this.#slots[this.#slots.indexOf(slot)] = this.#spawn();
      this.#dispatch();
    };
    // 'error' (an uncaught exception, running out of heap) is followed by 'exit': one loss.
    worker.on('error', (error) => lost(error.message));
    worker.on('exit', (code) => lost(`its thread exited with code ${code}`));
    return slot;
  }
}

function lostFeed(body: FeedBody, reason: string): FeedEntries {
  const text = `the parser crashed on it (${reason.split('\n')[0]!.slice(0, 160)})`;
  return { failure: findingFrom(FeedUnparseable, [body.location, text], { subject: body.location }) };
}
