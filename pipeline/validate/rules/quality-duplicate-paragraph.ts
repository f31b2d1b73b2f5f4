import type { Paragraph, Parents } from 'mdast';
import { visit } from 'unist-util-visit';
import { proseOf } from '../prose.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * No paragraph appears twice in one article.
 *
 * Repetition loops are a common failure of generated text, and a retried or merged draft can
 * repeat a whole section; both read as filler and waste the reader's time.
 *
 * ok:     every paragraph different
 * not-ok: the same paragraph twice
 */
export const qualityDuplicateParagraph = defineRule({
  id: 'quality/duplicate-paragraph',
  version: 2,
  severity: 'error',
  description: 'No paragraph is repeated.',
  check(article) {
    const seen = new Set<string>();
    const messages: RuleMessage[] = [];
    visit(article.tree, 'paragraph', (node: Paragraph, _index, parent: Parents | undefined) => {
      // A list may repeat a step of an earlier list ("Withdraw a test amount first."); the rule is
      // about running text.
      if (parent?.type === 'listItem') return;
      // Short paragraphs ("Read more.", a lone citation) repeat legitimately; the rule is about
      // word-for-word repeats of real paragraphs (near ones are a different problem).
      // Compared as written, link targets included: the same sentence citing another page is not a repeat.
      const text = article.text.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0).replace(/\s+/g, ' ');
      if (proseOf(node).text.trim().length < 60) return;
      if (seen.has(text)) messages.push({ message: 'This paragraph repeats an earlier one word for word', hint: 'Delete the repetition.', node });
      seen.add(text);
    });
    return messages;
  },
});
