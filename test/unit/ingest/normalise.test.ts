import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../../pipeline/ingest/canonical-url.ts';
import { deduplicateItems } from '../../../pipeline/ingest/deduplicate-items.ts';
import { toPlainText } from '../../../pipeline/ingest/plain-text.ts';
import { parseFeedDate } from '../../../pipeline/ingest/parse-feed-date.ts';
import { normaliseEntry, type ReadItem } from '../../../pipeline/ingest/read-entries.ts';
import type { FeedItem } from '../../../pipeline/schema/feed-item.ts';

/** What normalisation promises of each entry's URL, text and date, and de-duplication of long titles. */

describe('canonicalUrl', () => {
  it('drops fragments, credentials and tracking parameters, sorts the rest, resolves relative links', () => {
    expect(canonicalUrl('https://publisher7.example/stories/3?utm_source=rss#comments')).toBe('https://publisher7.example/stories/3');
    expect(canonicalUrl('https://a.example/x?b=2&a&utm_medium=feed&fbclid=z')).toBe('https://a.example/x?a=&b=2');
    expect(canonicalUrl('HTTPS://User:pw@Example.COM:443/a/../b')).toBe('https://example.com/b');
    expect(canonicalUrl('/news/1?gclid=x', 'http://127.0.0.1:8080/feed/')).toBe('http://127.0.0.1:8080/news/1');
    expect(canonicalUrl('https://a.example')).toBe('https://a.example/');
  });

  it('refuses what is not http(s), and relative links without a usable base', () => {
    for (const raw of ['ftp://a.example/x', 'javascript:alert(1)', 'mailto:x@y.example', 'not a url']) expect(canonicalUrl(raw)).toBeUndefined();
    expect(canonicalUrl('/x', 'not a url')).toBeUndefined();
  });
});

describe('toPlainText', () => {
  it('removes markup and script-like blocks, decodes every HTML entity, collapses whitespace', () => {
    expect(toPlainText('<p>Story 4: <b>liquidity</b> &amp; risk.</p><p>Next</p>')).toBe('Story 4: liquidity & risk. Next');
    expect(toPlainText('  <div>Caf&eacute; &#8212; r&#xE9;sum&eacute;&nbsp;&nbsp;<br/>\n\tnext&hellip;</div> ')).toBe('Café — résumé next…');
    expect(toPlainText('<script>alert(1)</script><style>p{}</style><!-- note -->visible')).toBe('visible');
    expect(toPlainText('tab\there\u0001 and\u007f more')).toBe('tab here and more');
  });

  it('keeps encoded markup as visible text, and text that only looks like markup', () => {
    expect(toPlainText('a &lt;script&gt;alert(1)&lt;/script&gt; b')).toBe('a <script>alert(1)</script> b');
    expect(toPlainText('AT&T: 1 < 2 > 0')).toBe('AT&T: 1 < 2 > 0');
  });

  it('never reads inherited object properties as entity names', () => {
    expect(toPlainText('&constructor; &toString; &__proto__; &amp;')).toBe('&constructor; &toString; &__proto__; &');
  });
});

describe('parseFeedDate', () => {
  it('reads dates as each language writes them, weekday and month long or short (the names as the platform formats them)', () => {
    const unread: string[] = [];
    for (const language of ['en', 'fr', 'de', 'es', 'pt', 'it', 'nl']) {
      for (const month of ['long', 'short'] as const) {
        for (const weekday of ['long', 'short', undefined] as const) {
          const format = new Intl.DateTimeFormat(language, { weekday, day: 'numeric', month, year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
          for (let index = 0; index < 12; index++) {
            const date = new Date(Date.UTC(2026, index, 15, 10, 30));
            const text = format.format(date);
            if (parseFeedDate(text) !== date.getTime()) unread.push(`${language}: ${text}`);
          }
        }
      }
    }
    expect(unread).toEqual([]);
  });

  it('refuses a month abbreviation two months share, and dates without a year', () => {
    expect(parseFeedDate('14 jui 2026')).toBeUndefined();
    expect(parseFeedDate('lun., 02 févr.')).toBeUndefined();
    expect(parseFeedDate('mar., 03 févr. 2026 10:00:00 +0100')).toBe(Date.UTC(2026, 1, 3, 9));
    expect(parseFeedDate('Mar 3, 2026')).toBe(Date.UTC(2026, 2, 3));
  });

  it('takes prose with a year in it for no date', () => {
    for (const prose of ['Published in 2026 by the editors', 'the 2026 review: 3 of 5', 'sometime in October 2026', 'Issue 2026']) expect(parseFeedDate(prose), prose).toBeUndefined();
  });
});

describe('normaliseEntry', () => {
  const now = new Date('2026-11-01T09:00:00Z');
  const options = { base: undefined, feedName: 'f', publisher: 'p', now };

  it('writes dates as toISOString does and clamps future ones to the clock plus a small skew', () => {
    expect(normaliseEntry({ title: 't', link: 'https://x.example/a', date: 'Fri, 30 Oct 2026 10:00:00 +0200' }, options)).toMatchObject({ item: { publishedAt: '2026-10-30T08:00:00.000Z' }, undated: false });
    expect(normaliseEntry({ title: 't', link: 'https://x.example/a', date: '2027-01-01T00:00:00.000Z' }, options)).toMatchObject({ item: { publishedAt: '2026-11-01T09:10:00.000Z' } });
  });

  it('keeps an entry with a link or an id, completing its date and title', () => {
    const home = { ...options, home: 'https://notes.example/' };
    expect(normaliseEntry({ link: 'https://x.example/notes/how-often-to-claim', summary: '<p>Readers asked how often. Then more.</p>' }, home)).toMatchObject({
      item: { title: 'Readers asked how often.', publishedAt: '2026-11-01T09:00:00.000Z' },
      undated: true,
      untitled: true,
    });
    expect(normaliseEntry({ link: 'https://x.example/notes/how-often-to-claim', date: '2026-10-30' }, home)).toMatchObject({ item: { title: 'How often to claim' }, untitled: true });
    expect(normaliseEntry({ title: 'No link', id: 'notes-2026-0918' }, home)).toMatchObject({ item: { url: 'https://notes.example/#notes-2026-0918' } });
    expect(normaliseEntry({ title: 'No link', id: 'notes-2026-0918' }, options)).toMatch(/no home page/);
    expect(normaliseEntry({ title: 'Nothing to point at' }, home)).toBe('it has neither a link nor an id');
    expect(normaliseEntry({ title: 'Bad link', link: 'javascript:alert(1)' }, home)).toMatch(/is not an http\(s\) URL/);
  });

  it('identifies an item by the SHA-256 of its canonical URL', () => {
    const { item } = normaliseEntry({ title: 't', link: 'https://x.example/a?utm_source=rss', date: '2026-10-30' }, options) as ReadItem;
    expect(item.id).toBe(createHash('sha256').update('https://x.example/a').digest('hex').slice(0, 16));
  });
});

describe('deduplicateItems', () => {
  const item = (id: string, feed: string, title: string, day = 1): FeedItem => ({
    id, url: `https://x.example/${id}`, title, summary: '', feed, publisher: feed, publishedAt: `2026-10-${String(day).padStart(2, '0')}T00:00:00.000Z`,
  });
  const long = (words: number, changed: number) =>
    Array.from({ length: words }, (_unused, index) => (index === changed ? 'Changed' : `Word${String.fromCharCode(97 + (index % 26))}${String.fromCharCode(97 + Math.floor(index / 26))}`)).join(' ');

  it('finds one word replaced in a long title, wherever it is', () => {
    for (const changed of [0, 150, 299]) {
      expect(deduplicateItems([item('copy', 'B', long(300, changed), 2), item('first', 'A', long(300, -1), 1)]).map((kept) => kept.id)).toEqual(['first']);
    }
  });

  it('tells apart different keys stored under one sum, and finds copies of each', () => {
    // Keys are kept under 30-bit sums of word values: with the values as they are, among the
    // keys of these 20,000 different six-word titles, from five feeds, ten pairs share a sum.
    // Every title is its own story; each copy (a day later, in another feed) has one word replaced or one added, so
    // between them the copies find every key of every title.
    const letters = (index: number): string => (index < 26 ? '' : letters(Math.floor(index / 26) - 1)) + String.fromCharCode(97 + (index % 26));
    const titles = Array.from({ length: 20_000 }, (_unused, index) => ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'].map((word) => `${word}${letters(index)}`));
    const originals = titles.map((words, index) => item(`o${index}`, `A${index % 5}`, words.join(' '), 1));
    expect(deduplicateItems(originals)).toHaveLength(titles.length);
    const copies = titles.flatMap((words, index) => [
      ...words.map((_word, replaced) => item(`r${replaced}-${index}`, 'B', words.with(replaced, 'golf').join(' '), 2)),
      item(`a-${index}`, 'B', [...words, 'golf'].join(' '), 2),
    ]);
    const kept = deduplicateItems([...copies, ...originals]).map((entry) => entry.id);
    expect(kept.sort()).toEqual(originals.map((entry) => entry.id).sort());
  });

  it('folds case and accents, ignores stop words and tags, and keeps titles that differ in a number', () => {
    expect(deduplicateItems([item('a', 'A', 'Zürich validators queue for exits after slashing', 1), item('b', 'B', 'BREAKING: ZURICH Validators Queue For Exits After Slashing', 2)])).toHaveLength(1);
    expect(deduplicateItems([item('a', 'A', 'Staking roundup: week 10, story 1 of the series'), item('b', 'B', 'Staking roundup: week 1, story 10 of the series')])).toHaveLength(2);
  });
});
