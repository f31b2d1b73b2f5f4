import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../../pipeline/ingest/canonical-url.ts';
import { deduplicateItems } from '../../../pipeline/ingest/deduplicate-items.ts';
import { toPlainText } from '../../../pipeline/ingest/plain-text.ts';

describe('canonicalUrl', () => {
  const trackingKey = fc.constantFrom('utm_source', 'utm_medium', 'utm_campaign', 'fbclid', 'gclid');

  it('is idempotent and drops fragments, credentials and tracking parameters', () => {
    fc.assert(
      fc.property(fc.webUrl({ withFragments: true, withQueryParameters: true }), trackingKey, fc.string({ maxLength: 10 }), (url, key, value) => {
        const withTracking = `${url.split('#')[0]}${url.includes('?') ? '&' : '?'}${key}=${encodeURIComponent(value)}`;
        const canonical = canonicalUrl(withTracking);
        if (canonical === undefined) return;
        expect(canonicalUrl(canonical)).toBe(canonical);
        const parsed = new URL(canonical);
        expect(parsed.hash).toBe('');
        expect(parsed.username).toBe('');
        expect(parsed.searchParams.has(key)).toBe(false);
        expect(parsed.hostname).toBe(parsed.hostname.toLowerCase());
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the same URL whatever the parameter order', () => {
    expect(canonicalUrl('https://A.example/x?b=2&a=1#top')).toBe(canonicalUrl('https://a.example/x?a=1&b=2&utm_source=rss'));
  });

  it('refuses anything that is not http(s)', () => {
    fc.assert(
      fc.property(fc.constantFrom('javascript:', 'data:', 'file:', 'ftp:', 'mailto:'), fc.string({ maxLength: 30 }), (scheme, rest) => {
        expect(canonicalUrl(`${scheme}${rest}`)).toBeUndefined();
      }),
    );
  });
});

describe('toPlainText', () => {
  it('never leaves a tag behind, whatever the markup', () => {
    const tag = fc.constantFrom('<script>alert(1)</script>', '<b>', '</p>', '<img src=x onerror=alert(1)>', '<a href="javascript:x">', '<!-- c -->', '<style>p{}</style>');
    fc.assert(
      fc.property(fc.array(fc.oneof(tag, fc.string({ maxLength: 20 }).map((text) => text.replace(/[<>]/g, ''))), { maxLength: 20 }), (parts) => {
        const text = toPlainText(parts.join(''));
        expect(text).not.toMatch(/<\/?(script|b|p|img|a|style)\b/i);
        expect(text).not.toContain('alert(1)</');
      }),
    );
  });

  it('leaves the words of plain text as they were, one space between them, whatever whitespace separated them', () => {
    const space = fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u3000', '\ufeff', ' \t ');
    const word = fc.constantFrom('staking', 'Zürich', '41', 'a', '—');
    fc.assert(
      fc.property(fc.array(fc.oneof(space, word), { maxLength: 30 }), (parts) => {
        const words = parts.join('').split(/\s+/).filter(Boolean);
        expect(toPlainText(parts.join(''))).toBe(words.join(' '));
      }),
    );
  });
});

describe('deduplicateItems', () => {
  const word = fc.constantFrom('staking', 'restaking', 'lending', 'rates', 'caps', 'vault', 'exit', 'queue', 'blob', 'fees', 'rollup', 'treasury', '2026', '41', 'Zürich');
  const itemArb = fc.record({
    feed: fc.constantFrom('A', 'B', 'C'),
    path: fc.integer({ min: 0, max: 30 }),
    title: fc.array(word, { minLength: 2, maxLength: 9 }).map((words) => words.join(' ')),
    day: fc.integer({ min: 1, max: 28 }),
  });

  it('keeps a subset with unique URLs and is idempotent', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 40 }), (raw) => {
        const items = raw.map((entry, index) => ({
          id: String(index),
          url: `https://news.example/${entry.path}`,
          title: entry.title,
          summary: '',
          feed: entry.feed,
          publisher: entry.feed,
          publishedAt: `2026-10-${String(entry.day).padStart(2, '0')}T00:00:00.000Z`,
        }));
        const kept = deduplicateItems(items);
        expect(new Set(kept.map((item) => item.url)).size).toBe(kept.length);
        for (const item of kept) expect(items).toContain(item);
        expect(deduplicateItems(kept)).toEqual(kept);
        // The earliest item is always kept: nothing came before it to be a copy of.
        if (items.length > 0) expect(kept.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
