/**
 * Citation markers of an article: `[n]` in the text, and links whose text is a number (`[[n]](url)`,
 * `[n](url)`), in document order with the node they are in.
 */
import type { Nodes, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { matchesIn } from './prose.ts';

export interface Citation {
  number: number;
  /** The URL a linked citation points at. */
  url?: string;
  node: Nodes;
}

/** Found once per tree: several rules read them. */
export function citationsOf(tree: Root): Citation[] {
  let citations = citationsOfTree.get(tree);
  if (citations) return citations;
  const found: Citation[] = [];
  const walk = (node: Nodes) => {
    if (node.type === 'link') {
      // A link is a marker as a whole; the number in its text is not a second one.
      const marker = /^\[?(\d{1,3})\]?$/.exec(toString(node).trim());
      if (marker) found.push({ number: Number(marker[1]), url: node.url, node });
      return;
    }
    if (node.type === 'text') {
      for (const match of matchesIn(node.value, MARKER)) found.push({ number: Number(match[1]), node });
    }
    if ('children' in node) for (const child of node.children) walk(child as Nodes);
  };
  walk(tree);
  citationsOfTree.set(tree, found);
  return found;
}

const citationsOfTree = new WeakMap<Root, Citation[]>();

/** `[n]` or `[[n]]` not escaped and not glued to a word (`array[1]`). */
const MARKER = /(?<![\\\w])\[\[?(\d{1,3})\]?\]/g;
