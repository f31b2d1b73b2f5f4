/**
 * The one Markdown model of validation: an article file parsed into an mdast tree by remark
 * (CommonMark with tables, autolinks, strikethrough and footnotes, and a YAML frontmatter node),
 * every node with its position in the file. Rules visit this tree, so code, inline code and link
 * targets are never read as prose, and a finding's line is the line of the node it is about.
 */
import type { Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).freeze();

/** The mdast tree of a whole article file (frontmatter included, as a `yaml` node). */
export function parseMarkdown(text: string): Root {
  return processor.parse(text);
}
