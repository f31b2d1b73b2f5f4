import { nodesOfType } from '../tree-nodes.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * Code fences and emphasis are closed.
 *
 * An unclosed fence swallows the rest of the page into a code block; an unclosed `**` leaves
 * literal asterisks or bolds a whole paragraph. Both are classic marks of a truncated or
 * sloppily edited draft. The parser has paired every marker it could: the ones left in the text
 * are the unclosed ones.
 *
 * ok:     **bold** and *italic*, and a closed fence
 * not-ok: **bold that never ends
 */
export const qualityUnclosedMarkup = defineRule({
  id: 'quality/unclosed-markup',
  version: 2,
  severity: 'error',
  description: 'Code fences and emphasis markers are closed.',
  check(article) {
    const messages: RuleMessage[] = [];
    for (const node of nodesOfType(article.tree, 'code')) {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start === undefined || end === undefined) continue;
      const source = article.text.slice(start, end);
      const fence = /^ {0,3}(`{3,}|~{3,})/.exec(source)?.[1];
      if (!fence) continue;
      // A closed fence ends with a line of at least as many of the same characters.
      const lastLine = source.slice(source.lastIndexOf('\n') + 1);
      const closed = source.includes('\n') && new RegExp(`^ {0,3}\\${fence[0]}{${fence.length},}\\s*$`).test(lastLine);
      if (!closed) messages.push({ message: 'Code fence is never closed', hint: `Close it with ${fence} on its own line.`, node });
    }
    for (const node of nodesOfType(article.tree, 'text')) {
      // Left-over markers, looked for in the source (where escaped ones keep their backslash):
      // "**" or "__" at a word edge, or a lone "*" against a word.
      const start = node.position?.start;
      if (start?.offset === undefined || node.position?.end.offset === undefined) continue;
      const source = article.text.slice(start.offset, node.position.end.offset);
      const marker = /(?<!\\)\*\*(?=\S)|(?<=[^\s\\])\*\*|(?<![\p{L}\p{N}_])__(?=\S)|(?<=\S)__(?![\p{L}\p{N}_])|(?<![\s*\\])\*(?![\s*])|(?<![\s*\\])\*(?=\s|$)|(?<=^|\s)\*(?=[^\s*])/u.exec(source);
      if (!marker) continue;
      const bold = marker[0].length === 2;
      messages.push({
        message: `${bold ? 'Bold' : 'Emphasis'} marker ${marker[0]} is never closed`,
        hint: `Close the ${marker[0]} or remove it.`,
        point: { line: start.line + (source.slice(0, marker.index).match(/\n/g)?.length ?? 0), column: start.column },
      });
    }
    return messages;
  },
});
