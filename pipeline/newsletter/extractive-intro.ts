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
  if (articles.length === 0) return '';
  const sentences = [contentsOf(articles)];
  const lead = takeawaySentence(articles[0]!, false);
  if (lead) sentences.push(lead);
  // The lead's sentence follows the list that names it first; the next one says which article it is from.
  const next = articles[1] && takeawaySentence(articles[1], true);
  if (next && !sentences.some((sentence) => sentence.endsWith(withoutSubject(next))) && [...sentences, next].join(' ').length <= ROOM_FOR_SECOND_TAKEAWAY) {
    sentences.push(next);
  }
  return sentences.join(' ');
}

/** "Six articles this time, on …: a, b, c, d and 2 more." — subjects in issue order. */
function contentsOf(articles: readonly LoadedArticle[]): string {
  const count = articles.length;
  const howMany = `${COUNT_WORDS[count] ?? String(count)} ${count === 1 ? 'article' : 'articles'} this time`;
  const subjects = articles.map((article) => (article.frontmatter.topic ? subjectOf(article) : `“${article.frontmatter.title}”`));
  const trending = articles.every((article) => article.frontmatter.topic);
  if (count === 1) return `${howMany}, on ${subjects[0]}${trending ? ', a topic rising in the news the site follows' : ''}.`;
  return `${howMany}${trending ? ', on topics rising in the news the site follows' : ''}: ${listOf(subjects, 4)}.`;
}

/**
 * The article's first key takeaway (its description when it has none) as a sentence of the
 * intro. A takeaway that quotes a publisher (`Publisher: “…”`, as extractive digests write them)
 * becomes "On <subject>, Publisher reports: “…”", so the quotation stays word for word; a plain
 * one is kept as it is, introduced by "On <subject>:" when it is not the lead's (`named`).
 */
function takeawaySentence(article: LoadedArticle, named: boolean): string | undefined {
  const text = withoutCitations(article.frontmatter.keyTakeaways[0] ?? article.frontmatter.description);
  if (!text) return undefined;
  const subject = article.frontmatter.topic ? subjectOf(article) : `“${article.frontmatter.title}”`;
  const quoted = /^([^“”:]{1,80}):\s*(“[^“”]+”)[.\s]*$/u.exec(text);
  if (quoted) {
    const [, publisher, quotation] = quoted;
    return endSentence(`On ${subject}, ${publisher!.trim()} reports: ${quotation}`);
  }
  return endSentence(named ? `On ${subject}: ${text}` : text);
}

/** The takeaway itself, without the "On <subject>" that introduces it: two articles may say the same. */
function withoutSubject(sentence: string): string {
  return sentence.replace(/^On .+?(?:, [^,:“”]+ reports)?: /u, '');
}

/** One full stop at the end, never two ("…year.”." → "…year.”"). */
function endSentence(text: string): string {
  return /[.!?…]["”’)]*$/u.test(text) ? text : `${text}.`;
}
