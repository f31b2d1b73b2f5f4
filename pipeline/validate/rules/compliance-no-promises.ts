import { codeOf } from './markdown-scan.ts';
import { foldCase, matchesIgnoringCase, mentionsAny } from './phrase-gates.ts';
import { type Rule } from './rule.ts';

/**
 * No promise language about money: "guaranteed returns", "risk-free", "can't lose", "get rich".
 *
 * Promising returns is what regulators (SEC, FCA, ESMA) pursue first in financial promotions,
 * and it is false for every product this niche covers. Negations that warn the reader ("no yield
 * is risk-free", "nothing is guaranteed") are fine.
 *
 * ok:     No yield is risk-free, and nothing here is guaranteed.
 * not-ok: This vault offers guaranteed returns.
 */
export const complianceNoPromises: Rule = {
  id: 'compliance/no-promises',
  severity: 'error',
  description: 'No promises of returns or safety.',
  check(article) {
    if (!mentionsAny(article, GATES)) return [];
    const code = codeOf(article);
    const messages = [];
    for (const found of matchesIgnoringCase(article, PROMISE, code)) {
      const match = { index: found.index, 0: found.text };
      const before = article.body.slice(Math.max(0, match.index - 40), match.index).toLowerCase();
      // A warning is not a promise: "no … is risk-free", "not guaranteed", "nothing is guaranteed".
      if (/\b(no|not|never|nothing|none|isn't|aren't|wasn't|without|neither|nor)\b[^.!?]*$/.test(before)) continue;
      if (/^guaranteed\b/i.test(match[0]) && /\b(not|never|nothing)\b/.test(before)) continue;
      messages.push({
        message: `Promise language: "${match[0]}"`,
        hint: 'Describe the return as variable and name its risks; no product in this niche is guaranteed or risk-free.',
        offset: match.index,
      });
    }
    return messages;
  },
};

/**
 * Cheap substring checks; the pattern runs only when one is present. Each alternative of the
 * pattern contains one of them: "guaranteed" only counts before the nouns the pattern names
 * (many articles say what is *not* guaranteed), and "for life" stands for "passive income for life".
 */
const GATES = [
  ...['return', 'yield', 'income', 'profit', 'gain', 'interest', 'apy', 'apr'].map((noun) => `guaranteed ${noun}`),
  'risk-free', 'risk free', "n't lose", 'cannot lose', 'get rich', 'sure-fire', 'sure fire', 'double your', 'no risk', 'zero risk', 'for life',
];

const PROMISE = foldCase(
  /\bguaranteed (returns?|yields?|income|profits?|gains?|interest|apy|apr)\b|\brisk[- ]free\b|\b(can(no|')t|cannot) lose\b|\bget rich\b|\bsure[- ]fire\b|\bdouble your (money|crypto|investment)\b|\bno risk\b|\bzero risk\b|\bpassive income for life\b/gi,
);
