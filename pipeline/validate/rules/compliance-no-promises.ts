import { proseMatches } from '../prose.ts';
import { defineRule } from './rule.ts';

/**
 * No promise language about money: "guaranteed returns", "risk-free", "can't lose", "get rich".
 *
 * Promising returns is what financial regulators pursue first in financial promotions, and it is
 * false for every product this niche covers. Negations that warn the reader ("no yield is
 * risk-free", "nothing is guaranteed") are fine.
 *
 * ok:     No yield is risk-free, and nothing here is guaranteed.
 * not-ok: This vault offers guaranteed returns.
 */
export const complianceNoPromises = defineRule({
  id: 'compliance/no-promises',
  version: 2,
  severity: 'error',
  description: 'No promises of returns or safety.',
  check(article) {
    return proseMatches(article.tree, PROMISE)
      .filter(({ prose, index }) => {
        // A warning is not a promise: "no … is risk-free", "not guaranteed", "nothing is guaranteed".
        const before = prose.text.slice(Math.max(0, index - 40), index).toLowerCase();
        return !/\b(no|not|never|nothing|none|isn't|aren't|wasn't|without|neither|nor)\b[^.!?]*$/.test(before);
      })
      .map(({ text, point }) => ({
        message: `Promise language: "${text}"`,
        hint: 'Describe the return as variable and name its risks; no product in this niche is guaranteed or risk-free.',
        point,
      }));
  },
});

const PROMISE =
  /\bguaranteed (returns?|yields?|income|profits?|gains?|interest|apy|apr)\b|\brisk[- ]free\b|\b(can(no|['’])t|cannot) lose\b|\bget rich\b|\bsure[- ]fire\b|\bdouble your (money|crypto|investment)\b|\bno risk\b|\bzero risk\b|\bpassive income for life\b/gi;
