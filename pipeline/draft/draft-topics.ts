import { join } from 'node:path';
import type { Context } from '../context.ts';
import { DraftBudgetReached, DraftingStopped, DraftOutputKept, DraftCostUnpriced, DraftFailed, DraftOutputInvalid, OutputSanitized } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { NichepressError } from '../errors/nichepress-error.ts';
import { digestJson } from '../lib/hash.ts';
import { mapLimit } from '../lib/map-limit.ts';
import { DraftCache } from './draft-cache.ts';
import { DraftError, type DraftProvider, type DraftResult } from './provider.ts';
import { BudgetExceeded, priceFor, RunBudget } from './run-budget.ts';
import type { Topic } from '../schema/feed-item.ts';
import type { State } from '../state.ts';
import { assembleArticle, type AssembledArticle } from './assemble-article.ts';
import { createDraftProgress } from './draft-progress.ts';
import { BatchDeferred } from './batch-answers.ts';
import { customIdOf, type BatchRequest } from './batch-requests.ts';
import type { StepCache } from './draft-cache.ts';

/** A topic drafted and assembled into an article file, not yet validated or written. */
export interface Draft {
  topic: Topic;
  article: AssembledArticle;
  /** What research and grounding noticed (pages not read, sentences dropped) and what the sanitiser removed. */
  findings: Finding[];
}

export interface DraftStageResult {
  drafts: Draft[];
  counts: Record<string, number>;
  findings: Finding[];
  /** Batch mode: the request each waiting topic needs next, for the run's batch. */
  deferred: DeferredRequest[];
}

export interface DeferredRequest extends BatchRequest {
  /** The topic as drafted, so its answers are used with the sources they were written from. */
  topicData: Topic;
  /** The request's worst case at the batch price. */
  costUsd: number;
}

export interface DraftOptions {
  /**
   * `--retry`: the key of one topic to ask again although it was drafted (kept as a draft) or its
   * answer was cached as a failure. Its answers are asked of the API now, in batch mode too, and
   * replace the cached ones.
   */
  retry?: string | undefined;
}

type TopicOutcome =
  | { kind: 'drafted'; draft: Draft; result: DraftResult }
  /** `lasting`: why the next topic would fail the same way, when it would. */
  | { kind: 'failed'; findings: Finding[]; lasting?: string | undefined }
  | { kind: 'deferred'; request: DeferredRequest }
  | { kind: 'skipped' };

/**
 * Drafts the best-ranked topics we have not covered, within the run's budget: the provider (its
 * steps answered from the cache when inputs are unchanged), then assembly (untrusted output tamed
 * into an article file). Returns the drafts; validating and writing them are the next steps. A
 * topic that fails is one finding; the run goes on with the others. A budget cap (tokens, cost)
 * stops the drafting of the whole run, gracefully: calls in flight finish, nothing new starts,
 * and one finding says why. In batch mode a topic whose next call has no collected answer is
 * deferred: its request is returned for the run's batch (batch-drafting.ts).
 */
export async function draftTopics(context: Context, state: State, topics: readonly Topic[], provider: DraftProvider, options: DraftOptions = {}): Promise<DraftStageResult> {
  const { config } = context;
  const findings: Finding[] = [];
  const retried = options.retry === undefined ? [] : topics.filter((topic) => topic.key === options.retry);
  const pending = [...retried, ...topics.filter((topic) => !state.topics[topic.key] && topic.key !== options.retry)];
  const maxArticles = config.draft.maxArticles;
  const chosen = pending.slice(0, maxArticles);
  if (pending.length > maxArticles) {
    findings.push(findingFrom(DraftBudgetReached, [`draft.maxArticles is ${maxArticles} and ${pending.length} topics were waiting`], { severity: 'info' }));
  }

  const usesApi = provider.name === 'openai';
  const price = usesApi ? priceFor(config.draft.prices, provider.model) : undefined;
  if (usesApi && config.draft.maxCostUsd !== undefined && !price && chosen.length > 0) {
    findings.push(findingFrom(DraftCostUnpriced, [provider.model], { severity: 'warning' }));
  }
  // The extractive provider costs nothing, so only API drafting is held to the caps.
  const budget = new RunBudget(usesApi ? { maxTokens: config.draft.maxTokens, maxCostUsd: config.draft.maxCostUsd, price } : {});
  const cache = context.noCache ? undefined : new DraftCache(join(config.resolved.cacheDir, 'cache', 'drafts'), { readOnly: context.dryRun });
  const progress = createDraftProgress({ total: chosen.length, log: context.log, status: context.status });
  const spent = () =>
    usesApi ? { inputTokens: budget.spent.inputTokens, outputTokens: budget.spent.outputTokens, costUsd: price ? budget.spent.costUsd : undefined } : undefined;

  // Set when a failure will not heal this run (refused connection, unknown host, rejected key).
  let stoppedBy: { topic: Topic; reason: string } | undefined;
  const outcomes = await mapLimit(chosen, config.draft.concurrency, async (topic): Promise<TopicOutcome> => {
    // A budget stop, a lasting failure or SIGINT/SIGTERM: calls in flight finish, nothing new starts.
    if (budget.stopped || stoppedBy || context.signal?.aborted) return { kind: 'skipped' };
    const retry = topic.key === options.retry;
    // A retried topic is asked again: its old answers are not read, its new ones replace them.
    const topicCache: StepCache | undefined = retry && cache ? { get: async () => undefined, set: (key, value) => cache.set(key, value) } : cache;
    const outcome = await draftTopic(context, topic, provider, budget, topicCache, retry);
    if (outcome.kind === 'failed' && outcome.lasting) stoppedBy ??= { topic, reason: outcome.lasting };
    if (outcome.kind === 'drafted') progress.topicDone(`drafted "${topic.label}"`, spent());
    else if (outcome.kind === 'failed') progress.topicDone(`failed "${topic.label}"`, spent());
    else if (outcome.kind === 'deferred') progress.topicDone(`"${topic.label}": ${outcome.request.step} goes into the batch`, spent());
    else progress.topicDone(`${topic.label}: not drafted (budget)`, spent());
    return outcome;
  });
  progress.finish();

  const drafts: Draft[] = [];
  const deferred: DeferredRequest[] = [];
  let skipped = 0;
  let failed = 0;
  let providerCalls = 0;
  let cacheHits = 0;
  const research = { claimsChecked: 0, claimsDropped: 0 };
  for (const outcome of outcomes) {
    if (outcome.kind === 'skipped') skipped++;
    else if (outcome.kind === 'deferred') deferred.push(outcome.request);
    else if (outcome.kind === 'failed') {
      failed++;
      // A lasting failure is said once, by the stop finding below, however many calls were in flight.
      if (!outcome.lasting) findings.push(...outcome.findings);
    } else {
      drafts.push(outcome.draft);
      providerCalls += outcome.result.calls ?? 1;
      cacheHits += outcome.result.cacheHits ?? 0;
      research.claimsChecked += outcome.result.research?.claimsChecked ?? 0;
      research.claimsDropped += outcome.result.research?.claimsDropped ?? 0;
    }
  }
  if (stoppedBy) {
    findings.push(findingFrom(DraftingStopped, [stoppedBy.topic.label, stoppedBy.reason, skipped + failed - 1], { subject: stoppedBy.topic.key }));
  }
  if (budget.stopped) {
    findings.push(findingFrom(DraftBudgetReached, [`${budget.stopped}; ${skipped} of ${chosen.length} topics wait for the next run`], { severity: 'warning' }));
  }
  // A topic that failed before any result still made calls: the budget counted them.
  if (usesApi) providerCalls = budget.spent.calls;
  return {
    drafts,
    counts: {
      topics: chosen.length,
      failed,
      skipped,
      ...(provider.batch ? { batched: deferred.length } : {}),
      providerCalls,
      cacheHits,
      // What was read, and how much of the drafts was checked against it and dropped.
      ...(provider.research ? { ...provider.research, ...research } : {}),
      // Spending only where there is any: the extractive provider makes no API call.
      ...(usesApi ? { inputTokens: budget.spent.inputTokens, outputTokens: budget.spent.outputTokens } : {}),
      ...(price ? { costUsd: Math.round(budget.spent.costUsd * 1_000_000) / 1_000_000 } : {}),
    },
    findings,
    deferred,
  };
}

/** One topic: the provider's answer assembled into an article, a per-topic failure as a finding, or a budget stop. */
async function draftTopic(context: Context, topic: Topic, provider: DraftProvider, budget: RunBudget, cache: StepCache | undefined, direct: boolean): Promise<TopicOutcome> {
  let result: DraftResult;
  try {
    result = await provider.draft({ topic, config: context.config, budget, ...(cache ? { cache } : {}), ...(direct ? { direct } : {}) });
  } catch (error) {
    if (error instanceof BudgetExceeded) return { kind: 'skipped' };
    if (error instanceof BatchDeferred) {
      const request = { customId: customIdOf(error.step, error.body), topic: topic.key, step: error.step, body: error.body };
      return { kind: 'deferred', request: { ...request, topicData: topic, costUsd: error.reservation?.costUsd ?? 0 } };
    }
    // Configuration problems (a broken prompt) abort the run; everything else is per topic.
    if (error instanceof NichepressError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const data = error instanceof DraftError && error.code === 'NP4002' ? DraftOutputInvalid : DraftFailed;
    const lasting = error instanceof DraftError && error.lasting ? reason : undefined;
    return { kind: 'failed', findings: [findingFrom(data, [topic.label, reason], { subject: topic.key })], lasting };
  }
  const { config } = context;
  // Provenance: which topic and sources the draft was made from.
  const inputHash = digestJson({
    provider: provider.name,
    model: provider.model,
    topic: topic.key,
    sources: topic.items.slice(0, 8).map((item) => [item.url, item.title, item.summary]),
    affiliates: topic.affiliates,
    language: config.site.language,
  });
  const article = assembleArticle({ result, topic, config, generator: provider.name, now: context.now, inputHash });
  const findings = [
    ...(result.findings ?? []),
    ...article.removed.map((what) => findingFrom(OutputSanitized, [topic.label, what], { severity: 'warning', subject: topic.key })),
    // Errors: the answer is kept (it was paid for) but held back as a draft for the editor.
    ...(result.issues ?? []).map((issue) => findingFrom(DraftOutputKept, [topic.label, issue], { subject: topic.key })),
  ];
  return { kind: 'drafted', draft: { topic, article, findings }, result };
}
