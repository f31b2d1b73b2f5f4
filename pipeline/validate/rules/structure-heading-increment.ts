import { nodesOfType } from '../tree-nodes.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * Heading levels go down one step at a time (## then ###, never ## then ####), starting at ##
 * under the page's h1 title.
 *
 * Skipped levels break the outline screen readers navigate by, and usually mean a section was
 * lost or pasted from elsewhere.
 *
 * ok:     ## A  ### B  ## C
 * not-ok: ## A  #### B
 */
export const structureHeadingIncrement = defineRule({
  id: 'structure/heading-increment',
  version: 2,
  severity: 'error',
  description: 'Heading levels are not skipped.',
  check(article) {
    let previous = 1; // the page title
    const messages: RuleMessage[] = [];
    for (const node of nodesOfType(article.tree, 'heading')) {
      if (node.depth > previous + 1) {
        messages.push({
          message: `Heading level ${node.depth} follows level ${previous}: level ${previous + 1} is skipped`,
          hint: `Use ${'#'.repeat(previous + 1)} here, or add the missing level above it.`,
          node,
        });
      }
      previous = node.depth;
    }
    return messages;
  },
});
