/**
 * Topics: the tags of published articles, indexed once per build, and what the pages derive from
 * them — one page per topic that gathers at least HUB_MIN_ARTICLES articles (paginated), and
 * related articles. A tag on a single article gets no page: a page listing one article is a thin
 * duplicate of that article.
 *
 * Pure functions over anything shaped like an article (no `astro:content` import and no import of
 * ./articles.ts, which builds the index once per build from here): with 10,000 articles a per-page
 * scan of the collection would make the build quadratic. Related articles only look at the newest
 * few articles of each of an article's tags, so each page costs the same however large the site
 * grows.
 */

/** What the topic helpers read from an article (a collection entry has these and more). */
export interface TaggedArticle {
  id: string;
  data: { tags: readonly string[]; publishedAt: Date };
}

/** A tag needs this many published articles to get a page of its own. */
export const HUB_MIN_ARTICLES = 2;
/** Candidates per tag considered for related articles. */
const RELATED_CANDIDATES_PER_TAG = 24;

export interface Topic<Article extends TaggedArticle = TaggedArticle> {
  tag: string;
  /** The tag for people: "liquid-staking" → "Liquid staking". */
  label: string;
  /** Its published articles, newest first. */
  articles: Article[];
}

export interface TopicIndex<Article extends TaggedArticle = TaggedArticle> {
  /** Every tag of a published article, most articles first (then by name). */
  topics: Topic<Article>[];
  byTag: ReadonlyMap<string, Topic<Article>>;
  /** Tags with a page of their own, in the order of `topics`. */
  hubs: Topic<Article>[];
}

export function tagLabel(tag: string): string {
  const words = tag.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The topic's page, or its n-th page (1-based) when its list is paginated. */
export function topicPath(tag: string, page = 1): string {
  return page <= 1 ? `/topics/${tag}/` : `/topics/${tag}/${page}/`;
}

export function hasHub(topic: Pick<Topic, 'articles'>): boolean {
  return topic.articles.length >= HUB_MIN_ARTICLES;
}

/** Builds the index from articles sorted newest first (their order is kept inside each topic). */
export function indexTopics<Article extends TaggedArticle>(articles: readonly Article[]): TopicIndex<Article> {
  const byTag = new Map<string, Topic<Article>>();
  for (const article of articles) {
    for (const tag of new Set(article.data.tags)) {
      let topic = byTag.get(tag);
      if (!topic) {
        topic = { tag, label: tagLabel(tag), articles: [] };
        byTag.set(tag, topic);
      }
      topic.articles.push(article);
    }
  }
  const topics = [...byTag.values()].sort((a, b) => b.articles.length - a.articles.length || a.tag.localeCompare(b.tag));
  return { topics, byTag, hubs: topics.filter(hasHub) };
}

/** The article's main topic: its first tag that has a hub, else its first tag. */
export function primaryTopic<Article extends TaggedArticle>(article: Article, topics: TopicIndex<Article>): Topic<Article> | undefined {
  const own = article.data.tags.map((tag) => topics.byTag.get(tag)).filter((topic): topic is Topic<Article> => topic !== undefined);
  return own.find(hasHub) ?? own[0];
}

/**
 * Up to `limit` other articles sharing the most tags with `article` (ties: newest first). Only the
 * newest RELATED_CANDIDATES_PER_TAG articles of each tag are candidates: bounded work per page.
 */
export function relatedArticles<Article extends TaggedArticle>(article: Article, topics: TopicIndex<Article>, limit = 4): Article[] {
  const shared = new Map<Article, number>();
  for (const tag of new Set(article.data.tags)) {
    const topic = topics.byTag.get(tag);
    if (!topic) continue;
    let taken = 0;
    for (const other of topic.articles) {
      if (other.id === article.id) continue;
      shared.set(other, (shared.get(other) ?? 0) + 1);
      if (++taken >= RELATED_CANDIDATES_PER_TAG) break;
    }
  }
  return [...shared].sort(byRank).slice(0, Math.max(0, limit)).map(([other]) => other);
}

/** More shared tags first, then newer, then by id. */
function byRank([a, scoreA]: [TaggedArticle, number], [b, scoreB]: [TaggedArticle, number]): number {
  return scoreB - scoreA || b.data.publishedAt.getTime() - a.data.publishedAt.getTime() || a.id.localeCompare(b.id);
}
