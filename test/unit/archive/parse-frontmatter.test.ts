import { describe, expect, it } from 'vitest';
import { FrontmatterSyntaxError, parseFrontmatter } from '../../../pipeline/archive/parse-frontmatter.ts';

const syntaxError = (text: string): FrontmatterSyntaxError => {
  try {
    parseFrontmatter(text);
  } catch (error) {
    if (error instanceof FrontmatterSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a FrontmatterSyntaxError');
};

describe('parseFrontmatter', () => {
  it('splits the YAML from the body and says on which file line the body starts', () => {
    const parsed = parseFrontmatter('---\ntitle: Staking notes\ntags: [a, b]\n---\n\nBody text.\n');
    expect(parsed.data).toEqual({ title: 'Staking notes', tags: ['a', 'b'] });
    expect(parsed.matter).toBe('title: Staking notes\ntags: [a, b]\n');
    expect(parsed.content).toBe('\nBody text.\n');
    expect(parsed.bodyLine).toBe(5);
  });

  it('locates keys on the lines of the file (the YAML starts on line 2)', () => {
    const parsed = parseFrontmatter('---\ntitle: A\nsources:\n  - url: x\n---\nBody\n');
    expect(parsed.locate(['title'])).toEqual({ line: 2, column: 1 });
    expect(parsed.locate(['sources', 0, 'url'])).toEqual({ line: 4, column: 5 });
  });

  it('reads a file with a byte order mark and Windows line ends', () => {
    const parsed = parseFrontmatter('\uFEFF---\r\ntitle: A\r\n---\r\nBody\r\n');
    expect(parsed.data).toEqual({ title: 'A' });
    expect(parsed.content).toBe('Body\r\n');
    expect(parsed.locate(['title'])).toEqual({ line: 2, column: 1 });
  });

  it('accepts YAML’s document end ... as the closing fence', () => {
    const parsed = parseFrontmatter('---\ntitle: A\n...\n\nBody\n');
    expect(parsed.data).toEqual({ title: 'A' });
    expect(parsed.bodyLine).toBe(4);
  });

  it('gives a file without frontmatter empty data, and an empty block empty data too', () => {
    expect(parseFrontmatter('# Just Markdown\n')).toMatchObject({ data: {}, matter: '', content: '# Just Markdown\n', bodyLine: 1 });
    expect(parseFrontmatter('---\n---\nBody\n')).toMatchObject({ data: {}, matter: '', bodyLine: 3 });
  });

  it('reports an unclosed quote at the line that opened it', () => {
    const error = syntaxError('---\ntitle: Staking notes\ndescription: "never closed\npublishedAt: 2026-10-30\n---\n\nBody.\n');
    expect(error).toMatchObject({ kind: 'yaml', line: 3 });
  });

  it('reports a duplicate key at its second line', () => {
    expect(syntaxError('---\ntitle: A\ndescription: B\ntitle: C\n---\nBody\n')).toMatchObject({ kind: 'yaml', line: 4 });
  });

  it('names a block without a closing fence as unclosed, also when a horizontal rule further down looks like one', () => {
    expect(syntaxError('---\ntitle: Staking notes\n\n## Body\n\nText.\n')).toMatchObject({ kind: 'unclosed', line: 1 });
    expect(syntaxError('---\ntitle: Staking notes\n\n## Body\n\nText.\n\n---\n\nMore.\n')).toMatchObject({ kind: 'unclosed', line: 1 });
  });
});
