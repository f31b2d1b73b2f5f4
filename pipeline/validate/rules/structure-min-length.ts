import { proseOf } from '../prose.ts';
import { defineRule } from './rule.ts';

/**
 * The body has at least `validate.minWords` words (markup, link targets and code not counted;
 * in scripts written without spaces, two characters count as a word).
 *
 * Thin pages rank poorly and a very short body usually means a failed or truncated draft.
 *
 * ok:     a body of a few hundred words
 * not-ok: a two-sentence body
 */
export const structureMinLength = defineRule({
  id: 'structure/min-length',
  version: 3,
  severity: 'error',
  description: 'The body has a minimum number of words.',
  options: (config) => ({ minimum: config.validate.minWords }),
  check(article, { minimum }) {
    const words = countWords(proseOf(article.tree).text);
    if (words >= minimum) return [];
    return [
      {
        message: `The body has ${words === 1 ? '1 word' : `${words} words`}; at least ${minimum} are required`,
        hint: 'Expand the article, or lower validate.minWords in the config.',
        node: article.tree.children.find((node) => node.type !== 'yaml') ?? article.tree,
      },
    ];
  },
});

/** Words of plain text: runs of letters and digits, and pairs of characters of unspaced scripts. */
export function countWords(text: string): number {
  return occurrences(SPACED_WORD, text) + Math.ceil(occurrences(UNSPACED_CHARACTER, text) / 2);
}

/** Characters of the scripts written without spaces between words (their combining marks included). */
const UNSPACED_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/gv;
/** A run of letters and digits of the other scripts: an unspaced character ends it, as a space would. */
const SPACED_WORD = /[[\p{L}\p{N}]--[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]]+/gv;

/** How often a global pattern occurs in a text, counted without building the matches. */
function occurrences(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  let count = 0;
  while (pattern.test(text)) count++;
  return count;
}
