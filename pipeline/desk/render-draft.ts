import type { Element, ElementContent, Root } from 'hast';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import type { Finding } from '../errors/finding.ts';

/** Blocks a finding can be marked on; the smallest one holding the finding's line wins. */
const BLOCKS = new Set(['p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'table', 'tr']);

/**
 * A draft's Markdown body as HTML for the desk page, with each finding marked on the block it
 * points at. The body is model output, so it is untrusted: no raw HTML survives (remark-rehype
 * drops it, rehype-sanitize cleans the rest) before our own markers are added.
 *
 * `firstLine` is the file line the body starts on, so findings (which count lines of the whole
 * file) land on the right block. Findings outside the body are the caller's to list.
 */
export function renderDraftBody(body: string, firstLine: number, findings: readonly Finding[], idPrefix: string): { html: string; placed: Map<Finding, string> } {
  /** Each finding marked in the body, with the id of the block it is marked on. */
  const placed = new Map<Finding, string>();
  const markFindings = () => (tree: Root) => {
    const blocks: Element[] = [];
    visit(tree, 'element', (node) => {
      if (BLOCKS.has(node.tagName) && node.position) blocks.push(node);
    });
    const marks = new Map<Element, Finding[]>();
    for (const finding of findings) {
      if (finding.line === undefined) continue;
      const line = finding.line - firstLine + 1;
      let best: Element | undefined;
      for (const block of blocks) {
        const { start, end } = block.position!;
        if (line < start.line || line > end.line) continue;
        if (!best || end.line - start.line <= best.position!.end.line - best.position!.start.line) best = block;
      }
      if (!best) continue;
      marks.set(best, [...(marks.get(best) ?? []), finding]);
    }
    let index = 0;
    for (const [block, found] of marks) {
      const id = `${idPrefix}-${++index}`;
      for (const finding of found) placed.set(finding, id);
      const worst = found.some((finding) => finding.severity === 'error') ? 'error' : found.some((finding) => finding.severity === 'warning') ? 'warning' : 'info';
      block.properties = { ...block.properties, id, className: ['finding', worst] };
      const notes: ElementContent[] = found.map((finding) => ({
        type: 'element',
        tagName: 'span',
        properties: { className: ['finding-note'] },
        children: [{ type: 'text', value: `${finding.rule ?? finding.code ?? ''} (line ${finding.line}): ${finding.message}` }],
      }));
      block.children = [...notes, ...block.children];
    }
  };
  const html = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkRehype)
    .use(rehypeSanitize)
    .use(markFindings)
    .use(rehypeStringify)
    .processSync(body)
    .toString();
  return { html, placed };
}
