import { blocksOf } from './markdown-scan.ts';
import { type Rule } from './rule.ts';

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
export const qualityTruncated: Rule = {
  id: 'quality/truncated',
  severity: 'error',
  description: 'The body ends with a complete sentence or list.',
  check(article) {
    const blocks = blocksOf(article);
    const last = [...blocks].reverse().find((block) => !/^(```|~~~|\|)/.test(block.text) && !/^#{1,6}\s/.test(block.text));
    if (!last) return [];
    const lines = last.text.split('\n');
    const lastLine = lines[lines.length - 1]!.trim();
    const lastLineOffset = last.offset + last.text.lastIndexOf(lastLine);
    // Strip trailing citations, links and emphasis closers before looking at the final character.
    // (Trailing citations end in "]" or ")": only then can the backtracking citation pattern match.)
    const final = lastLine.charCodeAt(lastLine.length - 1);
    const core = (final === 0x5d || final === 0x29 ? lastLine.replace(/(\s*\[\[?\d+\]?\](\([^)]*\))?)+$/, '') : lastLine)
      .replace(/[*_`)\]"'”’»]+$/, '')
      .trimEnd();
    const isListItem = /^(?:[-*+]|\d+[.)])\s/.test(lastLine);
    const dangling = /\b(and|or|but|the|a|an|of|to|with|for|in|on|at|by|from|that|which|is|are|was|were|because|as|than|if)$/i.test(core);
    const complete = /[.!?…:;)]$/.test(core) && !/[:;,]$/.test(core);
    if (dangling || /[,:;(\-–—]$/.test(core) || (!complete && !isListItem)) {
      return [
        {
          message: isListItem ? 'The article ends mid-list' : 'The article ends mid-sentence',
          hint: 'The draft was probably cut off (token limit): regenerate it or finish the last paragraph.',
          offset: lastLineOffset,
        },
      ];
    }
    return [];
  },
};
