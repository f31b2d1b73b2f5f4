/**
 * Shortening prose for a post without cutting a sentence in the middle of a word or a thought:
 * drop whole sentences from the end first; when one sentence alone is too long, drop its last
 * clauses (at a comma, semicolon, colon or dash) and mark the cut with an ellipsis. Returns
 * undefined when not even the first clause fits.
 */
const sentences = new Intl.Segmenter('en', { granularity: 'sentence' });
const CLAUSE_BREAK = /[,;:]\s+|\s+[—–-]\s+/g;

export function splitSentences(text: string): string[] {
  return [...sentences.segment(text.replace(/\s+/g, ' ').trim())].map(({ segment }) => segment.trim()).filter(Boolean);
}

/** The longest prefix of `text` that `fits`, cut at a sentence end, else at a clause end. */
export function shortenProse(text: string, fits: (candidate: string) => boolean): string | undefined {
  const all = splitSentences(text);
  for (let count = all.length; count > 0; count--) {
    const candidate = all.slice(0, count).join(' ');
    if (fits(candidate)) return candidate;
  }
  const first = all[0];
  if (!first) return undefined;
  const breaks = [...first.matchAll(CLAUSE_BREAK)].map((match) => match.index);
  for (let index = breaks.length - 1; index >= 0; index--) {
    const candidate = `${first.slice(0, breaks[index]).replace(/[\s,;:]+$/, '')}…`;
    if (fits(candidate)) return candidate;
  }
  return undefined;
}
