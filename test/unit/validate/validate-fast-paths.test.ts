import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { archiveFromSignatures, signature, similarity } from '../../../pipeline/validate/near-duplicates.ts';
import { parseFrontmatter, parseSimpleYaml } from '../../../pipeline/archive/parse-frontmatter.ts';
import { phraseScanner } from '../../../pipeline/validate/rules/phrase-scanner.ts';
import { looksEnglish } from '../../../pipeline/validate/rules/quality-language-mismatch.ts';
import { RESIDUE, residueOf } from '../../../pipeline/validate/rules/quality-scraped-residue.ts';
import { codeOf, httpHost, matchesAtHeadingLines, matchesOutsideCode } from '../../../pipeline/validate/rules/rule.ts';
import { PACKAGE_ROOT } from '../../helpers/cli.ts';

/**
 * validate's fast paths (10,000 articles in a few seconds) must answer exactly what the plain
 * definitions they replace answer: each is checked here against that definition, on inputs made
 * of the pieces where the two could part ways.
 */

/** Every markdown file under test/fixtures, and pieces of text that stress the edge cases. */
async function fixtureTexts(): Promise<string[]> {
  const root = join(PACKAGE_ROOT, 'test/fixtures');
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile() && entry.name.endsWith('.md')).map((entry) => join(entry.parentPath, entry.name));
  return Promise.all(files.map((file) => readFile(file, 'utf8')));
}

const PIECES = ['---', '\n', '\r\n', ' ', '\t', '#', '# c', 'title: A', 'x: [1, 2]', 'a:', '  - b', '~', 'json', '\ufeff', '----', 'body', '\n---', ': :', '"q', 'é', 'İ'];
const pieced = (pieces: readonly string[], maxLength = 14) => fc.array(fc.constantFrom(...pieces), { maxLength }).map((parts) => parts.join(''));

describe('parseFrontmatter', () => {
  const viaGrayMatter = (text: string) => {
    try {
      const parsed = matter(text, {});
      return { data: parsed.data, content: parsed.content, matter: parsed.matter };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  const viaFastPath = (text: string) => {
    try {
      return parseFrontmatter(text);
    } catch (error) {
      return { error: (error as Error).message };
    }
  };

  it('returns what gray-matter returns for every fixture', async () => {
    for (const text of await fixtureTexts()) expect(viaFastPath(text)).toEqual(viaGrayMatter(text));
  });

  it('returns what gray-matter returns for odd fences, languages, comments, BOMs and YAML errors', () => {
    const odd = ['', '---', '---\n', '----\nx: 1\n---\n', '---json\n{"a":1}\n---\nbody', '---\n# only a comment\n---\nbody', '---\n~\n---\nbody', '\ufeff---\na: 1\n---\nb', '---  \na: 1\n---\nb', '---\na: 1', '---\na: [1\n---\n', 'no frontmatter', '--- \r\na: 1\r\n---\r\nbody', '---\n---\n', '---\n- 1\n---\nb', '---yaml\na: 1\n---\nb'];
    for (const text of odd) expect(viaFastPath(text)).toEqual(viaGrayMatter(text));
    fc.assert(
      fc.property(pieced(PIECES), (text) => {
        expect(viaFastPath(text)).toEqual(viaGrayMatter(text));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('parseSimpleYaml (the frontmatter fast path)', () => {
  const jsYaml = (matter as unknown as { engines: { yaml: { parse(text: string): unknown } } }).engines.yaml;
  const KEYS = ['title', 'tags', 'sources', 'publishedAt', 'url', 'true', 'True', 'null', '__proto__', '_x', 'a1', 'x y', '"q"'];
  const VALUES = [
    'plain text', 'Plain, with [brackets] and {braces}', 'https://example.org/a?b=c#d', 'ends with colon:', 'has: colon space', 'has #hash', 'has#hash', 'C# and F#',
    'true', 'True', 'TRUE', 'false', 'null', 'Null', '~', 'yes', 'no', 'on', 'True story', 'nullable',
    '2023-05-10', '2023-05-10T08:16:00Z', '2023-5-10', '2023-05-10t08:16:00z', '2023-05-10T08:16:00.5Z', '2023-05-10 08:16:00', '2023-13-40T25:61:61Z', '0023-01-01',
    '0', '7', '08', '1_000', '-5', '+5', '12345678901234567890', '8.14', '0.5', '1.', '.5', '1e3', '.inf', '0x1f', '1:30',
    '"quoted"', '"quoted with \\"escape\\""', '"a" "b"', '""', "'single'", "'it''s'", "''", '"unclosed', "'unclosed",
    '[a, b]', '[a,b]', '[a , b ]', '[]', '[ ]', '[a, true]', '[a,]', '[a-b, c_d]', '[2fa]', '[a] x', '[[a]]', '[a: b]',
    '&anchor x', '*alias', '!tag x', '| block', '> folded', '{a: 1}', '- item', '? key', '@at', '`tick`', '%pc', 'é', 'İstanbul', 'tab\there', 'nbsp\u00a0here',
  ];
  const GOOD_KEYS = ['title', 'tags', 'sources', 'publishedAt', 'url', 'a1', '_x', 'draft'];
  const GOOD_VALUES = ['plain text', 'https://example.org/a?b=c#d', '"quoted"', "'single'", '2023-05-10T08:16:00Z', '2023-05-10', '7', '8.14', 'true', 'null', '[a, b]', '[]'];
  const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...GOOD_KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...KEYS) });
  const value = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...GOOD_VALUES) }, { weight: 1, arbitrary: fc.constantFrom(...VALUES) });
  const indent = fc.oneof({ weight: 6, arbitrary: fc.constant('  ') }, { weight: 1, arbitrary: fc.constantFrom(' ', '    ', '') });
  const pairs = (at: string) => fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 4 }).map((list) => list.map(([k, v], index) => `${index === 0 ? '' : at}${k}: ${v}`));
  // A document: top-level entries with a scalar, a list of scalars, a list of maps, or a map.
  const entry = fc.oneof(
    fc.tuple(key, value).map(([k, v]) => [`${k}: ${v}`]),
    fc.tuple(key, indent, fc.array(value, { minLength: 1, maxLength: 3 })).map(([k, at, items]) => [`${k}:`, ...items.map((item) => `${at}- ${item}`)]),
    fc.tuple(key, indent).chain(([k, at]) => fc.array(pairs(`${at}  `), { minLength: 1, maxLength: 3 }).map((maps) => [`${k}:`, ...maps.flatMap(([first, ...rest]) => [`${at}- ${first}`, ...rest])])),
    fc.tuple(key, indent).chain(([k, at]) => pairs(at).map((list) => [`${k}:`, `${at}${list[0]}`, ...list.slice(1)])),
    fc.constantFrom(['key:'], [''], ['   '], ['# comment'], ['  - stray'], ['...']),
  );
  const parse = (text: string, parser: (text: string) => unknown) => {
    try {
      return { value: parser(text) };
    } catch (error) {
      return { error: (error as Error).name };
    }
  };

  it('reads what js-yaml reads, or leaves the text to it', () => {
    let read = 0;
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), (entries) => {
        const text = `\n${entries.flat().join('\n').replace(/\\t/g, '\t').replace(/\\u00a0/g, '\u00a0')}`;
        const simple = parseSimpleYaml(text);
        if (simple === undefined) return;
        read++;
        expect({ value: simple }).toEqual(parse(text, (yaml) => jsYaml.parse(yaml)));
      }),
      { numRuns: 20000 },
    );
    // The comparison must have happened often, not only on the inputs left to js-yaml.
    expect(read).toBeGreaterThan(1000);
  });

  it('reads the typical frontmatter itself', () => {
    const text = '\ntitle: A\ntags: [a, b]\npublishedAt: 2026-10-30T09:00:00Z\ntopic:\n  key: k\n  score: 8.14\nsources:\n  - title: "T"\n    url: https://a.example/x\nkeyTakeaways:\n  - One.\n  - "Two; three."\ndraft: false';
    expect(parseSimpleYaml(text)).toEqual(jsYaml.parse(text));
    expect(parseSimpleYaml(text)).not.toBeUndefined();
  });
});

describe('phraseScanner', () => {
  it('finds exactly the lists that have a phrase in the text', () => {
    const letters = ['a', 'b', 'ab', 'ba', 'aab', ' ', "'", 'é'];
    fc.assert(
      fc.property(fc.array(fc.array(pieced(letters), { maxLength: 4 }), { maxLength: 6 }), pieced(letters), (lists, text) => {
        let expected = 0;
        lists.forEach((list, bit) => {
          if (list.some((phrase) => text.includes(phrase))) expected |= 1 << bit;
        });
        expect(phraseScanner(lists).scan(text)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('looksEnglish (quality/language-mismatch prefilter)', () => {
  const FUNCTION_WORDS = new Set('the and of to in is that for it with as on are be this by or an at from was not but which have has can their you your if a into about more than its they we our were been will would all one so when there what out up who how also after before over only any each most some other every per within'.split(' '));
  const bySplitting = (text: string) => {
    const tokens = text.split(/\s+/);
    return tokens.filter((token) => FUNCTION_WORDS.has(token)).length >= tokens.length * 0.12;
  };

  it('agrees with splitting on /\\s+/ and counting function words', () => {
    const pieces = ['the', 'and', 'within', 'staking', 'der', 'the,', 'thé', 'x', '', ' ', '  ', '\n', '\t', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u2028', '\u200b', '\u180e'];
    fc.assert(
      fc.property(pieced(pieces), fc.string({ maxLength: 3 }), (text, padding) => {
        const whole = padding + text + padding;
        expect(looksEnglish(whole, padding.length, padding.length + text.length)).toBe(bySplitting(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('treats exactly the characters \\s matches as separators', () => {
    for (let code = 0; code < 0x10000; code++) {
      const text = `the${String.fromCharCode(code)}staking`;
      expect(looksEnglish(text, 0, text.length), code.toString(16)).toBe(bySplitting(text));
    }
  });
});

describe('matchesAtHeadingLines', () => {
  it('finds what matchAll finds for heading patterns, outside code', () => {
    const pieces = ['#', '##', '#######', ' ', '   ', '    ', '\n', '\r', '\r\n', '\u2028', '\u2029', 'x', 'Title', '\t', '\u00a0', '```\n', '`', '=', '\n==='];
    const patterns: Array<[RegExp, RegExp]> = [
      [/^ {0,3}(#{1,6})[^\S\n]+\S/gm, /^ {0,3}(#{1,6})[^\S\n]+\S/my],
      [/^ {0,3}#(?!#)[^\S\n]+\S/gm, /^ {0,3}#(?!#)[^\S\n]+\S/my],
    ];
    fc.assert(
      fc.property(pieced(pieces, 40), (body) => {
        const article = { file: 'x.md', frontmatter: undefined, body, bodyLine: 1 };
        for (const [global, sticky] of patterns) {
          const plain = matchesOutsideCode(body, global, codeOf(article)).map((match) => [match.index, match[0], match[1]]);
          expect(matchesAtHeadingLines(article, sticky).map((match) => [match.index, match[0], match[1]])).toEqual(plain);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('quality/scraped-residue', () => {
  it('finds with one pattern the entry the list of patterns finds first', () => {
    const pieces = ['Leave a reply', 'leave a comment', '12 comments', 'Comments (3)', 'Share this', 'share on', 'Click to share', 'Tweet', 'share', 'Pin it', 'Twitter', 'Facebook', ' | ', ', ', 'LinkedIn', 'x', 'Skip to content', 'Home › Staking', 'Previous post', 'Next article', '« Older', 'Older posts', 'Back to top', 'Read more', 'Continue reading', 'Related posts', 'You might also like', 'More from', 'Trending now', 'We use cookies', 'Accept all cookies', 'Subscribe to our newsletter', 'Enter your email', ' ', 'yield', ':'];
    fc.assert(
      fc.property(pieced(pieces, 5), (text) => {
        expect(residueOf(text)).toBe(RESIDUE.find(([pattern]) => pattern.test(text)));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('httpHost', () => {
  const byParsing = (url: string) => (!/^https?:\/\//i.test(url) ? undefined : URL.canParse(url) ? new URL(url).hostname.toLowerCase().replace(/\.$/, '') : undefined);

  it('gives the URL parser’s host, including for IPv4 forms, IDNs, ports, credentials and escapes', () => {
    const pieces = ['a', 'b', 'xn--', 'xn--abc', '-', '.', 'example', '1', '0x7f', '/', '?', '#', ':80', '@', 'user@', '%41', '\\', 'É', 'ß', 'A', ' '];
    fc.assert(
      fc.property(fc.constantFrom('https://', 'http://', 'HTTPS://', ''), pieced(pieces), (scheme, rest) => {
        expect(httpHost(scheme + rest)).toBe(byParsing(scheme + rest));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('near-duplicate signatures', () => {
  /**
   * The plain definition (the signer as first written): FNV-1a hashes of the visible words in
   * one pass — link targets `](…)` and bare URLs skipped — then 5-word shingles, one-permutation MinHash.
   */
  function plainSignature(body: string): Uint32Array | undefined {
    const words: number[] = [];
    let hash = 0x811c9dc5;
    let inWord = false;
    for (let index = 0; index < body.length; index++) {
      let code = body.charCodeAt(index);
      if (code === 0x5d && body.charCodeAt(index + 1) === 0x28) {
        const close = body.indexOf(')', index + 2);
        if (close !== -1) index = close;
        code = 0x20;
      } else if (code === 0x68 && !inWord && /^https?:\/\//.test(body.slice(index, index + 8))) {
        while (index < body.length && body.charCodeAt(index) > 0x20) index++;
        code = 0x20;
      }
      if (code >= 0x41 && code <= 0x5a) code += 0x20;
      if ((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a) || code >= 0xc0) {
        hash = Math.imul(hash ^ code, 0x01000193);
        inWord = true;
      } else if (inWord) {
        words.push(hash >>> 0);
        hash = 0x811c9dc5;
        inWord = false;
      }
    }
    if (inWord) words.push(hash >>> 0);
    if (words.length < 20) return undefined;
    const mix = (value: number) => {
      let h = value >>> 0;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      return h >>> 0;
    };
    const sig = new Uint32Array(64).fill(0xffffffff);
    for (let index = 0; index + 5 <= words.length; index++) {
      let h = 0;
      for (let k = 0; k < 5; k++) h = Math.imul(h ^ words[index + k]!, 0x9e3779b1) >>> 0;
      h = mix(h);
      if ((h & 0x03ffffff) < sig[h >>> 26]!) sig[h >>> 26] = h & 0x03ffffff;
    }
    return sig;
  }

  it('signs like the plain definition', async () => {
    const texts = await fixtureTexts();
    for (const text of texts) expect(signature(text)).toEqual(plainSignature(text));
    const pieces = ['word', 'Word', 'WORD', 'É', ' ', '\n', '\u00a0', '[a](https://x.example/y)', '](', ')', 'https://x.example/p', 'http', 'h', 'é', '—', '2026', '-', '.'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { minLength: 20, maxLength: 200 }), fc.constantFrom(' ', ''), (parts, separator) => {
        const text = parts.join(separator);
        expect(signature(text)).toEqual(plainSignature(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('matches each article with its most similar older one among those sharing a band', () => {
    const base = Array.from({ length: 60 }, (_, index) => `topic${index % 7} word${index % 5} staking yield risk`);
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom(...base), { minLength: 6, maxLength: 12 }), { minLength: 2, maxLength: 25 }), fc.constantFrom(0.3, 0.5, 0.8), (articles, threshold) => {
        const entries = articles.map((parts, index) => ({ file: `a${index}.md`, signature: signature(parts.join(' ')), publishedAt: index % 3 }));
        const matches = archiveFromSignatures(entries, threshold).matches();
        const sharesBand = (a: Uint32Array, b: Uint32Array) =>
          Array.from({ length: 16 }, (_, band) => band).some((band) => [0, 1, 2, 3].every((row) => a[band * 4 + row] === b[band * 4 + row]) && [0, 1, 2, 3].some((row) => a[band * 4 + row] !== 0xffffffff));
        entries.forEach((entry, index) => {
          let best = 0;
          entries.forEach((other, otherIndex) => {
            if (otherIndex === index || !entry.signature || !other.signature || !sharesBand(entry.signature, other.signature)) return;
            const older = other.publishedAt < entry.publishedAt || (other.publishedAt === entry.publishedAt && other.file < entry.file);
            const value = similarity(entry.signature, other.signature);
            if (older && value >= threshold) best = Math.max(best, value);
          });
          expect(matches.get(entry.file)?.similarity ?? 0).toBe(best);
        });
      }),
      { numRuns: 300 },
    );
  });
});
