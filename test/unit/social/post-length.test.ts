import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fits, postLength } from '../../../pipeline/social/post-length.ts';

describe('postLength counts the way each network counts', () => {
  const longUrl = `https://yieldfieldnotes.example/articles/${'x'.repeat(120)}/?utm_source=x`;

  it('X: any link is 23, CJK and emoji weigh 2, combining accents are normalised', () => {
    expect(postLength('x', `Read ${longUrl}`)).toBe(5 + 23);
    expect(postLength('x', '利率')).toBe(4);
    expect(postLength('x', '👩🏽‍💻')).toBe(2);
    expect(postLength('x', 'cafe\u0301')).toBe(4);
    expect(postLength('x', '“quoted” — dash')).toBe(15);
  });

  it('Bluesky: graphemes, links in full', () => {
    expect(postLength('bluesky', '👩🏽‍💻🇫🇷e\u0301')).toBe(3);
    expect(postLength('bluesky', `a ${longUrl}`)).toBe(2 + longUrl.length);
  });

  it('Mastodon: links are 23, the rest code points', () => {
    expect(postLength('mastodon', `a ${longUrl}`)).toBe(2 + 23);
    expect(postLength('mastodon', '😀')).toBe(1);
  });

  it('LinkedIn: UTF-16 code units, links in full', () => {
    expect(postLength('linkedin', '😀')).toBe(2);
    expect(postLength('linkedin', longUrl)).toBe(longUrl.length);
  });

  it('limits sit exactly at 280 / 300 / 500 / 3,000', () => {
    expect(fits('x', 'a'.repeat(280))).toBe(true);
    expect(fits('x', 'a'.repeat(281))).toBe(false);
    expect(fits('x', '利'.repeat(140))).toBe(true);
    expect(fits('x', '利'.repeat(141))).toBe(false);
    expect(fits('bluesky', '👍🏽'.repeat(300))).toBe(true);
    expect(fits('bluesky', '👍🏽'.repeat(301))).toBe(false);
    expect(fits('mastodon', 'a'.repeat(500))).toBe(true);
    expect(fits('mastodon', 'a'.repeat(501))).toBe(false);
    expect(fits('linkedin', 'a'.repeat(3000))).toBe(true);
    expect(fits('linkedin', 'a'.repeat(3001))).toBe(false);
  });

  it('Bluesky: the 3,000-byte record cap applies too', () => {
    // 300 graphemes of a 4-code-point family emoji is far over 3,000 bytes.
    expect(fits('bluesky', '👨‍👩‍👧‍👦'.repeat(300))).toBe(false);
  });

  it('X never counts fewer than Mastodon-style code points for non-link text without emoji', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (text) => {
        const clean = text.replace(/https?:\/\/\S*/g, '');
        expect(postLength('x', clean)).toBeGreaterThanOrEqual(postLength('bluesky', clean));
      }),
      { numRuns: 500 },
    );
  });
});
