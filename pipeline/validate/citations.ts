/**
 * Citation markers of an article: `[n]` in the text, and links whose text is a number (`[[n]](url)`,
 * `[n](url)`), in document order with the node they are in.
 */
import type { Nodes, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { SKIP, visit } from 'unist-util-visit';

export interface Citation {
  number: number;
  /** The URL a linked citation points at. */
  url?: string;
  node: Nodes;
}

export function citationsOf(tree: Root): Citation[] {
  const found: Citation[] = [];
  visit(tree, (node) => {
    if (node.type === 'link') {
      const marker = /^\[?(\d{1,3})\]?$/.exec(toString(node).trim());
      if (marker) found.push({ number: Number(marker[1]), url: node.url, node });
      return SKIP;
    }
    if (node.type === 'text') {
      for (const match of node.value.matchAll(/(?<![\\\w])\[\[?(\d{1,3})\]?\]/g)) found.push({ number: Number(match[1]), node });
    }
    return undefined;
  });
  return found;
}
