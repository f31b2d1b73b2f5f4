import { join } from 'node:path';
import type { Context } from '../context.ts';
import { DraftBudgetReached, DraftCostUnpriced, DraftFailed, DraftOutputInvalid, OutputSanitized } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { NichepressError } from '../errors/nichepress-error.ts';
import { digestJson } from '../lib/hash.ts';
import { mapLimit } from '../lib/map-limit.ts';
import { DraftCache } from './draft-cache.ts';
import { DraftError, type DraftProvider, type DraftResult } from './provider.ts';
import { BudgetExceeded, priceFor, RunBudget } from './run-budget.ts';
import type { Topic } from '../schema/feed-item.ts';
import type { State } from '../state.ts';
import { assembleArticle } from './assemble-article.ts';
import { createDraftProgress } from './draft-progress.ts';
import { validateArticleText } from '../validate/validate.ts';
import { defaultDetectLanguage } from '../validate/language-detector.ts';
import { loadArticles } from '../archive/load-articles.ts';
import { buildDuplicateArchive, type DuplicateArchive } from '../validate/near-duplicates.ts';
import { recommendedPreset } from '../validate/rules/preset.ts';
import type { RuleContext } from '../validate/rules/rule.ts';
import { writeArticle, type WriteOutcome } from '../archive/write-article.ts';

export interface DraftStageResult {
  articles: WriteOutcome[];
  counts: Record<string, number>;
  findings: Finding[];
}

type TopicOutcome =
  | { kind: 'done'; outcome: WriteOutcome | undefined; findings: Finding[]; result?: DraftResult }
  /** Not attempted, or refused by a budget cap: it waits for the next run. */
  | { kind: 'skipped' };

/**
 * Drafts the best-ranked topics we have not covered, within the run's budget: provider (its
 * steps answered from the cache when inputs are unchanged) → assembly (untrusted output tamed)
 * → validation → atomic write. A topic that fails is one finding and writes nothing; the run
 * goes on with the others. A budget cap (tokens, cost) stops the drafting of the whole run,
 * gracefully: calls in flight finish, nothing new starts, and one finding says why.
 */
export async function draftTopics(context: Context, state: State, topics: readonly Topic[], provider: DraftProvider): Promise<DraftStageResult> {
  const { config } = context;
  const findings: Finding[] = [];
  const pending = topics.filter((topic) => !state.topics[topic.key]);
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
  // Drafts are checked like published articles, near-duplicates of the archive included: a copy
  // of an existing article is kept aside as a draft instead of breaking the next build.
  const rules: RuleContext = { detectLanguage: defaultDetectLanguage, archive: await existingArchive(config) };
  // Topics draft concurrently, but choosing a free file name and writing it must not interleave:
  // two topics with the same title would both see `<slug>.md` free and one would overwrite the other.
  let writes: Promise<unknown> = Promise.resolve();
  const serialWrite: typeof writeArticle = (...args) => {
    const next = writes.then(() => writeArticle(...args));
    writes = next.catch(() => undefined);
    return next;
  };
  const spent = () =>
    usesApi ? { inputTokens: budget.spent.inputTokens, outputTokens: budget.spent.outputTokens, costUsd: price ? budget.spent.costUsd : undefined } : undefined;

  const report = (topic: Topic, done: TopicOutcome): TopicOutcome => {
    if (done.kind === 'skipped') progress.topicDone(`${topic.label}: not drafted (budget)`, spent());
    else progress.topicDone(done.outcome ? `${done.outcome.status} ${done.outcome.file}` : `failed "${topic.label}"`, spent());
    return done;
  };
  const finishing: Promise<TopicOutcome>[] = [];
  await mapLimit(chosen, config.draft.concurrency, async (topic, index) => {
    // A budget stop or SIGINT/SIGTERM: calls in flight finish and are written, nothing new starts.
    const called: Called = budget.stopped || context.signal?.aborted ? { kind: 'skipped' } : await callProvider(context, topic, provider, budget, cache);
    // The slot is free once the answer is in: assembling, validating and writing this topic
    // overlap the next topic's calls instead of delaying them.
    const done = called.kind === 'drafted' ? publish(context, state, topic, provider, called, serialWrite, rules) : Promise.resolve(called);
    finishing[index] = done.then((outcome) => report(topic, outcome));
    // Awaited below with the others; this only keeps an early failure from counting as unhandled.
    finishing[index].catch(() => undefined);
  });
  const outcomes = await Promise.all(finishing);
  progress.finish();

  const articles: WriteOutcome[] = [];
  let skipped = 0;
  let providerCalls = 0;
  let cacheHits = 0;
  let drafted = 0;
  for (const outcome of outcomes) {
    if (outcome.kind === 'skipped') {
      skipped++;
      continue;
    }
    drafted++;
    if (outcome.outcome) articles.push(outcome.outcome);
    findings.push(...outcome.findings);
    providerCalls += outcome.result ? (outcome.result.calls ?? 1) : 0;
    cacheHits += outcome.result?.cacheHits ?? 0;
  }
  if (budget.stopped) {
    findings.push(findingFrom(DraftBudgetReached, [`${budget.stopped}; ${skipped} of ${chosen.length} topics wait for the next run`], { severity: 'warning' }));
  }
  // A topic that failed before any result still made calls: the budget counted them.
  if (usesApi) providerCalls = budget.spent.calls;
  return {
    articles,
    counts: {
      topics: chosen.length,
      written: articles.filter((article) => article.status === 'written').length,
      quarantined: articles.filter((article) => article.status === 'quarantined').length,
      unchanged: articles.filter((article) => article.status === 'unchanged').length,
      failed: drafted - articles.length + articles.filter((article) => article.status === 'failed').length,
      skipped,
      providerCalls,
      cacheHits,
      // Spending only where there is any: the extractive provider makes no API call.
      ...(usesApi ? { inputTokens: budget.spent.inputTokens, outputTokens: budget.spent.outputTokens } : {}),
      ...(price ? { costUsd: Math.round(budget.spent.costUsd * 1_000_000) / 1_000_000 } : {}),
    },
    findings,
  };
}

type Called = { kind: 'skipped' } | { kind: 'done'; outcome: undefined; findings: Finding[] } | { kind: 'drafted'; result: DraftResult };

/** The provider's part: its answer, a per-topic failure as a finding, or a budget stop. */
async function callProvider(context: Context, topic: Topic, provider: DraftProvider, budget: RunBudget, cache: DraftCache | undefined): Promise<Called> {
  try {
    return { kind: 'drafted', result: await provider.draft({ topic, config: context.config, budget, ...(cache ? { cache } : {}) }) };
  } catch (error) {
    if (error instanceof BudgetExceeded) return { kind: 'skipped' };
    // Configuration problems (a broken prompt) abort the run; everything else is per topic.
    if (error instanceof NichepressError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const data = error instanceof DraftError && error.code === 'NP4002' ? DraftOutputInvalid : DraftFailed;
    return { kind: 'done', outcome: undefined, findings: [findingFrom(data, [topic.label, reason], { subject: topic.key })] };
  }
}

/** Our part: untrusted output tamed into an article, validated, written atomically. */
async function publish(
  context: Context,
  state: State,
  topic: Topic,
  provider: DraftProvider,
  called: { result: DraftResult },
  write: typeof writeArticle,
  rules: RuleContext,
): Promise<TopicOutcome> {
  const { config } = context;
  const { result } = called;
  // Provenance: which topic and sources the draft was made from.
  const inputHash = digestJson({
    provider: provider.name,
    model: provider.model,
    topic: topic.key,
    sources: topic.items.slice(0, 8).map((item) => [item.url, item.title, item.summary]),
    affiliates: topic.affiliates,
    language: config.site.language,
  });
  const assembled = assembleArticle({ result, topic, config, generator: provider.name, now: context.now, inputHash });
  const notes = assembled.removed.map((what) => findingFrom(OutputSanitized, [topic.label, what], { severity: 'warning', subject: topic.key }));
  // Named apart from the archive's files: the draft's slug may equal an existing article's.
  const { findings: validation } = validateArticleText(assembled.text, `${assembled.slug}.md (draft)`, config, recommendedPreset, rules);
  const outcome = await write(context, state, assembled, validation);
  return { kind: 'done', outcome, findings: [...notes, ...outcome.findings], result };
}

/** The articles already written, indexed for near-duplicate checks of new drafts. */
async function existingArchive(config: Context['config']): Promise<DuplicateArchive> {
  const articles = await loadArticles(config.resolved.articles);
  return buildDuplicateArchive(
    articles.map((article) => ({ file: `${article.slug}.md`, body: article.body, publishedAt: article.frontmatter.publishedAt.getTime() })),
    config.validate.duplicateThreshold,
  );
}
