import type { ResolvedConfig } from '../config/niche-config.ts';
import { SourcePageNotRead } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import type { Researcher, TopicResearch } from '../research/research-sources.ts';
import type { Topic } from '../schema/feed-item.ts';
import { articleOutputSchema } from './article-output.ts';
import { assembleArticle } from './assemble-article.ts';
import { DraftError } from './draft-error.ts';
import { groundArticle, groundingSources, unsupportedFinding, type UnsupportedSentence } from './ground-output.ts';
import type { DraftProvider, DraftRequest, DraftResult } from './provider.ts';

/**
 * A provider that reads before it writes and publishes only what the sources say: the topic's
 * pages are researched first (snapshots, passages), the inner provider drafts from them, and the
 * draft is grounded — every sentence whose figures, dates, names or quotations its cited sources
 * do not state is dropped, each drop a finding (`citations/unsupported-claim`) at its line in the
 * draft as the provider wrote it.
 */
export function withResearch(provider: DraftProvider, researcher: Researcher, config: ResolvedConfig): DraftProvider {
  return {
    name: provider.name,
    model: provider.model,
    research: researcher.counts,
    ...(provider.batch ? { batch: provider.batch } : {}),
    async draft(request: DraftRequest): Promise<DraftResult> {
      const { topic } = request;
      const research = request.research ?? (await researcher.research(topic));
      const result = await provider.draft({ ...request, research });
      const grounded = groundArticle(result.output, groundingSources(research, config.site.title), plainFields(topic));
      const checked = articleOutputSchema.safeParse(grounded.output);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new DraftError('NP4002', `after dropping ${grounded.dropped.length} unsupported sentences the article is incomplete (${issue?.path.join('.')}: ${issue?.message})`);
      }
      const where = locate(result, topic, config, grounded.dropped);
      const earlier = result.research ?? { claimsChecked: 0, claimsDropped: 0 };
      const findings: Finding[] = [
        ...unreadFindings(topic, research),
        ...(result.findings ?? []),
        ...grounded.dropped.map((entry, index) => unsupportedFinding(entry, topic.key, topic.label, where[index])),
      ];
      return {
        ...result,
        output: checked.data,
        research: {
          pagesRead: research.sources.filter((source) => source.from === 'page').length,
          feedOnly: research.sources.filter((source) => source.from === 'feed').length,
          claimsChecked: earlier.claimsChecked + grounded.checked,
          claimsDropped: earlier.claimsDropped + grounded.dropped.length,
        },
        findings,
      };
    },
  };
}

/** A title and description that claim nothing, for when the provider's claim what no source states. */
function plainFields(topic: Topic): { title: string; description: string } {
  const label = topic.label.charAt(0).toUpperCase() + topic.label.slice(1);
  const title = `${label}: what the sources say`.slice(0, 120);
  return { title: title.length >= 10 ? title : `${title} — research`, description: `A sourced research note on ${topic.label.toLowerCase()}, each claim linked to the source that states it.`.slice(0, 200) };
}

/** The line of each dropped sentence in the draft as the provider wrote it, named like the validator names drafts. */
function locate(result: DraftResult, topic: Topic, config: ResolvedConfig, dropped: UnsupportedSentence[]): { file?: string; line?: number }[] {
  if (dropped.length === 0) return [];
  const original = assembleArticle({ result, topic, config, generator: 'openai', now: new Date(0), inputHash: '' });
  const lines = original.text.split('\n');
  const file = `${original.slug}.md (draft)`;
  return dropped.map((entry) => {
    // Citations are links in the file; the words before the first one find the line.
    const probe = entry.sentence.split('[')[0]!.replace(/[*_>`]/g, '').trim().slice(0, 40);
    const index = probe ? lines.findIndex((line) => line.includes(probe)) : -1;
    return index >= 0 ? { file, line: index + 1 } : { file };
  });
}

function unreadFindings(topic: Topic, research: TopicResearch): Finding[] {
  return research.sources
    .filter((source) => source.from === 'feed' && source.reason !== 'research-off')
    .map((source) => findingFrom(SourcePageNotRead, [source.item.url, `${source.reason}${source.detail ? `: ${source.detail}` : ''}`], { severity: 'info', subject: topic.key }));
}
