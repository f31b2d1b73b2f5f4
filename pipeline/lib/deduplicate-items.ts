import type { FeedItem } from '../schema/feed-item.ts';
import { STOP_WORDS } from './stop-words.ts';

/**
 * One story, one item: the same canonical URL, or a near-identical title in another feed
 * (syndicated copies, "Update:" prefixes, one word changed), keeps only the earliest copy.
 * Within one feed similar titles are a series ("Weekly yields #41", "#42"), not copies.
 *
 * Near-identical titles are found without comparing every pair: a title's key set is its sorted
 * content words with each word left out in turn, so two titles that differ by one word
 * (added, removed or replaced) share a key. Numbers are never left out: titles that differ in a
 * number are different stories. Linear in the number of items.
 */
export function deduplicateItems(items: readonly FeedItem[]): FeedItem[] {
  // Plain code-unit comparison: ISO dates and URLs sort correctly, and it is much cheaper than
  // localeCompare over tens of thousands of items.
  const sorted = [...items].sort((a, b) => compare(a.publishedAt, b.publishedAt) || compare(a.url, b.url));
  const byUrl = new Set<string>();
  const titleKeys = new Map<string, string>();
  const kept: FeedItem[] = [];
  for (const item of sorted) {
    const keys = titleKeysOf(item.title);
    if (byUrl.has(item.url)) {
      // Another title for a story we have: later copies under this title are the same story.
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

/**
 * The keys of a title: its whole word set, and the set with each non-numeric word left out.
 * A set is keyed by the XOR of its words' 64-bit hashes (two 32-bit FNV-1a halves), so leaving a
 * word out is one XOR, not a new string: linear in the title's length.
 */
export function titleKeysOf(title: string): string[] {
  const words = [
    ...new Set(
      asciiFold(title.toLowerCase())
        .split(/[^\p{L}\p{N}]+/u)
        .filter((word) => word && !STOP_WORDS.has(word) && !/^(update|updated|breaking|exclusive|analysis)$/.test(word)),
    ),
  ];
  // Numbers keep their order ("story 10, week 1" is not "story 1, week 10").
  const numbers = words.filter((word) => /\d/.test(word)).join(',');
  let low = 0;
  let high = 0;
  const hashes = words.map((word) => {
    const hash = wordHash(word);
    low ^= hash[0];
    high ^= hash[1];
    return hash;
  });
  const key = (a: number, b: number) => `${a.toString(36)}.${b.toString(36)}#${numbers}`;
  const whole = `=${key(low, high)}`;
  // Short titles must match exactly: leaving a word out of three would merge different stories.
  if (words.length < 5) return [whole];
  const keys = [whole];
  words.forEach((word, index) => {
    if (/\d/.test(word)) return;
    const [a, b] = hashes[index]!;
    keys.push(key(low ^ a, high ^ b));
  });
  return keys;
}

function wordHash(word: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ word.length;
  for (let index = 0; index < word.length; index++) {
    const code = word.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995) ^ (b >>> 15);
  }
  return [a >>> 0, b >>> 0];
}

/** "Zürich" → "zurich"; ASCII titles (most of them) skip the Unicode normalisation. */
function asciiFold(text: string): string {
  return /[^\u0000-\u007f]/.test(text) ? text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '') : text;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
