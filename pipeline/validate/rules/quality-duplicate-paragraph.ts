import type { Blockquote, Nodes, Paragraph } from 'mdast';
import { proseOf } from '../prose.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * No paragraph or quotation appears twice in one article.
 *
 * Repetition loops are a common failure of generated text, and a retried or merged draft can
 * repeat a whole section; both read as filler and waste the reader's time. Paragraphs and
 * quotations are compared as written, link targets and attributions included: the same sentence
 * citing another page, or a quotation attributed to someone else, is not a word-for-word repeat.
 * List items are not compared (a list may repeat a step of an earlier one).
 *
 * ok:     every paragraph different
 * not-ok: the same paragraph twice
 */
export const qualityDuplicateParagraph = defineRule({
  id: 'quality/duplicate-paragraph',
  version: 3,
  severity: 'error',
  description: 'No paragraph is repeated.',
  check(article) {
    const seen = new Set<string>();
    const messages: RuleMessage[] = [];
    for (const node of article.tree.children as Nodes[]) {
      if (node.type !== 'paragraph' && node.type !== 'blockquote') continue;
      // Short paragraphs ("Read more.", a lone citation) repeat legitimately.
      if (proseOf(node as Paragraph | Blockquote).text.trim().length < 60) continue;
      const written = article.text.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0).replace(/\s+/g, ' ');
      if (seen.has(written)) messages.push({ message: 'This paragraph repeats an earlier one word for word', hint: 'Delete the repetition.', node });
      seen.add(written);
    }
    return messages;
  },
});
