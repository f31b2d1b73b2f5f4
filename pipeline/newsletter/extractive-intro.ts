import type { LoadedArticle } from '../archive/archive.ts';

/**
 * The newsletter's opening paragraph without a language model: what the issue leads with and
 * why it matters — the lead article's title and its first key takeaway (a sourced sentence of the
 * article, citation markers removed) — then what else is in the issue. Articles come in issue
 * order, strongest first. Nothing is said that the articles do not say themselves.
 */
export function extractiveIntro(articles: readonly LoadedArticle[]): string {
  const [lead, ...others] = articles;
  if (!lead) return '';
  const sentences: string[] = [];
  const why = (lead.frontmatter.keyTakeaways[0] ?? lead.frontmatter.description).replace(/\s*\[\d+\]/g, '').trim();
  sentences.push(`This issue leads with “${lead.frontmatter.title}”.`);
  if (why) sentences.push(/[.!?…]$/.test(why) ? why : `${why}.`);
  if (others.length > 0) {
    const named = others.slice(0, 2).map((article) => `“${article.frontmatter.title}”`);
    const rest = others.length - named.length;
    const list = rest > 0 ? `${named.join(', ')} and ${rest} more ${rest === 1 ? 'article' : 'articles'}` : named.join(' and ');
    sentences.push(`Also in this issue: ${list}.`);
  }
  sentences.push(`Every article lists its sources, so each claim can be checked.`);
  return sentences.join(' ');
}
