import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { digestJson } from '../lib/hash.ts';
import type { DraftCache } from './draft-cache.ts';
import type { Reservation } from './run-budget.ts';

/**
 * Batch mode drafts by replay: the draft stage runs exactly as in sync mode, and each call it
 * would make is looked up among the answers collected from finished batches. A call with an
 * answer gets it (no request, nothing to pay now); a call without one is deferred — it goes
 * into the next batch and the topic waits. A two-step draft therefore takes one batch per step
 * (the brief, then the article, then a repair if the article needs one), and every answer passes
 * the same parsing, checks, repair rules, grounding and validation as a synchronous one.
 */

/** The Batch API bills half the synchronous price. */
export const BATCH_PRICE_FACTOR = 0.5;

/** What a finished batch said to one request: a completion, or an error status. */
export type BatchAnswer = { completion: ChatCompletion } | { error: { status: number; message: string } };

/** The request that identifies an answer: everything in its body, key order aside. */
export function requestDigest(body: ChatCompletionCreateParamsNonStreaming): string {
  return digestJson(body, 32);
}

/**
 * Thrown by the client in batch mode for a call that has no collected answer: the topic stops
 * here and the request goes into the run's batch. `step` is set by the structured completer.
 */
export class BatchDeferred extends Error {
  readonly body: ChatCompletionCreateParamsNonStreaming;
  /** The call's worst case held against the run's caps, at the batch price. */
  readonly reservation: Reservation | undefined;
  step = 'request';
  constructor(body: ChatCompletionCreateParamsNonStreaming, reservation: Reservation | undefined) {
    super('deferred to the next batch');
    this.name = 'BatchDeferred';
    this.body = body;
    this.reservation = reservation;
  }
}

/**
 * Collected answers on disk (the draft cache folder's `batch-answers/`), by request digest. Like
 * the step cache it is disposable: a collected batch stays in the committed state until what it
 * answered is written, and its output file can be downloaded again from the API.
 */
export class BatchAnswers {
  readonly store: DraftCache;
  constructor(store: DraftCache) {
    this.store = store;
  }

  async find(body: ChatCompletionCreateParamsNonStreaming): Promise<BatchAnswer | undefined> {
    const entry = (await this.store.get(requestDigest(body))) as BatchAnswer | undefined;
    if (!entry || typeof entry !== 'object') return undefined;
    if ('completion' in entry && entry.completion && typeof entry.completion === 'object') return entry;
    if ('error' in entry && typeof entry.error?.status === 'number') return entry;
    return undefined;
  }

  /** Whether an answer is stored under this request digest (a used error answer is not). */
  async has(digest: string): Promise<boolean> {
    return (await this.store.get(digest)) !== undefined;
  }

  async keep(digest: string, answer: BatchAnswer): Promise<void> {
    await this.store.set(digest, answer);
  }

  /** An error answer is used once: the request goes into the next batch rather than failing forever. */
  async forget(body: ChatCompletionCreateParamsNonStreaming): Promise<void> {
    await this.store.delete(requestDigest(body));
  }
}
