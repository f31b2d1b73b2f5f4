/**
 * What the rules rely on in the Markdown tree (pipeline/lib/markdown-tree.ts): node types and
 * fields of the GitHub extensions and the frontmatter, and positions that are lines, columns and
 * UTF-16 offsets of the file in every script. A parser upgrade that changes any of them fails here
 * before it moves a finding.
 */
import type { Nodes, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../../pipeline/lib/markdown-tree.ts';

/** Line and column (1-based) of a UTF-16 offset of `text`, as an editor shows them. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function nodesOf(tree: Root): Nodes[] {
  const found: Nodes[] = [];
  visit(tree, (node) => {
    found.push(node);
  });
  return found;
}

const withoutPositions = (node: unknown): unknown => JSON.parse(JSON.stringify(node, (key, value) => (key === 'position' ? undefined : value)));

const ARTICLE = [
  '---',
  'title: "다국어 글"',
  'tags: [defi]',
  '---',
  '',
  '# 가상자산 (virtual assets) 🎉',
  '',
  '규제 당국은 😀 가상자산을 감독합니다. **강조** and more.',
  '',
  'السوق مفتوح 🚀 today; ตลาดเปิดแล้ว 🙂 **now**.',
  '',
  '| Market | Fee |',
  '| :-- | --: |',
  '| 서울 😀 | 0.1% |',
  '',
  'See www.example.com, https://example.org/a_(b). and [docs](https://d.example/x?a=1&amp;b=2 "T &amp; C").',
  '',
  'A claim[^src] with ~~old~~ text, &quot;quoted&quot; &amp; <span>inline</span> html.',
  '',
  '[^src]: The source.',
  '',
  '<div class="ad">block</div>',
  '',
  '- [x] done',
  '- open',
  '',
].join('\n');

describe('the Markdown tree', () => {
  const tree = parseMarkdown(ARTICLE);

  it('keeps the frontmatter as one yaml node with its raw text, spanning the fences', () => {
    const yaml = tree.children[0]!;
    expect(yaml).toMatchObject({ type: 'yaml', value: 'title: "다국어 글"\ntags: [defi]' });
    expect(yaml.position).toMatchObject({ start: { line: 1, column: 1, offset: 0 }, end: { line: 4, column: 4 } });
    expect(tree.children[1]).toMatchObject({ type: 'heading', depth: 1, position: { start: { line: 6 } } });
  });

  it('gives every node lines, columns and UTF-16 offsets that agree with the text, in Korean, Arabic, Thai and emoji', () => {
    const nodes = nodesOf(tree).filter((node) => node.type !== 'root');
    expect(nodes.length).toBeGreaterThan(40);
    for (const node of nodes) {
      const { start, end } = node.position!;
      expect({ node: node.type, ...lineColumn(ARTICLE, start.offset!) }).toEqual({ node: node.type, line: start.line, column: start.column });
      expect({ node: node.type, ...lineColumn(ARTICLE, end.offset!) }).toEqual({ node: node.type, line: end.line, column: end.column });
    }
    // Text written as is (no escapes or entities) is exactly the source between its offsets.
    const korean = nodesOf(tree).find((node) => node.type === 'text' && node.value.startsWith('규제'))!;
    expect(korean.type === 'text' && ARTICLE.slice(korean.position!.start.offset, korean.position!.end.offset)).toBe('규제 당국은 😀 가상자산을 감독합니다. ');
    // An emoji is two UTF-16 code units, so two columns: "**강조**" starts at column 24 of line 8.
    const strong = nodesOf(tree).find((node) => node.type === 'strong' && node.position!.start.line === 8)!;
    expect('규제 당국은 😀 가상자산을 감독합니다. '.length).toBe(23);
    expect(strong.position!.start).toMatchObject({ line: 8, column: 24 });
    const thai = nodesOf(tree).find((node) => node.type === 'strong' && node.position!.start.line === 10)!;
    expect(thai.position!.start).toMatchObject({ line: 10, column: 'السوق مفتوح 🚀 today; ตลาดเปิดแล้ว 🙂 '.length + 1 });
  });

  it('reads a table as rows of cells with their alignment', () => {
    const table = tree.children.find((node) => node.type === 'table')!;
    expect(table).toMatchObject({ type: 'table', align: ['left', 'right'], position: { start: { line: 12 }, end: { line: 14 } } });
    expect(withoutPositions(table)).toMatchObject({
      children: [
        { type: 'tableRow', children: [{ type: 'tableCell', children: [{ type: 'text', value: 'Market' }] }, { type: 'tableCell', children: [{ type: 'text', value: 'Fee' }] }] },
        { type: 'tableRow', children: [{ type: 'tableCell', children: [{ type: 'text', value: '서울 😀' }] }, { type: 'tableCell', children: [{ type: 'text', value: '0.1%' }] }] },
      ],
    });
    expect(table.type === 'table' && table.children[1]!.position!.start.line).toBe(14);
  });

  it('makes links of bare addresses (autolink literals), without the trailing full stop, and decodes entities in URLs and titles', () => {
    const links = nodesOf(tree).filter((node) => node.type === 'link');
    expect(links.map((link) => withoutPositions(link))).toEqual([
      { type: 'link', url: 'http://www.example.com', title: null, children: [{ type: 'text', value: 'www.example.com' }] },
      { type: 'link', url: 'https://example.org/a_(b)', title: null, children: [{ type: 'text', value: 'https://example.org/a_(b)' }] },
      { type: 'link', url: 'https://d.example/x?a=1&b=2', title: 'T & C', children: [{ type: 'text', value: 'docs' }] },
    ]);
    expect(links[0]!.position!.start).toMatchObject({ line: 16, column: 5 });
  });

  it('keeps footnote references and definitions, strikethrough, raw HTML as written and decoded entities', () => {
    const paragraph = tree.children.find((node) => node.type === 'paragraph' && node.position!.start.line === 18)!;
    expect(withoutPositions(paragraph)).toEqual({
      type: 'paragraph',
      children: [
        { type: 'text', value: 'A claim' },
        { type: 'footnoteReference', identifier: 'src', label: 'src' },
        { type: 'text', value: ' with ' },
        { type: 'delete', children: [{ type: 'text', value: 'old' }] },
        { type: 'text', value: ' text, "quoted" & ' },
        { type: 'html', value: '<span>' },
        { type: 'text', value: 'inline' },
        { type: 'html', value: '</span>' },
        { type: 'text', value: ' html.' },
      ],
    });
    const definition = tree.children.find((node) => node.type === 'footnoteDefinition')!;
    expect(definition).toMatchObject({ identifier: 'src', label: 'src', position: { start: { line: 20, column: 1 } } });
    expect(tree.children.find((node) => node.type === 'html')).toMatchObject({ value: '<div class="ad">block</div>', position: { start: { line: 22 } } });
  });

  it('marks task list items checked or not, and plain items with null', () => {
    const list = tree.children.find((node) => node.type === 'list')!;
    expect(list.type === 'list' && list.children.map((item) => item.checked)).toEqual([true, null]);
  });

  it('reads an unclosed frontmatter as Markdown (a thematic break, then paragraphs), never as yaml', () => {
    const unclosed = parseMarkdown('---\ntitle: Never closed\ntags: [a]\n\n# Heading\n\nBody.\n');
    expect(unclosed.children.map((node) => node.type)).toEqual(['thematicBreak', 'paragraph', 'heading', 'paragraph']);
    expect(unclosed.children[2]!.position!.start.line).toBe(5);
  });

  it('closes a frontmatter block at YAML\'s document end "..." as the frontmatter reader does, and only at the start of the file', () => {
    expect(parseMarkdown('---\ntitle: a\n...\n\nBody.\n').children.map((node) => node.type)).toEqual(['yaml', 'paragraph']);
    expect(parseMarkdown('\n---\ntitle: a\n---\n\nBody.\n').children.map((node) => node.type)).not.toContain('yaml');
  });

  it('counts lines of a file with Windows line ends and a byte order mark as an editor does', () => {
    const crlf = parseMarkdown('\uFEFF---\r\ntitle: a\r\n---\r\n\r\nLine one\r\nline two.\r\n\r\n## Next\r\n');
    expect(crlf.children.map((node) => [node.type, node.position!.start.line])).toEqual([
      ['yaml', 1],
      ['paragraph', 5],
      ['heading', 8],
    ]);
  });
});
