import type { LoadedArticle } from '../archive/archive.ts';
import { listOf, subjectOf, withoutCitations } from './issue-reasons.ts';

/**
 * The newsletter's opening paragraph without a language model: what is in the issue, then why
 * it matters in the articles' own sentences — the lead article's first key takeaway, and the
 * next article's when there is room. Articles come in issue order, strongest first.
 *
 *   Six articles this time, on topics rising in the news the site follows: validator exit queue,
 *   liquid restaking, lending rate caps, tokenized treasury and 2 more. On validator exit queue,
 *   DeFi Ledger reports: “One custodian’s note to clients … this year.” On liquid restaking, …
 *
 * Nothing is said that the articles do not say: the subjects are their topics (or titles), and
 * every other sentence is a takeaway as the article wrote it, citation markers removed.
 */

/** The intro stays a paragraph a reader takes in at a glance; a second takeaway only when it fits. */
const ROOM_FOR_SECOND_TAKEAWAY = 600;

const COUNT_WORDS = ['No', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten'];

export function extractiveIntro(articles: readonly LoadedArticle[]): string {
  const [lead, next] = articles;
  if (!lead) return '';
  const sentences = [contentsOf(articles)];
  const leadTakeaway = takeawayOf(lead);
  // The lead's sentence follows the list that names it first; the next one says which article it is from.
  if (leadTakeaway) sentences.push(takeawaySentence(lead, leadTakeaway, false));
  const nextTakeaway = next && takeawayOf(next);
  if (next && nextTakeaway && nextTakeaway !== leadTakeaway) {
    const sentence = takeawaySentence(next, nextTakeaway, true);
    if ([...sentences, sentence].join(' ').length <= ROOM_FOR_SECOND_TAKEAWAY) sentences.push(sentence);
  }
  return sentences.join(' ');
}

/** "Six articles this time, on …: a, b, c, d and 2 more." — subjects in issue order. */
function contentsOf(articles: readonly LoadedArticle[]): string {
  const count = articles.length;
  const howMany = `${COUNT_WORDS[count] ?? String(count)} ${count === 1 ? 'article' : 'articles'} this time`;
  const subjects = articles.map(namedSubject);
  const trending = articles.every((article) => article.frontmatter.topic);
  if (count === 1) return `${howMany}, on ${subjects[0]}${trending ? ', a topic rising in the news the site follows' : ''}.`;
  return `${howMany}${trending ? ', on topics rising in the news the site follows' : ''}: ${listOf(subjects, 4)}.`;
}

/** A topic as it reads in a sentence; an article without one by its title, in quotation marks. */
function namedSubject(article: LoadedArticle): string {
  return article.frontmatter.topic ? subjectOf(article) : `“${article.frontmatter.title}”`;
}

/** The article's first key takeaway (its description when it has none), citation markers removed. */
function takeawayOf(article: LoadedArticle): string {
  return withoutCitations(article.frontmatter.keyTakeaways[0] ?? article.frontmatter.description);
}

/**
 * A takeaway as a sentence of the intro. One that quotes a publisher (`Publisher: “…”`, as
 * extractive digests write them) becomes "On <subject>, Publisher reports: “…”", so the quotation
 * stays word for word; a plain one is kept as it is, introduced by "On <subject>:" when it is not
 * the lead's (`named`).
 */
function takeawaySentence(article: LoadedArticle, takeaway: string, named: boolean): string {
  const quoted = /^([^“”:]{1,80}):\s*(“[^“”]+”)[.\s]*$/u.exec(takeaway);
  if (quoted) {
    const [, publisher, quotation] = quoted;
    return endSentence(`On ${namedSubject(article)}, ${publisher!.trim()} reports: ${quotation}`);
  }
  return endSentence(named ? `On ${namedSubject(article)}: ${takeaway}` : takeaway);
}

/** One full stop at the end, never two ("…year.”." → "…year.”"). */
function endSentence(text: string): string {
  return /[.!?…]["”’)]*$/u.test(text) ? text : `${text}.`;
}
