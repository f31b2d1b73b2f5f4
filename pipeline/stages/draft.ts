import { join } from 'node:path';
import type { Context } from '../context.ts';
import { DraftBudgetReached, DraftFailed, DraftOutputInvalid, OutputSanitized } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { NichepressError } from '../errors/nichepress-error.ts';
import { digestJson } from '../lib/hash.ts';
import { mapLimit } from '../lib/map-limit.ts';
import { articleOutputSchema } from '../llm/article-output.ts';
import { DraftCache } from '../llm/draft-cache.ts';
import { DraftError, type DraftProvider, type DraftResult } from '../llm/provider.ts';
import type { Topic } from '../schema/feed-item.ts';
import type { State } from '../state.ts';
import { assembleArticle } from './assemble-article.ts';
import { validateArticleText } from './validate.ts';
import { writeArticle, type WriteOutcome } from './write.ts';

export interface DraftStageResult {
  articles: WriteOutcome[];
  counts: Record<string, number>;
  findings: Finding[];
}

/**
 * Drafts the best-ranked topics we have not covered, up to the run's budget: provider (or the
 * response cache) → assembly (untrusted output tamed) → validation → atomic write. A topic that
 * fails is one finding; the run goes on with the others.
 */
export async function draftTopics(context: Context, state: State, topics: readonly Topic[], provider: DraftProvider): Promise<DraftStageResult> {
  const findings: Finding[] = [];
  const pending = topics.filter((topic) => !state.topics[topic.key]);
  const budget = context.config.draft.maxArticles;
  const chosen = pending.slice(0, budget);
  if (pending.length > budget) {
    findings.push(
      findingFrom(DraftBudgetReached, [`draft.maxArticles is ${budget} and ${pending.length} topics were waiting`], { severity: 'info' }),
    );
  }

  const cache = new DraftCache(join(context.config.resolved.cacheDir, 'cache', 'drafts'));
  let cacheHits = 0;
  let providerCalls = 0;
  let done = 0;

  const outcomes = await mapLimit(chosen, context.config.draft.concurrency, async (topic) => {
    const inputHash = digestJson({
      provider: provider.name,
      model: provider.model,
      topic: topic.key,
      sources: topic.items.slice(0, 8).map((item) => [item.url, item.title, item.summary]),
      affiliates: topic.affiliates,
      language: context.config.site.language,
    });
    let result: DraftResult | undefined = context.noCache ? undefined : await cache.get(inputHash);
    if (result && articleOutputSchema.safeParse(result.output).success) {
      cacheHits++;
    } else {
      try {
        providerCalls++;
        result = await provider.draft({ topic, config: context.config });
      } catch (error) {
        // Configuration problems (a broken prompt) abort the run; everything else is per topic.
        if (error instanceof NichepressError) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        const data = error instanceof DraftError && error.code === 'NP4002' ? DraftOutputInvalid : DraftFailed;
        return { outcome: undefined, findings: [findingFrom(data, [topic.label, reason], { subject: topic.key })] };
      }
      if (!context.dryRun) await cache.set(inputHash, result);
    }

    const assembled = assembleArticle({ result, topic, config: context.config, generator: provider.name, now: context.now, inputHash });
    const notes = assembled.removed.map((what) => findingFrom(OutputSanitized, [topic.label, what], { severity: 'warning', subject: topic.key }));
    const { findings: validation } = validateArticleText(assembled.text, `${assembled.slug}.md`, context.config);
    const outcome = await writeArticle(context, state, assembled, validation);
    done++;
    context.log(`draft ${done}/${chosen.length}: ${outcome.status} ${outcome.file}`);
    return { outcome, findings: [...notes, ...outcome.findings] };
  });

  const articles: WriteOutcome[] = [];
  for (const { outcome, findings: topicFindings } of outcomes) {
    if (outcome) articles.push(outcome);
    findings.push(...topicFindings);
  }
  return {
    articles,
    counts: {
      topics: chosen.length,
      written: articles.filter((article) => article.status === 'written').length,
      quarantined: articles.filter((article) => article.status === 'quarantined').length,
      unchanged: articles.filter((article) => article.status === 'unchanged').length,
      failed: chosen.length - articles.length + articles.filter((article) => article.status === 'failed').length,
      providerCalls,
      cacheHits,
    },
    findings,
  };
}
