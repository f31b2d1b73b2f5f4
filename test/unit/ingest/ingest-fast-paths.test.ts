import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../../pipeline/ingest/canonical-url.ts';
import { deduplicateItems } from '../../../pipeline/ingest/deduplicate-items.ts';
import { digest } from '../../../pipeline/lib/hash.ts';
import { formatIsoTimestamp, isIsoTimestamp, parseFeedDate } from '../../../pipeline/ingest/parse-feed-date.ts';
import { decodeEntities, toPlainText } from '../../../pipeline/ingest/plain-text.ts';
import { STOP_WORDS } from '../../../pipeline/lib/stop-words.ts';
import type { FeedItem } from '../../../pipeline/schema/feed-item.ts';
import { normaliseEntry } from '../../../pipeline/ingest/read-entries.ts';

/**
 * Ingest normalises and de-duplicates every entry of every feed, so these helpers have fast
 * paths. Each is checked here against the straightforward implementation it replaced (kept below
 * as the oracle): same output for every input, not just for the inputs the fast path takes.
 */

const TRACKING_PARAMS = /^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref_src)$/i;

function referenceCanonicalUrl(raw: string, base?: string): string | undefined {
  let url: URL;
  try {
    url = base ? new URL(raw.trim(), base) : new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  url.username = '';
  url.password = '';
  for (const key of [...url.searchParams.keys()]) {
    if (TRACKING_PARAMS.test(key)) url.searchParams.delete(key);
  }
  url.searchParams.sort();
  return url.toString();
}

function referenceToPlainText(html: string): string {
  if (!/[<&\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(html)) return html.replace(/\s+/g, ' ').trim();
  const withoutBlocks = html
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/<(script|style|iframe|noscript)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ');
  const withoutTags = withoutBlocks.replace(/<\/?[a-z][^>]*>/gi, ' ');
  return referenceDecodeEntities(withoutTags)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const REFERENCE_ENTITIES = new Map(Object.entries({
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', hellip: '…', mdash: '—', ndash: '–',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', euro: '€', copy: '©', reg: '®', trade: '™',
}));

function referenceDecodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (match, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    return REFERENCE_ENTITIES.get(body.toLowerCase()) ?? match;
  });
}

function referenceDeduplicate(items: readonly FeedItem[]): FeedItem[] {
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...items].sort((a, b) => compare(a.publishedAt, b.publishedAt) || compare(a.url, b.url));
  const byUrl = new Set<string>();
  const titleKeys = new Map<string, string>();
  const kept: FeedItem[] = [];
  for (const item of sorted) {
    const keys = referenceTitleKeys(item.title);
    if (byUrl.has(item.url)) {
      for (const key of keys) if (!titleKeys.has(key)) titleKeys.set(key, item.feed);
      continue;
    }
    if (keys.some((key) => (titleKeys.get(key) ?? item.feed) !== item.feed)) continue;
    byUrl.add(item.url);
    for (const key of keys) if (!titleKeys.has(key)) titleKeys.set(key, item.feed);
    kept.push(item);
  }
  return kept;
}

function referenceTitleKeys(title: string): string[] {
  const fold = (text: string) => (/[^\u0000-\u007f]/.test(text) ? text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '') : text);
  const words = [
    ...new Set(
      fold(title.toLowerCase())
        .split(/[^\p{L}\p{N}]+/u)
        .filter((word) => word && !STOP_WORDS.has(word) && !/^(update|updated|breaking|exclusive|analysis)$/.test(word)),
    ),
  ];
  const numbers = words.filter((word) => /\d/.test(word)).join(',');
  let low = 0;
  let high = 0;
  const hashes = words.map((word) => {
    let a = 0x811c9dc5;
    let b = 0x01000193 ^ word.length;
    for (let index = 0; index < word.length; index++) {
      const code = word.charCodeAt(index);
      a = Math.imul(a ^ code, 0x01000193);
      b = Math.imul(b ^ code, 0x5bd1e995) ^ (b >>> 15);
    }
    const hash: [number, number] = [a >>> 0, b >>> 0];
    low ^= hash[0];
    high ^= hash[1];
    return hash;
  });
  const key = (a: number, b: number) => `${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}#${numbers}`;
  const whole = key(low, high);
  if (words.length < 5) return [whole];
  const keys = [whole];
  words.forEach((word, index) => {
    if (/\d/.test(word)) return;
    const [a, b] = hashes[index]!;
    keys.push(key(low ^ a, high ^ b));
  });
  return keys;
}

describe('canonicalUrl fast path', () => {
  const label = fc.stringMatching(/^[a-zA-Z0-9-]{1,8}$/);
  const host = fc.oneof(
    fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')),
    fc.constantFrom('127.0.0.1', '1.2.3', '0x7f.1', 'a.0x1', 'xn--nxasmq6b.example', 'xn--.example', 'a..b', 'b.example.', 'Example.COM', '[::1]', 'a.b:80', 'a.b:0080', 'a.b:8080', 'user:pw@a.b'),
  );
  const pathPart = fc.constantFrom('', '/', '/a', '/./', '/../', '/a/..', '/a/.', '/%2e/', '/%41', '/~x', "/!$&'()*+,;=:@", '/a b', '/a\\b', '/ä', '/a^b', '/{}', '/a|b', '/a"b', '/a`b', '/a<b>');
  const queryPart = fc.constantFrom('', '?', '?&', '?a=1', '?b=2&a=1', '?utm_source=rss', '?UTM_Medium=x&z=1', '?a=1&utm_campaign=y&fbclid=z', '?a', '?=x', '?a=b=c', '?a+b=1', '?a=%20', '?a=1&&b=2', '?b&a', '?é=1', '?a=1;b=2', '?a=~', "?a='", '?ref_src=t&mc_cid=1');
  const fragment = fc.constantFrom('', '#', '#top', '#a b', '#\u0001');
  const scheme = fc.constantFrom('http://', 'https://', 'HTTP://', 'Https://', 'ftp://', 'http:', 'http:/', '//');
  const padding = fc.constantFrom('', ' ', '\t', '\n', '\u00a0', '\u0001');
  const url = fc
    .tuple(padding, scheme, host, fc.array(pathPart, { maxLength: 3 }), queryPart, fragment, padding)
    .map(([before, s, h, path, query, hash, after]) => `${before}${s}${h}${path.join('')}${query}${hash}${after}`);
  const base = fc.constantFrom(undefined, '', 'https://feed.example/rss.xml', 'http://127.0.0.1:8080/feed/', 'not a url', 'mailto:x@y.example');

  it('gives exactly what the URL parser gives, for URLs shaped to hit and to miss the fast path', () => {
    fc.assert(
      fc.property(url, base, (raw, baseUrl) => {
        expect(canonicalUrl(raw, baseUrl)).toBe(referenceCanonicalUrl(raw, baseUrl));
      }),
      { numRuns: 5000 },
    );
  });

  it('gives exactly what the URL parser gives for arbitrary web URLs and strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.webUrl({ withFragments: true, withQueryParameters: true }), fc.string({ maxLength: 60 })), base, (raw, baseUrl) => {
        expect(canonicalUrl(raw, baseUrl)).toBe(referenceCanonicalUrl(raw, baseUrl));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes plain feed links as they are, minus fragment and tracking parameters', () => {
    expect(canonicalUrl('https://publisher7.example/stories/3?utm_source=rss#comments')).toBe('https://publisher7.example/stories/3');
    expect(canonicalUrl('https://a.example/x?b=2&a&utm_medium=feed')).toBe('https://a.example/x?a=&b=2');
    expect(canonicalUrl('https://a.example')).toBe('https://a.example/');
  });
});

describe('toPlainText fast paths', () => {
  const piece = fc.constantFrom(
    'word', ' ', '  ', '\t', '\n', '\r', '\u000b', '\f', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u200b', '\u0001', '\u001f', '\u007f', '\u0080',
    '<', '>', '/', '&', ';', '#', 'x', 'X', '1', 'f', 'é', '—', '😀',
    '&amp;', '&AMP;', '&lt;b&gt;', '&#8217;', '&#x20AC;', '&#X20ac;', '&#x;', '&#;', '&#0;', '&#x0;', '&#1;', '&#9;', '&#160;', '&#xFEFF;', '&#x1F600;',
    '&#55296;', '&#1114112;', '&#99999999999999999999;', '&#x110000;', '&nbsp;', '&bogus;', '&constructor;', '&__proto__;', '&toString;', '&am', 'p;', '&#x1g;', '&#12a;',
    '<p>', '</p>', '<b>', '<br/>', '< b>', '</ b>', '<1>', '<a title="x>y">', '<A HREF=x>', '</', '<a', '<![CDATA[', ']]>', '<!--', '-->', '<!doctype html>',
    '<script>', '</script>', '<scripts>', '<STYLE>x</style >', '<iframe src=x>', '</iframe>', '<noscript>', '</noscript >',
  );

  it('gives the same text as the original pipeline of replacements for any mix of markup, entities and whitespace', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 25 }), (pieces) => {
        const html = pieces.join('');
        expect(toPlainText(html)).toBe(referenceToPlainText(html));
      }),
      { numRuns: 10000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (html) => {
        expect(toPlainText(html)).toBe(referenceToPlainText(html));
      }),
      { numRuns: 3000 },
    );
  });

  it('treats every UTF-16 code unit as the replacements do (whitespace, control characters, letters of tags and entities)', () => {
    for (let code = 0; code < 0x10000; code++) {
      const unit = String.fromCharCode(code);
      for (const html of [`<b>a${unit}b</b>`, `<i> ${unit}${unit} </i>&amp;${unit}`, `&#x${unit};&${unit}mp;<${unit}>`]) {
        expect(toPlainText(html)).toBe(referenceToPlainText(html));
      }
    }
  });

  it('reads feed summaries in one pass the way the replacements do', () => {
    const summaries = [
      '<p>Story 4 from publisher 7: <b>liquidity providers</b> weigh fees against impermanent loss &amp; smart-contract risk.</p>',
      '  <div class="x">Caf&eacute; &#8212; r&#xE9;sum&eacute;&nbsp;&nbsp;<br/>\n\tnext&hellip;</div>  ',
      'a &lt;script&gt;alert(1)&lt;/script&gt; b',
      '<a href="https://x.example/?a=1&amp;b=2">link</a>&#1;&#9;end',
    ];
    for (const html of summaries) expect(toPlainText(html)).toBe(referenceToPlainText(html));
    expect(toPlainText(summaries[0]!)).toBe('Story 4 from publisher 7: liquidity providers weigh fees against impermanent loss & smart-contract risk.');
  });

  it('decodes only the entity names it knows, never inherited object properties', () => {
    expect(decodeEntities('&constructor; &toString; &__proto__; &hasOwnProperty; &amp;')).toBe('&constructor; &toString; &__proto__; &hasOwnProperty; &');
    expect(toPlainText('<b>&constructor;</b>')).toBe('&constructor;');
  });
});

describe('ISO timestamps taken as they are', () => {
  /** parseFeedDate's branches for a string that looks like an ISO date-time, before the fast path. */
  function referenceParse(text: string): number | undefined {
    const value = text.trim();
    const finite = (time: number) => (Number.isFinite(time) && time >= Date.UTC(1990, 0, 1) && time < Date.UTC(2200, 0, 1) ? time : undefined);
    const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/.exec(value);
    if (iso) return finite(Date.parse(`${iso[1]}T${iso[2] ?? '00:00:00'}Z`));
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value)) return finite(Date.parse(value.replace(' ', 'T')));
    return undefined;
  }
  const two = (max: number) => fc.integer({ min: 0, max }).map((value) => String(value).padStart(2, '0'));
  // Fields past their range too (month 13, 30 February, 24:00, second 60), and other years.
  const stamp = fc
    .tuple(fc.constantFrom('1989', '1990', '2000', '2024', '2026', '2100', '2199', '2200', '0000', '9999'), two(13), two(32), two(25), two(61), two(61), fc.integer({ min: 0, max: 999 }))
    .map(([year, month, day, hour, minute, second, ms]) => `${year}-${month}-${day}T${hour}:${minute}:${second}.${String(ms).padStart(3, '0')}Z`);
  const now = new Date('2026-11-01T09:00:00Z');

  it('reads them as before and writes them back unchanged, or takes the general path', () => {
    fc.assert(
      fc.property(fc.oneof(stamp, stamp.map((text) => text.replace('T', ' ')), stamp.map((text) => ` ${text}`), stamp.map((text) => text.slice(0, 23))), (text) => {
        const time = parseFeedDate(text);
        expect(time).toBe(referenceParse(text));
        if (isIsoTimestamp(text) && time !== undefined) expect(new Date(time).toISOString()).toBe(text);
        const item = normaliseEntry({ title: 't', link: 'https://x.example/a', date: text }, { base: undefined, feedName: 'f', publisher: 'p', now });
        if (time === undefined) expect(item).toMatch(/cannot be read/);
        else expect(item).toMatchObject({ publishedAt: new Date(Math.min(time, now.getTime() + 10 * 60_000)).toISOString() });
      }),
      { numRuns: 5000 },
    );
  });

  it('knows real dates from impossible ones', () => {
    expect(isIsoTimestamp('2024-02-29T23:59:59.999Z')).toBe(true);
    expect(isIsoTimestamp('2026-02-29T00:00:00.000Z')).toBe(false);
    expect(isIsoTimestamp('2100-02-29T00:00:00.000Z')).toBe(false);
    expect(isIsoTimestamp('2026-10-27T24:00:00.000Z')).toBe(false);
    expect(isIsoTimestamp('2026-10-27T08:30:00Z')).toBe(false);
    // Beyond the clock's skew the date is clamped to now, not kept.
    expect(normaliseEntry({ title: 't', link: 'https://x.example/a', date: '2027-01-01T00:00:00.000Z' }, { base: undefined, feedName: 'f', publisher: 'p', now })).toMatchObject({ publishedAt: '2026-11-01T09:10:00.000Z' });
  });
});

describe('RFC 822 dates with a zone JavaScript knows, read by Date.parse directly', () => {
  /** parseFeedDate's general path for RFC 822, before the fast path: day name dropped, zone names mapped to offsets. */
  function referenceParse(text: string): number | undefined {
    const zones: Record<string, string> = { UT: '+0000', UTC: '+0000', GMT: '+0000', Z: '+0000', EST: '-0500', CEST: '+0200' };
    const finite = (time: number) => (Number.isFinite(time) && time >= Date.UTC(1990, 0, 1) && time < Date.UTC(2200, 0, 1) ? time : undefined);
    const value = text.trim();
    if (!/\b\d{4}\b/.test(value)) return undefined;
    const rfc = value.replace(/^[^\d,]+,\s*/, '').replace(/\b([A-Z]{1,5})$/, (zone) => zones[zone] ?? zone);
    return finite(Date.parse(/[+-]\d{4}$|Z$/.test(rfc) ? rfc : `${rfc} +0000`)) ?? finite(Date.parse(value));
  }
  const two = (max: number) => fc.integer({ min: 0, max }).map((value) => String(value).padStart(2, '0'));
  // Fields past their range too (day 0 and 39, 31 February, hour 29, minute 69), other years,
  // day names that are not English or do not match the date, zones the fast path leaves alone.
  const rfc822 = fc
    .tuple(
      fc.constantFrom('', 'Mon, ', 'Tue, ', 'Sun, ', 'Mar, ', 'Tue,'),
      fc.integer({ min: 0, max: 39 }).chain((day) => fc.constantFrom(String(day), String(day).padStart(2, '0'))),
      fc.constantFrom('Jan', 'Feb', 'Jun', 'Sep', 'Dec', 'Okt', 'oct'),
      fc.constantFrom('1989', '1990', '2024', '2026', '2100', '2199', '2200'),
      two(29), two(69), fc.option(two(69), { nil: undefined }),
      fc.constantFrom('GMT', 'UT', 'UTC', 'Z', '+0000', '-0500', '+0530', '+1400', '+9999', '-0060', 'EST', 'CEST', 'gmt'),
    )
    .map(([dayName, day, month, year, hour, minute, second, zone]) => `${dayName}${day} ${month} ${year} ${hour}:${minute}${second === undefined ? '' : `:${second}`} ${zone}`);

  it('gives the same time as the general path, for dates shaped to hit and to miss the fast path', () => {
    fc.assert(
      fc.property(rfc822, (text) => {
        expect(parseFeedDate(text)).toBe(referenceParse(text));
      }),
      { numRuns: 5000 },
    );
    expect(new Date(parseFeedDate('Tue, 27 Oct 2026 08:30:00 GMT')!).toISOString()).toBe('2026-10-27T08:30:00.000Z');
  });
});

describe('formatIsoTimestamp', () => {
  it('writes what toISOString writes, for any time', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: Date.UTC(1000, 0, 1) - 86_400_000, max: Date.UTC(10_000, 0, 1) + 86_400_000 }),
          fc.integer({ min: -8.64e15, max: 8.64e15 }),
          fc.constantFrom(Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2100, 1, 28), Date.UTC(2000, 1, 29), 0, -1, Date.UTC(1000, 0, 1), Date.UTC(10_000, 0, 1) - 1),
        ),
        (time) => {
          expect(formatIsoTimestamp(time)).toBe(new Date(time).toISOString());
        },
      ),
      { numRuns: 20_000 },
    );
  });
});

describe('digest', () => {
  it('is the SHA-256 hex prefix it always was, for strings (as UTF-8) and bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), fc.integer({ min: 1, max: 64 }), (text, length) => {
        expect(digest(text, length)).toBe(createHash('sha256').update(text).digest('hex').slice(0, length));
        const bytes = new TextEncoder().encode(text);
        expect(digest(bytes)).toBe(createHash('sha256').update(bytes).digest('hex').slice(0, 16));
      }),
      { numRuns: 500 },
    );
  });
});

describe('deduplicateItems with its numeric key table', () => {
  const word = fc.constantFrom(
    'staking', 'restaking', 'lending', 'rates', 'caps', 'vault', 'exit', 'queue', 'blob', 'fees', 'rollup', 'treasury',
    'Zürich', 'ZURICH', 'café', 'the', 'and', 'Update:', 'BREAKING', '2026', '41', '4', 'week', 'v2', 'l2s', '—', 'naïve', 'Ⅻ', '١٢',
    'Vault', 'VAULT', 'vault,', '(fees)', 'The', 'AND', 'V2', 'L2S', 'v2-upgrade', "rates'", '#42', 'Q3/2026', 'a', 'I',
    // Non-ASCII that lower-cases or folds to ASCII: the Kelvin sign, dotted I, a ligature.
    'K', 'İ', 'ﬁx',
  );
  const itemArb = fc.record({
    feed: fc.constantFrom('A', 'B', 'C', 'D'),
    path: fc.integer({ min: 0, max: 40 }),
    title: fc.array(word, { minLength: 0, maxLength: 10 }).map((words) => words.join(' ')),
    day: fc.integer({ min: 1, max: 28 }),
  });

  it('keeps exactly the items the string-keyed implementation kept, in the same order', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 60 }), (raw) => {
        const items: FeedItem[] = raw.map((entry, index) => ({
          id: String(index),
          url: `https://news.example/${entry.path}`,
          title: entry.title,
          summary: '',
          feed: entry.feed,
          publisher: entry.feed,
          publishedAt: `2026-10-${String(entry.day).padStart(2, '0')}T00:00:00.000Z`,
        }));
        expect(deduplicateItems(items)).toEqual(referenceDeduplicate(items));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps the same items as the string-keyed implementation for titles of many distinct words', () => {
    const long = (words: number, changed: number) =>
      Array.from({ length: words }, (_unused, index) => (index === changed ? 'Changed' : `Word${String.fromCharCode(97 + (index % 26))}${String.fromCharCode(97 + Math.floor(index / 26))}`)).join(' ');
    const items: FeedItem[] = [70, 40, 140].flatMap((words, round) =>
      ['A', 'B', 'C'].map((feed, index) => ({
        id: `${round}${feed}`,
        url: `https://x.example/${round}/${feed}`,
        title: long(words, index === 2 ? -1 : index),
        summary: '',
        feed,
        publisher: feed,
        publishedAt: `2026-10-0${round + 1}T00:00:0${index}.000Z`,
      })),
    );
    const kept = deduplicateItems(items);
    expect(kept).toEqual(referenceDeduplicate(items));
    // One word replaced in a title of 70, 40 or 140 words: the same story.
    expect(kept.map((item) => item.id)).toEqual(['0A', '1A', '2A']);
    // A title of 300 words has far more keys than the table was sized for: it grows while they
    // are recorded, and the copy with one word replaced is still found.
    for (const changed of [0, 150, 299]) {
      const first: FeedItem = { ...items[0]!, id: 'first', url: 'https://x.example/first', title: long(300, -1) };
      const copy: FeedItem = { ...items[1]!, id: 'copy', url: 'https://x.example/copy', title: long(300, changed), publishedAt: '2026-10-09T00:00:00.000Z' };
      expect(deduplicateItems([copy, first])).toEqual([first]);
    }
  });

  it('keeps the same items as the string-keyed implementation for long titles that share most words (a crowded key table)', () => {
    // Dozens of keys per title against a table sized for ~8 per item: it fills and grows as
    // titles are recorded, and keys collide on their way to a free slot.
    const vocabulary = Array.from({ length: 90 }, (_unused, index) => `w${index.toString(36)}`);
    const longItem = fc.record({
      feed: fc.constantFrom('A', 'B', 'C'),
      base: fc.integer({ min: 0, max: 2 }),
      words: fc.integer({ min: 20, max: 60 }),
      replace: fc.option(fc.tuple(fc.nat(), fc.constantFrom(...vocabulary)), { nil: undefined }),
      path: fc.integer({ min: 0, max: 30 }),
      day: fc.integer({ min: 1, max: 9 }),
    });
    fc.assert(
      fc.property(fc.array(longItem, { minLength: 1, maxLength: 30 }), (raw) => {
        const items: FeedItem[] = raw.map((entry, index) => {
          const words = vocabulary.slice(entry.base * 10, entry.base * 10 + entry.words);
          if (entry.replace) words[entry.replace[0] % words.length] = entry.replace[1];
          return { id: String(index), url: `https://x.example/${entry.path}`, title: words.join(' '), summary: '', feed: entry.feed, publisher: entry.feed, publishedAt: `2026-10-0${entry.day}T00:00:00.000Z` };
        });
        expect(deduplicateItems(items)).toEqual(referenceDeduplicate(items));
      }),
      { numRuns: 1500 },
    );
  });

  it('keeps the same items as the string-keyed implementation on a large run (the key table grows)', () => {
    const words = ['yield', 'vault', 'oracle', 'bridge', 'exploit', 'lending', 'rates', 'validator', 'queue', 'airdrop', 'treasury', 'vote'];
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const items: FeedItem[] = Array.from({ length: 6000 }, (_unused, index) => {
      const title = Array.from({ length: 4 + (next() % 5) }, () => words[next() % words.length]).join(' ') + (next() % 3 === 0 ? ` ${next() % 50}` : '');
      const feed = `feed-${next() % 30}`;
      return { id: String(index), url: `https://x.example/${next() % 5000}`, title, summary: '', feed, publisher: feed, publishedAt: `2026-10-${String(1 + (next() % 28)).padStart(2, '0')}T00:00:00.000Z` };
    });
    const kept = deduplicateItems(items);
    expect(kept).toEqual(referenceDeduplicate(items));
    expect(kept.length).toBeGreaterThan(100);
    expect(kept.length).toBeLessThan(items.length);
  });
});
