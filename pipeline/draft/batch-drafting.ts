import { randomUUID } from 'node:crypto';
import { APIError } from 'openai';
import type { Batch } from 'openai/resources/batches';
import type { Context } from '../context.ts';
import { BatchApiFailed, BatchCollected, BatchEnded, BatchSubmitted, BatchTopicGone, BatchWaiting, MonthlyBudgetReached } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import type { FeedItem, Topic } from '../schema/feed-item.ts';
import type { BatchRecord, BatchTopic, State } from '../state.ts';
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
 *    file is read, each answer filed under its request, and what it cost booked to the month at
 *    the batch price. A batch that failed, expired or was cancelled is reported; whatever answers
 *    it has are kept, and its topics are drafted again.
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
  const waiting = new Set((state.batches ?? []).flatMap((record) => record.topics.map((topic) => topic.key)));
  const current = new Map(topics.map((topic) => [topic.key, topic]));
  const lost: Finding[] = [];
  const ready = collected.topics.flatMap((frozen) => {
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
      batchesWaiting: (state.batches ?? []).filter((record) => !submitted.ids.includes(record.id ?? '')).length,
    },
    findings: [...collected.findings, ...lost, ...monthFindings, ...drafted.findings, ...submitted.findings],
  };
}

// ── collect ────────────────────────────────────────────────────────────────────────────────

const ENDED = new Set(['completed', 'failed', 'expired', 'cancelled']);

interface Collected {
  /** Topics of the batches that ended this run, as submitted. */
  topics: BatchTopic[];
  counts: Record<string, number>;
  findings: Finding[];
}

async function collectBatches(context: Context, state: State, batch: BatchDrafting): Promise<Collected> {
  const findings: Finding[] = [];
  const topics: BatchTopic[] = [];
  const counts = { batchesCollected: 0, batchAnswers: 0, batchCostUsd: 0 };
  const price = priceFor(context.config.draft.prices, context.env.OPENAI_MODEL || context.config.draft.model);
  const kept: BatchRecord[] = [];
  for (const record of state.batches ?? []) {
    let found: Batch | undefined;
    try {
      // Without an id the run that submitted it stopped before recording it: it is found by its metadata, if it exists.
      const id = record.id ?? (await batch.api.findByMetadata(SUBMISSION_KEY, record.submission))?.id;
      found = id === undefined ? undefined : await batch.api.retrieve(id);
    } catch (error) {
      findings.push(findingFrom(BatchApiFailed, [`check batch ${record.id ?? record.submission}`, batch.api.reason(error)], { severity: 'warning' }));
      kept.push(record);
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
      kept.push(seen);
      continue;
    }
    let read: { answers: number; errors: number; costUsd: number };
    try {
      read = await readAnswers(seen, found, batch, price);
    } catch (error) {
      findings.push(findingFrom(BatchApiFailed, [`download the results of batch ${found.id}`, batch.api.reason(error)], { severity: 'warning' }));
      kept.push(seen);
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
  }
  if (state.batches) {
    if (kept.length) state.batches = kept;
    else delete state.batches;
  }
  return { topics, counts, findings };
}

/** Files every answer of an ended batch under its request; returns what was read and what it cost. */
async function readAnswers(record: BatchRecord, found: Batch, batch: BatchDrafting, price: ReturnType<typeof priceFor>) {
  const asked = new Set(record.requests.map((request) => request.customId));
  let answers = 0;
  let errors = 0;
  let costUsd = 0;
  for (const fileId of [found.output_file_id, found.error_file_id]) {
    if (!fileId) continue;
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
