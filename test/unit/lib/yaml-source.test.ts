import { describe, expect, it } from 'vitest';
import { parse as parseWithPositions } from 'yaml';
import { parseYamlSource } from '../../../pipeline/lib/yaml-source.ts';

/**
 * The value of YAML comes from js-yaml and its positions from the `yaml` package's document. Each
 * row is a shape article frontmatter is written in, with the value the article schema must be
 * handed; both parsers must read it so, or a position found later would be the place of another
 * value than the one judged.
 */
const SHAPES: Array<[string, string, unknown]> = [
  ['booleans in the spellings YAML 1.2 knows', 'draft: true\nymyl: False\nfeatured: TRUE', { draft: true, ymyl: false, featured: true }],
  ['yes/no and on/off are words, not booleans', 'a: yes\nb: no\nc: on\nd: off', { a: 'yes', b: 'no', c: 'on', d: 'off' }],
  ['numbers: integers, decimals, exponent, octal and hex', 'a: 12\nb: -3.5\nc: .5\nd: 1e3\ne: 0o17\nf: 0x1F\ng: 012', { a: 12, b: -3.5, c: 0.5, d: 1000, e: 15, f: 31, g: 12 }],
  ['text that only looks like a number stays text', 'a: 1_000\nb: 0.1.2\nc: 12:30\nd: 250,000\ne: v2', { a: '1_000', b: '0.1.2', c: '12:30', d: '250,000', e: 'v2' }],
  ['null in every spelling, and an empty value', 'a: null\nb: ~\nc: Null\nd:', { a: null, b: null, c: null, d: null }],
  ['dates and timestamps stay strings for the schema to coerce', 'publishedAt: 2026-10-30\nupdatedAt: 2026-10-30T08:16:00Z\nquoted: "2026-10-30"', { publishedAt: '2026-10-30', updatedAt: '2026-10-30T08:16:00Z', quoted: '2026-10-30' }],
  [
    'quoted strings with escapes, colons and hashes',
    'title: "Staking: what \\"risk-free\\" hides"\ndescription: \'It\'\'s a #1 question\'\nunicode: "caf\\u00e9"',
    { title: 'Staking: what "risk-free" hides', description: "It's a #1 question", unicode: 'café' },
  ],
  ['block scalars, literal and folded', 'summary: |\n  Line one.\n  Line two.\nlead: >-\n  Folded\n  into one line.', { summary: 'Line one.\nLine two.\n', lead: 'Folded into one line.' }],
  ['flow and block lists, and lists of maps', 'tags: [staking, "defi", 3]\nsources:\n  - title: A\n    url: https://a.example/x\n  - title: B', { tags: ['staking', 'defi', 3], sources: [{ title: 'A', url: 'https://a.example/x' }, { title: 'B' }] }],
  ['an anchor used again by its alias', 'publisher: &p DeFi Ledger\nsources:\n  - publisher: *p', { publisher: 'DeFi Ledger', sources: [{ publisher: 'DeFi Ledger' }] }],
  ['a merge key is an ordinary key (the schema then names it unknown)', 'base: &b\n  x: 1\nfaq:\n  <<: *b', { base: { x: 1 }, faq: { '<<': { x: 1 } } }],
  ['explicit tags', 'a: !!str 12\nb: !!int "7"', { a: '12', b: 7 }],
  ['a number as a key is a string key', '1: one', { '1': 'one' }],
];

describe('parseYamlSource', () => {
  it.each(SHAPES)('reads %s as the positions parser does', (_, text, expected) => {
    const source = parseYamlSource(text);
    expect(source.error).toBeUndefined();
    expect(source.value).toEqual(expected);
    expect(parseWithPositions(text)).toEqual(expected);
  });

  it('reads a 0b binary number as a number (YAML 1.2 core would keep it as text)', () => {
    expect(parseYamlSource('a: 0b101').value).toEqual({ a: 5 });
  });

  it('points at keys, list items and the deepest part of a path that exists, shifted by the line offset', () => {
    const source = parseYamlSource('title: A\nsources:\n  - title: B\n    url: nope\n  - title: C\n', 1);
    expect(source.locate(['title'])).toEqual({ line: 2, column: 1 });
    expect(source.locate(['sources', 0, 'url'])).toEqual({ line: 5, column: 5 });
    expect(source.locate(['sources', 1])).toEqual({ line: 6, column: 5 });
    expect(source.locate(['sources', 1, 'missing'])).toEqual({ line: 6, column: 5 });
    expect(source.locate(['nothing', 'here'])).toEqual({ line: 2, column: 1 });
  });

  it('rejects a duplicate key, at the line of the second one', () => {
    const source = parseYamlSource('title: A\ndescription: B\ntitle: C\n');
    expect(source.value).toBeUndefined();
    expect(source.error).toMatchObject({ line: 3 });
  });

  it('puts an unclosed quote at the line that opened it, not where the parser gave up', () => {
    const source = parseYamlSource('title: Fine\ndescription: "never closed\npublishedAt: 2026-10-30\ngenerator: human\n', 1);
    expect(source.error).toMatchObject({ line: 3 });
    expect(source.locate(['title'])).toEqual(source.locate([]));
  });

  it('reports bad indentation and a tab where indentation is, each at its line', () => {
    expect(parseYamlSource('tags:\n  - a\n - b\n').error?.line).toBe(3);
    expect(parseYamlSource('faq:\n\t- question: x\n').error?.line).toBe(2);
  });
});
