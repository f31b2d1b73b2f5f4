import { nodesOfType } from '../tree-nodes.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * No HTML entity residue in the text: `&quot;`, `&#039;`, `&amp;amp;`, `&nbsp;` written out.
 *
 * Text scraped from HTML or escaped twice on its way through a model keeps its entities; the
 * site decodes one level, but the newsletter, feeds and search show them raw, and a
 * double-escaped one (`&amp;quot;`) shows on the page itself. Write the character instead.
 * Entities in code are examples and fine.
 *
 * ok:     He said "yes" & left.
 * not-ok: He said &quot;yes&quot; &amp;amp; left.
 */
export const qualityEntityResidue = defineRule({
  id: 'quality/entity-residue',
  version: 1,
  severity: 'error',
  description: 'No HTML entities written out in the text.',
  check(article) {
    const messages: RuleMessage[] = [];
    for (const node of nodesOfType(article.tree, 'text')) {
      const start = node.position?.start;
      const end = node.position?.end.offset;
      if (start?.offset === undefined || end === undefined) continue;
      // The source as written: the parser has already decoded one level of entities.
      const source = article.text.slice(start.offset, end);
      const entity = ENTITY.exec(source);
      if (!entity) continue;
      messages.push({
        message: `HTML entity residue "${entity[0]}"`,
        hint: 'Write the character itself (" \' & or a space); entities are left over from scraped or double-escaped HTML.',
        point: { line: start.line + (source.slice(0, entity.index).match(/\n/g)?.length ?? 0), column: start.column },
      });
    }
    return messages;
  },
});

/** Named entities of the characters text needs, and numeric ones; `&amp;` counts when it escapes another entity. */
const ENTITY = /&(?:quot|apos|nbsp|rsquo|lsquo|rdquo|ldquo|ndash|mdash|hellip|#0*39|#x0*27|#\d{2,5}|#x[0-9a-f]{2,4});|&amp;(?:[a-z]+|#\d+|#x[0-9a-f]+);/i;
