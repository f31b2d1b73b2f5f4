/**
 * The one Markdown model of the project: a file parsed into an mdast tree, every node with its
 * position in the file. The parser is Sätteri's, the one that renders the site's pages, so what
 * validation judges and what search indexes is the tree the reader gets.
 *
 * The tree is CommonMark with the GitHub extensions (tables, strikethrough, task lists,
 * footnotes, autolink literals) and a `yaml` node for a frontmatter block, the same node types
 * and fields as remark with remark-gfm and remark-frontmatter. Positions are 1-based lines and
 * columns, offsets in UTF-16 code units (as JavaScript strings index); a character outside the
 * Basic Multilingual Plane (an emoji) takes two columns. Entities are decoded in text, link URLs
 * and titles; raw HTML stays as `html` nodes with the source as written. Two ways it reads a
 * frontmatter block that remark with a YAML-only frontmatter does not: a block closed by `...`
 * (YAML's document end, which the article frontmatter reader accepts too) is a `yaml` node, and a
 * `+++` block is a `toml` node. test/unit/validate/markdown-tree.test.ts pins what the rules rely on.
 */
import type { Root } from 'mdast';
import { markdownToMdast, type TreeOptions } from 'satteri';

const OPTIONS: TreeOptions = {
  // Every feature named, so a change of a default in a later version does not change the tree.
  features: {
    gfm: true,
    frontmatter: true,
    math: false,
    headingAttributes: false,
    directive: false,
    superscript: false,
    subscript: false,
    wikilinks: false,
    definitionList: false,
    smartPunctuation: false,
    rawHtml: false,
  },
  position: true,
};

/** The mdast tree of a whole Markdown file (its frontmatter as a `yaml` node). */
export function parseMarkdown(text: string): Root {
  return markdownToMdast(text, OPTIONS) as Root;
}
