import { blocksOf } from './markdown-scan.ts';
import { type Rule } from './rule.ts';

/**
 * No paragraph appears twice in one article.
 *
 * Repetition loops are a common failure of generated text, and a retried or merged draft can
 * repeat a whole section; both read as filler and waste the reader's time.
 *
 * ok:     every paragraph different
 * not-ok: the same paragraph twice
 */
export const qualityDuplicateParagraph: Rule = {
  id: 'quality/duplicate-paragraph',
  severity: 'error',
  description: 'No paragraph is repeated.',
  check(article) {
    // Earlier paragraphs by length: a repeat has the same length, so only those are compared,
    // and no paragraph is hashed (a Map of whole paragraphs cost more than the comparisons).
    const seen = new Map<number, string[]>();
    const messages = [];
    for (const block of blocksOf(article)) {
      // Short blocks (headings, "Read more.", table rules) repeat legitimately. The key is the
      // exact text: the rule is about word-for-word repeats (near ones are a different problem).
      const key = block.text;
      if (key.length < 60 || key.charCodeAt(0) === 0x23 /* # */ || key.charCodeAt(0) === 0x7c /* | */ || key.startsWith('```') || key.startsWith('~~~')) continue;
      const sameLength = seen.get(key.length);
      if (sameLength?.includes(key)) {
        messages.push({ message: 'This paragraph repeats an earlier one word for word', hint: 'Delete the repetition.', offset: block.offset });
      } else if (sameLength) {
        sameLength.push(key);
      } else {
        seen.set(key.length, [key]);
      }
    }
    return messages;
  },
};
