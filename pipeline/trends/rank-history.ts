import type { ResolvedConfig } from '../config/niche-config.ts';
import { loadArticles, type LoadedArticle } from '../archive/load-articles.ts';
import type { FeedItem } from '../schema/feed-item.ts';
import type { State } from '../state.ts';
import { rankTrends, type TrendResult } from './rank-trends.ts';

/**
 * The trend ranking of a niche as it stands: the feed history from the state file against what
 * our articles already cover (drafted topics, article topics, titles and sources). Shared by
 * `nichepress trends`/`draft` and the site's trends page, so both always agree. With
 * `ignoreCoverage`, topics we already wrote about stay in (the page shows why they were picked).
 * `articles` saves reading the articles folder again when the caller has already loaded it.
 */
export async function rankHistory(
  config: ResolvedConfig,
  state: State,
  options: { ignoreCoverage?: boolean; articles?: LoadedArticle[] } = {},
): Promise<TrendResult> {
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
  const articles = options.articles ?? (await loadArticles(config.resolved.articles));
  const covered = new Set<string>(Object.keys(state.topics));
  for (const article of articles) if (article.frontmatter.topic) covered.add(article.frontmatter.topic.key);
  return rankTrends(items, config, {
    covered,
    coveredTitles: articles.map((article) => article.frontmatter.title),
    coveredSources: new Set(articles.flatMap((article) => article.frontmatter.sources.map((source) => source.url))),
  });
}
