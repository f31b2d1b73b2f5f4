import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { StateInvalid } from './errors/catalogue.ts';
import { NichepressError } from './errors/nichepress-error.ts';
import { writeFileAtomic } from './lib/atomic-write.ts';

/**
 * The derived state of a niche (content/state.json): feed history, per-feed fetch validators,
 * which topics were drafted, and the newsletter position. It is committed with the content, so
 * it stays small (pruned), readable (pretty JSON, sorted keys) and is only ever replaced
 * atomically.
 */

const itemRecordSchema = z.object({
  title: z.string(),
  url: z.string(),
  summary: z.string(),
  publishedAt: z.string(),
  feed: z.string(),
  publisher: z.string(),
  firstSeen: z.string(),
});

const topicRecordSchema = z.object({
  slug: z.string(),
  status: z.enum(['published', 'draft', 'rejected']),
  draftedAt: z.string(),
});

/** A topic as it was when its requests went into a batch: the answers fit these sources, not later ones. */
const batchTopicSchema = z.object({
  key: z.string(),
  label: z.string(),
  score: z.number(),
  affiliates: z.array(z.string()),
  /** Ids of the topic's items in `items`, in the order the prompt numbered them. */
  items: z.array(z.string()),
});

/**
 * A batch of drafting requests sent to the OpenAI Batch API. Written before the batch is created
 * (`submission` travels as the batch's metadata), so a run killed between creating the batch and
 * recording its id finds it again by that metadata instead of paying twice. Once its answers are
 * collected it stays, marked `collected`, until what they answered is written: the answers live
 * in a disposable cache, and a run killed before the writes (or a later step of the same topics
 * on a checkout without that cache) downloads them again from `answerFiles` instead of buying them.
 */
const batchRecordSchema = z.object({
  submission: z.string(),
  /** The batch id, once the API has answered the create call. */
  id: z.string().optional(),
  /** The uploaded JSONL of requests. */
  fileId: z.string(),
  submittedAt: z.string(),
  model: z.string(),
  /** The status as last seen (`submitting` until the id is known, `collected` once its answers are booked). */
  status: z.string(),
  checkedAt: z.string().optional(),
  /** When its answers were collected and their cost booked to the month: never booked again. */
  collectedAt: z.string().optional(),
  /** The output and error files its answers were read from; they stay on the account. */
  answerFiles: z.array(z.string()).optional(),
  /** The requests' worst case at the batch price: held against the month's budget until collected. */
  estimatedCostUsd: z.number().nonnegative(),
  topics: z.array(batchTopicSchema),
  /** custom_id → topic and drafting step, to read the output file back. */
  requests: z.array(z.object({ customId: z.string(), topic: z.string(), step: z.string() })),
});

export const stateSchema = z.object({
  version: z.literal(1),
  items: z.record(z.string(), itemRecordSchema).default({}),
  feeds: z
    .record(
      z.string(),
      z.object({
        etag: z.string().optional(),
        lastModified: z.string().optional(),
        checkedAt: z.string().optional(),
        /** The feed's problems (finding codes) and the run each was first reported on: repeats are summarised. */
        problems: z.record(z.string(), z.string()).optional(),
      }),
    )
    .default({}),
  topics: z.record(z.string(), topicRecordSchema).default({}),
  newsletter: z.object({ lastIssue: z.number().int().nonnegative().default(0) }).prefault({}),
  /**
   * What drafting through a paid API spent, per calendar month of the pipeline's clock
   * (`2026-11`), so a monthly budget holds across runs and fresh CI checkouts.
   */
  spend: z.record(z.string(), z.object({ costUsd: z.number().nonnegative(), calls: z.number().int().nonnegative() })).optional(),
  /** Drafting batches in flight or collected and not yet written (`draft.mode: batch`), oldest first. */
  batches: z.array(batchRecordSchema).optional(),
});

export type State = z.infer<typeof stateSchema>;
export type ItemRecord = z.infer<typeof itemRecordSchema>;
export type BatchRecord = z.infer<typeof batchRecordSchema>;
export type BatchTopic = z.infer<typeof batchTopicSchema>;

/** A batch whose answers were collected (and booked): it neither waits nor holds money. */
export function isCollected(record: BatchRecord): boolean {
  return record.collectedAt !== undefined;
}

/** Batches still running or not yet seen: these hold their estimate and keep their topics waiting. */
export function batchesInFlight(state: State): BatchRecord[] {
  return (state.batches ?? []).filter((record) => !isCollected(record));
}

export function emptyState(): State {
  return { version: 1, items: {}, feeds: {}, topics: {}, newsletter: { lastIssue: 0 } };
}

export async function loadState(file: string): Promise<State> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw NichepressError.from(StateInvalid, [file, 'is not valid JSON'], { cause: error });
  }
  const result = stateSchema.safeParse(data);
  if (!result.success) {
    throw NichepressError.from(StateInvalid, [file, 'does not have the expected shape']);
  }
  return result.data;
}

export async function saveState(file: string, state: State, options: { tempDir?: string } = {}): Promise<void> {
  const sorted: State = {
    ...state,
    items: sortKeys(state.items),
    feeds: sortKeys(state.feeds),
    topics: sortKeys(state.topics),
  };
  const text = `${JSON.stringify(sorted, null, 2)}\n`;
  // Unchanged state is not rewritten: a quiet run leaves git and the disk alone.
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current !== text) await writeFileAtomic(file, text, options);
}

/** Drops items first seen more than `maxAgeDays` before `now`, keeping the file small. */
export function pruneState(state: State, now: Date, maxAgeDays = 90): number {
  const cutoff = now.getTime() - maxAgeDays * 86_400_000;
  let removed = 0;
  for (const [id, item] of Object.entries(state.items)) {
    if (Date.parse(item.publishedAt) < cutoff) {
      delete state.items[id];
      removed++;
    }
  }
  return removed;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
