import type { ResolvedConfig } from '../config/niche-config.ts';
import type { ArticleFrontmatter } from '../schema/article.ts';
import type { FeedItem } from '../schema/feed-item.ts';
import type { State } from '../state.ts';
import { rankTrends, type TrendResult } from './rank-trends.ts';

/**
 * The trend ranking of a niche as it stands: the feed history from the state file against what
 * our articles already cover (drafted topics, article topics, titles and sources). Shared by
 * `nichepress trends`/`draft` and the site's trends page, so both always agree. With
 * `ignoreCoverage`, topics we already wrote about stay in (the page shows why they were picked).
 * `articles` are the archive's (the pipeline's in-memory archive, or the site's collection).
 */
export function rankHistory(
  config: ResolvedConfig,
  state: State,
  articles: ReadonlyArray<{ frontmatter: Pick<ArticleFrontmatter, 'title' | 'topic' | 'sources'> }>,
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
  const covered = new Set<string>(Object.keys(state.topics));
  for (const article of articles) if (article.frontmatter.topic) covered.add(article.frontmatter.topic.key);
  return rankTrends(items, config, {
    covered,
    coveredTitles: articles.map((article) => article.frontmatter.title),
    coveredSources: new Set(articles.flatMap((article) => article.frontmatter.sources.map((source) => source.url))),
  });
}
