import { codeOf, matchesOutsideCode } from './markdown-scan.ts';
import { type Rule } from './rule.ts';

/**
 * A numbered item is not fused to the word before it ("the risks are:1. Slashing", "fees2. Gas").
 *
 * Models that lose a newline produce these, and markdown then renders one run-on paragraph with
 * stray numbers instead of a list.
 *
 * ok:     The risks are:\n\n1. Slashing\n2. Depegs
 * not-ok: The risks are:1. Slashing 2. Depegs
 */
export const qualityFusedListItem: Rule = {
  id: 'quality/fused-list-item',
  severity: 'error',
  description: 'Numbered items start on their own line.',
  check(article) {
    const code = codeOf(article);
    // A digit glued to a lower-case letter or a colon, then ". Capital": "are:1. Slashing",
    // "fees2. Gas". Version numbers ("Uniswap v3. The") are not items.
    return matchesOutsideCode(article.body, /(?<=[\p{Ll}:])(?<!\bv)[1-9]\d?\.\s+\p{Lu}/gu, code)
      .map((match) => ({
        message: `Numbered item "${match[0].trim().slice(0, 20)}" is fused to the text before it`,
        hint: 'Start each numbered item on its own line, after a blank line before the list.',
        offset: match.index,
      }));
  },
};
