import { randomUUID } from 'node:crypto';
import { APIError } from 'openai';
import type { Batch } from 'openai/resources/batches';
import type { Context } from '../context.ts';
import { BatchAnswersFetchedAgain, BatchApiFailed, BatchCollected, BatchEnded, BatchSubmitted, BatchTopicGone, BatchWaiting, MonthlyBudgetReached } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import type { FeedItem, Topic } from '../schema/feed-item.ts';
import { batchesInFlight, isCollected, type BatchRecord, type BatchTopic, type State } from '../state.ts';
import { BATCH_PRICE_FACTOR } from './batch-answers.ts';
import { digestOfCustomId, parseOutputFile, requestsJsonl } from './batch-requests.ts';
import { draftTopics, type DeferredRequest, type DraftOptions, type DraftStageResult } from './draft-topics.ts';
import { monthBudget, recordSpend } from './monthly-budget.ts';
import type { BatchDrafting, DraftProvider } from './provider.ts';
import { costOf, priceFor } from './run-budget.ts';

/**
 * Drafting with `draft.mode: batch`, one call in the run's data flow:
 *
 * 1. collect: every batch recorded in the state is looked up; a finished one's output (and error)
 *    file is read, each answer filed under its request, what it cost booked to the month at
 *    the batch price, and its record marked collected (it stays until what it answered is
 *    written: `dropAnsweredBatches`). A batch that failed, expired or was cancelled is reported;
 *    whatever answers it has are kept, and its topics are drafted again. A batch collected
 *    earlier has its answers taken from the cache, or downloaded again, and booked no more.
 * 2. draft: the ordinary draft stage, held to what the month has left now, the collected topics first (as they were when submitted, so
 *    the answers meet the sources they were written from) and the topics of batches still running
 *    left out. Each call is answered from the collected answers or deferred (batch-answers.ts).
 * 3. submit: the deferred requests, one per waiting topic, go out as one new batch.
 */
export async function draftInBatches(
  context: Context,
  state: State,
  topics: readonly Topic[],
  provider: DraftProvider,
  options: DraftOptions & { checkpoint: () => Promise<void> },
): Promise<DraftStageResult> {
  const batch = provider.batch;
  if (!batch) throw new TypeError('draftInBatches: the provider is not in batch mode');
  const collected = await collectBatches(context, state, batch);
  const waiting = collected.waiting;
  const current = new Map(topics.map((topic) => [topic.key, topic]));
  const lost: Finding[] = [];
  // A topic is answered by several collected batches (its brief, its article): the newest record
  // has it as it was last sent. Topics already written, or with a step still in flight, are not ready.
  const answered = new Map(collected.topics.map((frozen) => [frozen.key, frozen]));
  const ready = [...answered.values()].filter((frozen) => !waiting.has(frozen.key) && !state.topics[frozen.key]).flatMap((frozen) => {
    const topic = topicAsSubmitted(frozen, state, current.get(frozen.key));
    if (!topic) lost.push(findingFrom(BatchTopicGone, [frozen.label], { severity: 'warning', subject: frozen.key }));
    return topic ? [topic] : [];
  });
  const readyKeys = new Set(ready.map((topic) => topic.key));
  const ordered = [...ready, ...topics.filter((topic) => !readyKeys.has(topic.key) && (!waiting.has(topic.key) || topic.key === options.retry))];
  // What the month has left once the collected batches' estimates became what they really cost.
  const month = monthBudget(context.config, state, context.now);
  const monthFindings: Finding[] = [];
  if (month.leftUsd !== undefined && month.leftUsd <= 0) {
    monthFindings.push(findingFrom(MonthlyBudgetReached, [month.month, month.spentUsd + month.heldUsd, context.config.draft.monthlyBudgetUsd!], { severity: 'warning' }));
  }
  const drafted = await draftTopics({ ...context, config: month.config }, state, ordered, provider, options);
  const submitted = await submitBatch(context, state, drafted.deferred, batch, options.checkpoint);
  return {
    ...drafted,
    counts: {
      ...drafted.counts,
      // What was collected and sent, only when there was any: a quiet run's report stays short.
      ...(collected.counts.batchesCollected ? collected.counts : {}),
      ...submitted.counts,
      batchesWaiting: batchesInFlight(state).filter((record) => !submitted.ids.includes(record.id ?? '')).length,
    },
    findings: [...collected.findings, ...lost, ...monthFindings, ...drafted.findings, ...submitted.findings],
  };
}

// ── collect ────────────────────────────────────────────────────────────────────────────────

const ENDED = new Set(['completed', 'failed', 'expired', 'cancelled']);

interface Collected {
  /** Topics of the collected batches (this run's and earlier ones not yet written), as submitted. */
  topics: BatchTopic[];
  /** Topics that wait: their batch is still running, could not be checked, or its answers cannot be had now. */
  waiting: Set<string>;
  counts: Record<string, number>;
  findings: Finding[];
}

async function collectBatches(context: Context, state: State, batch: BatchDrafting): Promise<Collected> {
  const findings: Finding[] = [];
  const topics: BatchTopic[] = [];
  const counts = { batchesCollected: 0, batchAnswers: 0, batchCostUsd: 0 };
  const price = priceFor(context.config.draft.prices, context.env.OPENAI_MODEL || context.config.draft.model);
  const kept: BatchRecord[] = [];
  const waiting = new Set<string>();
  const wait = (record: BatchRecord) => {
    kept.push(record);
    for (const topic of record.topics) waiting.add(topic.key);
  };
  for (const record of state.batches ?? []) {
    if (isCollected(record)) {
      // Paid for and booked by an earlier run that did not write everything it answered.
      try {
        const fetched = await recallAnswers(record, batch);
        if (fetched > 0) findings.push(findingFrom(BatchAnswersFetchedAgain, [record.id ?? record.submission, record.collectedAt!, fetched], { severity: 'info' }));
        topics.push(...record.topics);
      } catch (error) {
        findings.push(findingFrom(BatchApiFailed, [`download the results of batch ${record.id ?? record.submission} again`, batch.api.reason(error)], { severity: 'warning' }));
        wait(record);
        continue;
      }
      kept.push(record);
      continue;
    }
    let found: Batch | undefined;
    try {
      // Without an id the run that submitted it stopped before recording it: it is found by its metadata, if it exists.
      const id = record.id ?? (await batch.api.findByMetadata(SUBMISSION_KEY, record.submission))?.id;
      found = id === undefined ? undefined : await batch.api.retrieve(id);
    } catch (error) {
      findings.push(findingFrom(BatchApiFailed, [`check batch ${record.id ?? record.submission}`, batch.api.reason(error)], { severity: 'warning' }));
      wait(record);
      continue;
    }
    if (!found) {
      // Recorded, but the run that submitted it stopped before the batch was created: nothing was sent.
      findings.push(findingFrom(BatchEnded, [record.submission, 'before it was created', 'the run that submitted it stopped first', record.topics.length], { severity: 'warning' }));
      topics.push(...record.topics);
      continue;
    }
    const seen: BatchRecord = { ...record, id: found.id, status: found.status, checkedAt: context.now.toISOString() };
    if (!ENDED.has(found.status) || context.dryRun) {
      findings.push(findingFrom(BatchWaiting, [found.id, found.status, record.topics.length, record.submittedAt], { severity: 'info' }));
      wait(seen);
      continue;
    }
    const answerFiles = [found.output_file_id, found.error_file_id].filter((id): id is string => Boolean(id));
    let read: { answers: number; errors: number; costUsd: number };
    try {
      read = await readAnswers(record, answerFiles, batch, price);
    } catch (error) {
      findings.push(findingFrom(BatchApiFailed, [`download the results of batch ${found.id}`, batch.api.reason(error)], { severity: 'warning' }));
      wait(seen);
      continue;
    }
    recordSpend(state, context.now, { costUsd: read.costUsd, calls: read.answers });
    counts.batchesCollected++;
    counts.batchAnswers += read.answers;
    counts.batchCostUsd = round(counts.batchCostUsd + read.costUsd);
    findings.push(findingFrom(BatchCollected, [found.id, read.answers, read.errors, price ? `$${read.costUsd.toFixed(4)}` : 'unpriced'], { severity: 'info' }));
    if (found.status !== 'completed') {
      findings.push(findingFrom(BatchEnded, [found.id, found.status, batchErrors(found), record.topics.length], { severity: 'warning' }));
    }
    topics.push(...record.topics);
    // Booked now, so never again; kept until what it answered is written (the state is saved before that).
    kept.push({ ...seen, status: 'collected', collectedAt: context.now.toISOString(), answerFiles });
  }
  if (state.batches) {
    if (kept.length) state.batches = kept;
    else delete state.batches;
  }
  return { topics, waiting, counts, findings };
}

/**
 * After the run's drafts are written: a collected batch whose topics have no step left in a batch
 * in flight has nothing more to answer, so its record goes (in the state save that follows the
 * writes). One whose topics went on into a newer batch stays: that batch's answers are replayed
 * through the earlier steps, which need these answers again.
 */
export function dropAnsweredBatches(state: State): void {
  if (!state.batches) return;
  const continuing = new Set(batchesInFlight(state).flatMap((record) => record.topics.map((topic) => topic.key)));
  const left = state.batches.filter((record) => !isCollected(record) || record.topics.some((topic) => continuing.has(topic.key)));
  if (left.length) state.batches = left;
  else delete state.batches;
}

/**
 * The answers of a batch collected earlier, back in the cache: the ones it lost are downloaded
 * again from the batch's files (free: the files stay on the account). An answer already there is
 * left alone, since a newer batch may have answered the same request since. Returns how many
 * were downloaded again.
 */
async function recallAnswers(record: BatchRecord, batch: BatchDrafting): Promise<number> {
  const missing = new Set<string>();
  for (const { customId } of record.requests) {
    const digest = digestOfCustomId(customId);
    if (digest && !(await batch.answers.has(digest))) missing.add(customId);
  }
  if (missing.size === 0) return 0;
  let fetched = 0;
  for (const fileId of record.answerFiles ?? []) {
    const { lines } = parseOutputFile(await batch.api.download(fileId));
    for (const line of lines) {
      if (!missing.has(line.customId)) continue;
      await batch.answers.keep(digestOfCustomId(line.customId)!, line.answer);
      fetched++;
    }
  }
  return fetched;
}

/** Files every answer of an ended batch under its request; returns what was read and what it cost. */
async function readAnswers(record: BatchRecord, answerFiles: readonly string[], batch: BatchDrafting, price: ReturnType<typeof priceFor>) {
  const asked = new Set(record.requests.map((request) => request.customId));
  let answers = 0;
  let errors = 0;
  let costUsd = 0;
  for (const fileId of answerFiles) {
    const { lines } = parseOutputFile(await batch.api.download(fileId));
    for (const line of lines) {
      const digest = digestOfCustomId(line.customId);
      // Only the requests this batch was sent with: the file comes from the server.
      if (!asked.has(line.customId) || !digest) continue;
      await batch.answers.keep(digest, line.answer);
      if ('completion' in line.answer) answers++;
      else errors++;
      costUsd += (costOf(line.usage, price) ?? 0) * BATCH_PRICE_FACTOR;
    }
  }
  return { answers, errors, costUsd: round(costUsd) };
}

function batchErrors(found: Batch): string {
  const messages = (found.errors?.data ?? []).map((error) => error.message ?? error.code).filter((text): text is string => Boolean(text));
  return messages.slice(0, 2).join('; ').slice(0, 200);
}

/**
 * The topic as it was submitted: its items from the state's history, in the same order, so the
 * prompt (and with it each request) is the one the answers belong to. Without its items (pruned
 * from the history), today's topic stands in and its changed requests go into the next batch.
 */
function topicAsSubmitted(frozen: BatchTopic, state: State, current: Topic | undefined): Topic | undefined {
  const items: FeedItem[] = [];
  for (const id of frozen.items) {
    const record = state.items[id];
    if (!record) return current;
    const { firstSeen: _firstSeen, ...item } = record;
    items.push({ id, ...item });
  }
  return {
    key: frozen.key,
    label: frozen.label,
    score: frozen.score,
    parts: current?.parts ?? { recent: 0, before: 0, sources: 0, fit: 0 },
    affiliates: frozen.affiliates,
    items,
  };
}

// ── submit ─────────────────────────────────────────────────────────────────────────────────

/** The metadata key that finds a batch whose creation the run did not live to record. */
const SUBMISSION_KEY = 'nichepress_submission';

async function submitBatch(
  context: Context,
  state: State,
  deferred: readonly DeferredRequest[],
  batch: BatchDrafting,
  checkpoint: () => Promise<void>,
): Promise<{ counts: Record<string, number>; findings: Finding[]; ids: string[] }> {
  const findings: Finding[] = [];
  const ids: string[] = [];
  if (deferred.length === 0) return { counts: {}, findings, ids };
  const topics = [...new Map(deferred.map((request) => [request.topic, request.topicData])).values()];
  const estimatedCostUsd = round(deferred.reduce((sum, request) => sum + request.costUsd, 0));
  const counts = { batchRequests: deferred.length, batchEstimatedCostUsd: estimatedCostUsd };
  if (context.dryRun) return { counts, findings, ids };

  const submission = randomUUID();
  let fileId: string;
  try {
    fileId = await batch.api.upload(requestsJsonl(deferred), `nichepress-${submission}.jsonl`);
  } catch (error) {
    findings.push(findingFrom(BatchApiFailed, ['upload the batch of drafting requests', batch.api.reason(error)], { severity: 'warning' }));
    return { counts: { batchRequests: 0 }, findings, ids };
  }
  const record: BatchRecord = {
    submission,
    fileId,
    submittedAt: context.now.toISOString(),
    model: String(deferred[0]!.body.model),
    status: 'submitting',
    estimatedCostUsd,
    topics: topics.map((topic) => ({ key: topic.key, label: topic.label, score: topic.score, affiliates: topic.affiliates, items: topic.items.map((item) => item.id) })),
    requests: deferred.map(({ customId, topic, step }) => ({ customId, topic, step })),
  };
  // Recorded before the batch is created: a run killed in between finds it by its metadata.
  state.batches = [...(state.batches ?? []), record];
  await checkpoint();
  try {
    const created = await batch.api.create(fileId, { [SUBMISSION_KEY]: submission });
    record.id = created.id;
    record.status = created.status;
    ids.push(created.id);
  } catch (error) {
    // A refusal with a status means no batch exists; without an answer it may, and the next run asks.
    if (error instanceof APIError && error.status !== undefined) state.batches = state.batches.filter((entry) => entry !== record);
    findings.push(findingFrom(BatchApiFailed, ['create the drafting batch', batch.api.reason(error)], { severity: 'warning' }));
    await checkpoint();
    return { counts: { batchRequests: 0 }, findings, ids };
  }
  await checkpoint();
  findings.push(findingFrom(BatchSubmitted, [record.id, deferred.length, topics.length, `$${estimatedCostUsd.toFixed(4)}`], { severity: 'info' }));
  return { counts, findings, ids };
}

function round(usd: number): number {
  return Math.round(usd * 1_000_000) / 1_000_000;
}
