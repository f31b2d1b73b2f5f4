import type { LoadedArticle } from '../archive/archive.ts';

/**
 * What each article of an issue is about and why it is in the issue, from its own frontmatter:
 * both intro writers (the model and the extractive one) say what is inside and why it matters,
 * and neither may invent a reason.
 *
 * An article drafted from a trend carries its topic: the trends stage only drafts what is rising
 * in the niche's feeds and told by several publishers, so that is its reason, with the
 * publishers its sources name. The issue's order (./issue-subject.ts) puts the highest-scoring
 * topic first, which makes it the lead. A hand-written article has no topic: it is in the issue
 * because it was published since the last one.
 */

/** Citation markers like [1] point at the article's source list, which the intro does not have. */
export const withoutCitations = (text: string) => text.replace(/\s*\[\d+\]/g, '').replace(/\s+/g, ' ').trim();

/**
 * The article's subject as it reads inside a sentence: the topic label with its first letter
 * lowered when the article itself writes the phrase that way ("Blob fees" → "blob fees", but
 * "Ethereum staking" stays), else the title for an article without a topic.
 */
export function subjectOf(article: LoadedArticle): string {
  const label = article.frontmatter.topic?.label;
  if (!label) return article.frontmatter.title;
  const lowered = label.charAt(0).toLowerCase() + label.slice(1);
  if (lowered === label) return label;
  const { title, description, keyTakeaways } = article.frontmatter;
  const text = [title, description, ...keyTakeaways, article.body].join('\n');
  const escaped = lowered.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').test(text) ? lowered : label;
}

/** Publishers the article's sources name (their host names where a source names none), in order. */
export function publishersOf(article: LoadedArticle): string[] {
  const names = article.frontmatter.sources.map((source) => source.publisher?.trim() || hostOf(source.url));
  return [...new Set(names.filter((name): name is string => Boolean(name)))];
}

/** Why the article at `position` (0 = the lead) of the issue's `articles` is in it, as one sentence. */
export function reasonInIssue(articles: readonly LoadedArticle[], position: number): string {
  const article = articles[position];
  if (!article) throw new RangeError(`no article at position ${position} of the issue`);
  const topic = article.frontmatter.topic;
  if (!topic) {
    const who = article.frontmatter.generator === 'human' ? 'Written by the site\'s editors and published' : 'Published';
    return `${who} since the last issue.`;
  }
  const publishers = publishersOf(article);
  const told = publishers.length > 0 ? `, reported by ${listOf(publishers, 3)}` : '';
  const ranked = articles.filter((other) => other.frontmatter.topic?.score !== undefined).length;
  const leads = position === 0 && ranked > 1 && topic.score !== undefined;
  const subject = subjectOf(article);
  return leads
    ? `It leads the issue: its topic, ${subject}, scored highest of this issue's topics rising in the news the site follows${told}.`
    : `Its topic, ${subject}, rose in the news the site follows${told}.`;
}

/** "A", "A and B", "A, B and C", "A, B, C and 2 more": at most `named` names. */
export function listOf(names: readonly string[], named: number): string {
  const shown = names.slice(0, named);
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return undefined;
  }
}
