/** The links of a Markdown tree: inline links, images, autolinks and reference definitions. */
import type { Definition, Image, Link, Root } from 'mdast';
import { parseMarkdown } from '../lib/markdown-tree.ts';
import { nodesOfType } from './tree-nodes.ts';

export type LinkNode = Link | Image | Definition;

/** Every link, image and reference definition of the tree, in document order. */
export function linksOf(tree: Root): readonly LinkNode[] {
  return nodesOfType(tree, 'link', 'image', 'definition');
}

/** The URLs of a Markdown text's links with their line and column (for the link checker). */
export function markdownLinks(markdown: string): Array<{ url: string; line: number; column: number }> {
  return linksOf(parseMarkdown(markdown)).map((link) => ({ url: link.url, line: link.position?.start.line ?? 1, column: link.position?.start.column ?? 1 }));
}
