import type { ResolvedConfig } from '../config/niche-config.ts';
import type { Coverage } from '../archive/archive.ts';
import type { FeedItem } from '../schema/feed-item.ts';
import type { State } from '../state.ts';
import { rankTrends, type TrendResult } from './rank-trends.ts';

/**
 * The trend ranking of a niche as it stands: the feed history from the state file against what
 * our articles already cover (drafted topics, article topics, titles and sources). Shared by
 * `nichepress trends`/`draft` and the site's trends page, so both always agree. With
 * `ignoreCoverage`, topics we already wrote about stay in (the page shows why they were picked).
 * `covered` is what the archive holds (the pipeline's in-memory archive, or the site's collection).
 */
export function rankHistory(
  config: ResolvedConfig,
  state: State,
  covered: readonly Coverage[],
  options: { ignoreCoverage?: boolean } = {},
): TrendResult {
  const items: FeedItem[] = Object.entries(state.items).map(([id, record]) => ({
    id,
    title: record.title,
    url: record.url,
    summary: record.summary,
    publishedAt: record.publishedAt,
    feed: record.feed,
    publisher: record.publisher,
  }));
  if (options.ignoreCoverage) return rankTrends(items, config, { covered: new Set() });
  const topics = new Set<string>(Object.keys(state.topics));
  for (const entry of covered) if (entry.topic) topics.add(entry.topic);
  return rankTrends(items, config, {
    covered: topics,
    coveredTitles: covered.flatMap((entry) => (entry.title ? [entry.title] : [])),
    coveredSources: new Set(covered.flatMap((entry) => entry.sources)),
  });
}
