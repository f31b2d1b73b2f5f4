import { codeOf } from './markdown-scan.ts';
import { type Rule } from './rule.ts';

/**
 * The body has at least `validate.minWords` words (markup, link targets and code not counted).
 *
 * Thin pages rank poorly and a very short body usually means a failed or truncated draft.
 *
 * ok:     a body of a few hundred words
 * not-ok: a two-sentence body
 */
export const structureMinLength: Rule = {
  id: 'structure/min-length',
  severity: 'error',
  description: 'The body has a minimum number of words.',
  check(article, config) {
    const minimum = config.validate.minWords;
    let prose = article.body;
    for (const [start, end] of [...codeOf(article)].sort((a, b) => b[0] - a[0])) prose = prose.slice(0, start) + prose.slice(end);
    // Counting stops at the minimum: the exact count is only needed for the message.
    const words = countWords(prose, minimum);
    if (words >= minimum) return [];
    return [
      {
        message: `The body has ${words} words; at least ${minimum} are required`,
        hint: 'Expand the article, or lower validate.minWords in the config.',
        offset: Math.max(0, article.body.search(/\S/)),
      },
    ];
  },
};

/**
 * Words of visible text: runs of letters and digits, with link targets `](…)` skipped. A plain
 * character loop, because a Unicode regex over 10,000 bodies costs seconds. With `atMost`, it
 * stops as soon as that many words are counted (most bodies pass the minimum in their first part).
 */
export function countWords(markdown: string, atMost = Number.POSITIVE_INFINITY): number {
  let words = 0;
  let inWord = false;
  for (let index = 0; index < markdown.length; index++) {
    const code = markdown.charCodeAt(index);
    if (code === 0x5d /* ] */ && markdown.charCodeAt(index + 1) === 0x28 /* ( */) {
      const close = markdown.indexOf(')', index + 2);
      if (close !== -1) {
        index = close;
        inWord = false;
        continue;
      }
    }
    const wordChar = (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code >= 0xc0;
    if (wordChar && !inWord && ++words >= atMost) return words;
    inWord = wordChar;
  }
  return words;
}
