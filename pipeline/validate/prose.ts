/**
 * The words of a part of an mdast tree as a reader sees them, with the way back from a place in
 * that text to a line of the file. Code, inline code, raw HTML and link targets are not prose;
 * link text and image descriptions are.
 */
import type { Heading, Nodes, Paragraph, Root, TableCell } from 'mdast';
import { nodesOfType } from './tree-nodes.ts';

export interface Prose {
  text: string;
  /** File line and column of a place in `text` (exact on the line; the column is approximate after a soft break). */
  pointAt(offset: number): { line: number; column: number };
}

interface Segment {
  from: number;
  line: number;
  column: number;
  value: string;
}

/** Block nodes whose children are separate blocks: a line break between them. */
const BLOCKS = new Set(['root', 'blockquote', 'list', 'listItem', 'table', 'tableRow', 'footnoteDefinition']);

/** Several rules read the same blocks: each node's prose is made once (the tree lives as long as one article's check). */
const made = new WeakMap<Nodes, Prose>();

export function proseOf(node: Nodes): Prose {
  let prose = made.get(node);
  if (!prose) made.set(node, (prose = makeProse(node)));
  return prose;
}

function makeProse(node: Nodes): Prose {
  const segments: Segment[] = [];
  let text = '';
  const add = (value: string, at: Nodes) => {
    const start = at.position?.start;
    segments.push({ from: text.length, line: start?.line ?? 1, column: start?.column ?? 1, value });
    text += value;
  };
  const walk = (current: Nodes) => {
    switch (current.type) {
      case 'text':
        add(current.value, current);
        return;
      case 'image':
        add(current.alt ?? '', current);
        return;
      case 'inlineCode':
      case 'html':
      case 'footnoteReference':
        // Not words of the sentence, but a gap between the words on either side.
        add(' ', current);
        return;
      case 'break':
        add('\n', current);
        return;
      case 'code':
      case 'yaml':
      case 'definition':
      case 'thematicBreak':
        return;
    }
    if (!('children' in current)) return;
    const separate = BLOCKS.has(current.type);
    current.children.forEach((child, index) => {
      if (separate && index > 0) add(current.type === 'tableRow' ? ' | ' : '\n', child as Nodes);
      walk(child as Nodes);
    });
  };
  walk(node);
  return {
    text,
    pointAt(offset) {
      let low = 0;
      let high = segments.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >>> 1;
        if (segments[middle]!.from <= offset) low = middle;
        else high = middle - 1;
      }
      const segment = segments[low];
      if (!segment) return { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 };
      const inside = segment.value.slice(0, Math.max(0, offset - segment.from));
      const breaks = inside.split('\n');
      return breaks.length === 1
        ? { line: segment.line, column: segment.column + inside.length }
        : { line: segment.line + breaks.length - 1, column: breaks[breaks.length - 1]!.length + 1 };
    },
  };
}

/**
 * The blocks that hold running text: paragraphs, headings and table cells, in document order
 * (list items and quotations are made of paragraphs). The frontmatter is not among them.
 */
export function textBlocks(tree: Root): ReadonlyArray<Paragraph | Heading | TableCell> {
  return nodesOfType(tree, 'paragraph', 'heading', 'tableCell');
}

/**
 * Each match of a global pattern in a text. Rules search hundreds of short texts an article, and
 * String#matchAll copies the pattern on every call, which costs more than the search itself;
 * this runs the pattern as it is (its lastIndex is reset first).
 */
export function matchesIn(text: string, pattern: RegExp): RegExpExecArray[] {
  const found: RegExpExecArray[] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    found.push(match);
    // An empty match would be found again at the same place: step over one character.
    if (match[0] === '') pattern.lastIndex += pattern.unicode && (text.codePointAt(match.index) ?? 0) > 0xffff ? 2 : 1;
  }
  return found;
}

/** Each match of a global pattern in the prose of the article's text blocks, with its file position. */
export function proseMatches(tree: Root, pattern: RegExp): Array<{ text: string; index: number; prose: Prose; point: { line: number; column: number } }> {
  const found = [];
  for (const block of textBlocks(tree)) {
    const prose = proseOf(block);
    for (const match of matchesIn(prose.text, pattern)) found.push({ text: match[0], index: match.index, prose, point: prose.pointAt(match.index) });
  }
  return found;
}
