import type { Nodes } from 'mdast';
import { proseOf } from '../prose.ts';
import { defineRule } from './rule.ts';

/**
 * The article does not stop mid-sentence or mid-list.
 *
 * A draft cut off by the model's token limit (or a network hiccup) often still parses; its last
 * paragraph ends without punctuation, on a dangling "and"/"the", or on a list item that ends with
 * a colon or comma. Publishing it looks broken.
 *
 * ok:     …ends with a full sentence.
 * not-ok: …and the withdrawal queue is expected to
 */
export const qualityTruncated = defineRule({
  id: 'quality/truncated',
  version: 3,
  severity: 'error',
  description: 'The body ends with a complete sentence or list.',
  check(article) {
    const last = lastProse(article.tree.children as Nodes[]);
    if (!last) return [];
    const inList = last.inList;
    const text = proseOf(last.node).text.trimEnd();
    // Trailing citations, closing brackets and quotes are not the end of the sentence.
    const core = text.replace(/(\s*\[\[?\d+\]?\])+$/, '').replace(/[)\]"'”’»]+$/, '').trimEnd();
    const dangling = /\b(and|or|but|the|a|an|of|to|with|for|in|on|at|by|from|that|which|is|are|was|were|because|as|than|if)$/i.test(core);
    const complete = /[.!?…。！？؟।]$/.test(core) || (/[)]$/.test(text) && !/[,:;]$/.test(core));
    if (!dangling && !/[,:;(\-–—]$/.test(core) && (complete || inList)) return [];
    return [
      {
        message: inList ? 'The article ends mid-list' : 'The article ends mid-sentence',
        hint: 'The draft was probably cut off (token limit): regenerate it or finish the last paragraph.',
        node: last.node,
      },
    ];
  },
});

/** The last paragraph of the body (looking into lists and quotations), and whether it is in a list. */
function lastProse(nodes: readonly Nodes[], inList = false): { node: Nodes; inList: boolean } | undefined {
  for (let index = nodes.length - 1; index >= 0; index--) {
    const node = nodes[index]!;
    if (node.type === 'paragraph') return { node, inList };
    // A table, code block or heading at the end is a deliberate ending, not a cut-off sentence.
    if (node.type === 'table' || node.type === 'code' || node.type === 'heading') return undefined;
    if (node.type === 'list' || node.type === 'listItem' || node.type === 'blockquote') {
      const found = lastProse(node.children as Nodes[], inList || node.type !== 'blockquote');
      if (found) return found;
    }
  }
  return undefined;
}
