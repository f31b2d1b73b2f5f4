import type { LoadedArticle } from '../archive/archive.ts';

/**
 * The order of an issue and its subject line.
 *
 * The issue leads with its strongest article: the one whose trend topic scored highest when it
 * was drafted (articles without a score, such as hand-written ones, follow, newest first). The
 * subject is that article's title — what a reader decides on in the inbox — with the number of
 * further articles, and never two punctuation marks in a row ("Notes #1: Fees: what…").
 */

/** Highest topic score first; unscored after, newest first; then by slug for a stable order. */
export function rankForIssue(articles: readonly LoadedArticle[]): LoadedArticle[] {
  const score = (article: LoadedArticle) => article.frontmatter.topic?.score ?? Number.NEGATIVE_INFINITY;
  return [...articles].sort(
    (a, b) =>
      score(b) - score(a) ||
      b.frontmatter.publishedAt.getTime() - a.frontmatter.publishedAt.getTime() ||
      a.slug.localeCompare(b.slug),
  );
}

/** Subjects longer than this are cut in the inbox list of most clients. */
const SUBJECT_MAX = 90;

export function issueSubject(titles: readonly string[]): string {
  const top = tidy(titles[0] ?? '');
  const more = titles.length - 1;
  const tail = more > 0 ? `, and ${more} more` : '';
  const room = SUBJECT_MAX - tail.length;
  return `${top.length <= room ? top : shortenTitle(top, room)}${tail}`;
}

/** Collapses whitespace, drops end punctuation and folds runs of punctuation into one mark. */
function tidy(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\s+([,;:.!?])/g, '$1')
    .replace(/([,;:.!?])(?:\s*[,;:.!?])+/g, '$1')
    .trim()
    .replace(/[\s,;:.]+$/, '');
}

/** The title up to its last clause break that fits, else its last whole word that fits. */
function shortenTitle(title: string, room: number): string {
  const fitting = title.slice(0, room - 1);
  const clause = Math.max(fitting.lastIndexOf(': '), fitting.lastIndexOf(' — '), fitting.lastIndexOf(', '));
  if (clause > room / 3) return fitting.slice(0, clause);
  return `${fitting.slice(0, Math.max(fitting.lastIndexOf(' '), 1)).replace(/[\s,;:.]+$/, '')}…`;
}
