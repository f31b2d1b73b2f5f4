import { nodesOfType } from '../tree-nodes.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * The page has one title: the frontmatter `title`, which the page renders as its only h1. The
 * body starts its sections at `##`; any h1 in the body (`# …` or a line underlined with `===`)
 * is a second title.
 *
 * A second h1 confuses screen readers and search engines about what the page is; models often
 * repeat the title as `# Title` at the top of the body, or start a new "article" halfway down.
 *
 * ok:     ## Section
 * not-ok: # Another title
 */
export const structureSingleTitle = defineRule({
  id: 'structure/single-title',
  version: 2,
  severity: 'error',
  description: 'The body has no h1 of its own.',
  check(article) {
    const messages: RuleMessage[] = [];
    for (const node of nodesOfType(article.tree, 'heading')) {
      if (node.depth !== 1) continue;
      messages.push({
        message: 'A second title (h1) in the body: the page already shows the frontmatter title as its h1',
        hint: 'Make it a ## section heading, or remove it if it repeats the title.',
        node,
      });
    }
    return messages;
  },
});
