import { toString } from 'mdast-util-to-string';
import { nodesOfType } from '../tree-nodes.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * A heading is words, not a file name: `## Liquidity_Mining_Guide_v2_FINAL`,
 * `### staking-notes.md`, `## Отчет_по_стейкингу_итог` are the name of the document the text was
 * pasted from, not a section title.
 *
 * A heading of one token joined by underscores, or ending in a document extension, or with
 * version and draft marks (v2, FINAL, draft, copy) glued on, is a file name; a one-word heading
 * ("Risks", "FAQ", "Überblick") and a product name with a hyphen ("Pendle-style") are not.
 *
 * ok:     ## Liquidity mining in practice
 * not-ok: ## Liquidity_Mining_Guide_v2_FINAL
 */
export const structureHeadingFileName = defineRule({
  id: 'structure/heading-file-name',
  version: 2,
  severity: 'error',
  description: 'Headings are not file names.',
  check(article) {
    const messages: RuleMessage[] = [];
    for (const node of nodesOfType(article.tree, 'heading')) {
      const text = toString(node).trim();
      if (!isFileName(text)) continue;
      messages.push({ message: `Heading "${text.slice(0, 50)}" is a file name, not a section title`, hint: 'Write the heading as words a reader would scan for, or remove it.', node });
    }
    return messages;
  },
});

function isFileName(text: string): boolean {
  if (/\s/.test(text)) return false;
  if (/\.(?:md|mdx|markdown|txt|docx?|pdf|html?|rtf|odt|pages)$/i.test(text)) return true;
  if (/\p{L}_\p{L}|\p{L}_\d|\d_\p{L}/u.test(text)) return true;
  // Version and draft marks only on a name of three or more parts: "Uniswap-v3" is a product.
  return /[-_.](?:v\d+|final|draft|copy|new|old|rev\d*|\d{8})$/i.test(text) && text.split(/[-_.]/).length >= 3;
}
