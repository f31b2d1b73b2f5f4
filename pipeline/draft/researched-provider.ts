import type { ResolvedConfig } from '../config/niche-config.ts';
import type { Finding } from '../errors/finding.ts';
import type { Researcher } from '../research/research-sources.ts';
import { articleOutputSchema } from './article-output.ts';
import { DraftError } from './draft-error.ts';
import { claimList, groundArticle, groundingSources, unsupportedFinding } from './ground-output.ts';
import type { DraftProvider, DraftRequest, DraftResult } from './provider.ts';

/**
 * A provider that reads before it writes and publishes only what the sources say: the topic's
 * pages are researched first (snapshots, passages), the inner provider drafts from them, and the
 * draft is grounded — every sentence whose figures, dates, names or quotations its cited sources
 * do not state is dropped, each drop a finding (`citations/unsupported-claim`).
 */
export function withResearch(provider: DraftProvider, researcher: Researcher, config: ResolvedConfig): DraftProvider {
  return {
    name: provider.name,
    model: provider.model,
    async draft(request: DraftRequest): Promise<DraftResult> {
      const research = request.research ?? (await researcher.research(request.topic));
      const result = await provider.draft({ ...request, research });
      const sources = groundingSources(research, config.site.title);
      const grounded = groundArticle(result.output, sources);
      const label = request.topic.label;
      if (grounded.blocking.length) {
        throw new DraftError('NP4002', `unsupported claims in the ${grounded.blocking.map((entry) => `${entry.path} (${claimList(entry)})`).join(' and ')}`);
      }
      const checked = articleOutputSchema.safeParse(grounded.output);
      if (!checked.success) {
        throw new DraftError('NP4002', `after dropping ${grounded.dropped.length} unsupported sentences the article is incomplete (${checked.error.issues[0]?.path.join('.')}: ${checked.error.issues[0]?.message})`);
      }
      const earlier = result.research ?? { claimsChecked: 0, claimsDropped: 0 };
      const findings: Finding[] = [...(result.findings ?? []), ...grounded.dropped.map((entry) => unsupportedFinding(entry, request.topic.key, label))];
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
