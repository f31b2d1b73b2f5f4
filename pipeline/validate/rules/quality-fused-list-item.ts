import { proseMatches } from '../prose.ts';
import { defineRule } from './rule.ts';

/**
 * List numbering is not fused into the sentence before it — "the risks are:1. Slashing",
 * "…before the lock-up ends.Withdrawals4. Exit fees vary" — whether the item was plain, bold or
 * italic (the tree has already dropped the emphasis markers), in any script.
 *
 * Models that lose the line breaks of a list produce these, and Markdown then renders one
 * run-on paragraph with stray numbers instead of a list. Names that end in a digit (Uniswap v3,
 * Web3, ETH2, Layer 2 written L2, ERC-20) are not items.
 *
 * ok:     The risks are:\n\n1. Slashing\n2. Depegs
 * not-ok: The risks are:1. Slashing 2. Depegs
 */
export const qualityFusedListItem = defineRule({
  id: 'quality/fused-list-item',
  version: 3,
  severity: 'error',
  description: 'Numbered items start on their own line.',
  check(article) {
    return proseMatches(article.tree, FUSED)
      .filter(({ prose, index }) => !NAME_WITH_NUMBER.test(prose.text.slice(Math.max(0, index - 12), index + 3)))
      .map(({ text, point }) => ({
        message: `Numbered item "${text.trim().slice(0, 24)}" is fused to the text before it`,
        hint: 'Start each numbered item on its own line, after a blank line before the list.',
        point,
      }));
  },
});

/** A one- or two-digit number glued to a letter or colon, then "." or ")" and the item's first letter. */
const FUSED = /(?<=[\p{L}:])[1-9]\d?[.)][ \t]+(?=[\p{Lu}\p{Lo}])/gu;

/** Product and standard names that end in a number, seen just before a match. */
const NAME_WITH_NUMBER = /(?:\bv|\bweb|\beth|\bL|\blayer|\berc-?|\beip-?|\bbep-?|\bgpt-?|\bcovid-?|\bipv)\d{1,2}[.)]/i;
