/**
 * Post length the way each network counts it. A post that passes here is accepted there:
 * where a network's exact rule is not public or varies by client, we count the stricter way.
 *
 * - X: twitter-text's weighted length (v3 config): any URL counts 23; code points in the Latin,
 *   general punctuation and similar ranges weigh 1, every other code point (CJK, most symbols)
 *   weighs 2, and an emoji counts 2 however many code points it has. Text is NFC-normalised first.
 * - Bluesky: 300 graphemes (user-perceived characters, Intl.Segmenter), URLs in full — the
 *   post record's text is what is counted. The record's 3,000-byte cap is also checked.
 * - Mastodon: 500 characters, any URL counts 23. Counted in code points, which is never fewer
 *   than the graphemes some versions count.
 * - LinkedIn: 3,000 characters, URLs in full, counted in UTF-16 code units (never fewer than
 *   code points).
 */
export type Network = 'x' | 'bluesky' | 'mastodon' | 'linkedin';

export const POST_LIMITS: Readonly<Record<Network, number>> = { x: 280, bluesky: 300, mastodon: 500, linkedin: 3000 };

const BLUESKY_MAX_BYTES = 3000;
/** What X and Mastodon count for any link, whatever its length. */
const SHORT_URL_LENGTH = 23;
/** Links as the networks find them in text: an http(s) URL up to the next whitespace. */
const URL_PATTERN = /https?:\/\/[^\s]+/g;

/** twitter-text v3: code point ranges that weigh 1 (everything else weighs 2). */
const X_LIGHT_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0, 4351],
  [8192, 8205],
  [8208, 8223],
  [8242, 8247],
];

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

export function postLength(network: Network, text: string): number {
  switch (network) {
    case 'x':
      return xWeightedLength(text);
    case 'bluesky':
      return [...graphemes.segment(text)].length;
    case 'mastodon':
      return [...text.replace(URL_PATTERN, 'x'.repeat(SHORT_URL_LENGTH))].length;
    case 'linkedin':
      return text.length;
  }
}

export function fits(network: Network, text: string): boolean {
  if (network === 'bluesky' && Buffer.byteLength(text, 'utf8') > BLUESKY_MAX_BYTES) return false;
  return postLength(network, text) <= POST_LIMITS[network];
}

function xWeightedLength(text: string): number {
  const normalized = text.normalize('NFC');
  let length = 0;
  let last = 0;
  for (const match of normalized.matchAll(URL_PATTERN)) {
    length += weighText(normalized.slice(last, match.index)) + SHORT_URL_LENGTH;
    last = match.index + match[0].length;
  }
  return length + weighText(normalized.slice(last));
}

function weighText(text: string): number {
  let length = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (EMOJI.test(segment)) {
      length += 2;
      continue;
    }
    for (const character of segment) {
      const code = character.codePointAt(0)!;
      length += X_LIGHT_RANGES.some(([from, to]) => code >= from && code <= to) ? 1 : 2;
    }
  }
  return length;
}
