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
  version: 2,
  severity: 'error',
  description: 'The body has a minimum number of words.',
  options: (config) => ({ minimum: config.validate.minWords }),
  check(article, { minimum }) {
    const words = countWords(proseOf(article.tree).text);
    if (words >= minimum) return [];
    return [
      {
        message: `The body has ${words} words; at least ${minimum} are required`,
        hint: 'Expand the article, or lower validate.minWords in the config.',
        node: article.tree.children.find((node) => node.type !== 'yaml') ?? article.tree,
      },
    ];
  },
});

/** Words of plain text: runs of letters and digits, and pairs of characters of unspaced scripts. */
export function countWords(text: string): number {
  const unspaced = text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/gu)?.length ?? 0;
  const spaced = text.replace(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/gu, ' ').match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
  return spaced + Math.ceil(unspaced / 2);
}
