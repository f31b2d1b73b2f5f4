import type { FeedItem } from '../schema/feed-item.ts';
import { STOP_WORDS } from '../lib/stop-words.ts';

/**
 * One story, one item: the same canonical URL, or a near-identical title in another feed
 * (syndicated copies, "Update:" prefixes, one word changed), keeps only the earliest copy.
 * Within one feed similar titles are a series ("Weekly yields #41", "#42"), not copies.
 *
 * Near-identical titles are found without comparing every pair: a title's keys are its set of
 * content words, whole and with each word left out in turn, all in one Map — so two titles that
 * differ by one word share a key: replaced (both left out), added (the longer title's key without
 * it is the shorter one's whole set) or removed. Only titles of five or more content words have
 * left-out keys (leaving a word out of three would merge different stories), so an added or
 * removed word merges titles of four and five words and up. Numbers are never left out, and every
 * key carries the title's numbers in order: titles that differ in a number are different stories.
 */
export function deduplicateItems(items: readonly FeedItem[]): FeedItem[] {
  const sorted = [...items].sort((a, b) => compare(a.publishedAt, b.publishedAt) || compare(a.url, b.url));
  const urls = new Set<string>();
  /** The feed that first used each title key. */
  const firstFeed = new Map<string, string>();
  const kept: FeedItem[] = [];
  for (const item of sorted) {
    // One look-up per key: whether another feed used it first, and which keys are new.
    const fresh: string[] = [];
    let copied = false;
    for (const key of titleKeys(item.title)) {
      const feed = firstFeed.get(key);
      if (feed === undefined) fresh.push(key);
      else if (feed !== item.feed) copied = true;
    }
    // A story we have under another title: later copies under this title are the same story.
    const sameUrl = urls.has(item.url);
    if (copied && !sameUrl) continue;
    for (const key of fresh) firstFeed.set(key, item.feed);
    if (sameUrl) continue;
    urls.add(item.url);
    kept.push(item);
  }
  return kept;
}

/** Words that say nothing about which story a title is. */
const IGNORED_WORDS: ReadonlySet<string> = new Set([...STOP_WORDS, 'update', 'updated', 'breaking', 'exclusive', 'analysis']);

/**
 * The title's keys (see deduplicateItems): its word set whole, then with each non-numeric word
 * left out. The set is written once, each word followed by a space, and a left-out key is that
 * text with one word cut out: a title of ten words has eleven keys, and building each from a new
 * array of words cost more than all the rest of de-duplication.
 */
function titleKeys(title: string): string[] {
  const words = [...new Set(contentWords(title))];
  const numbers = words.filter(hasDigit).join(' ');
  words.sort();
  const set = `${words.join(' ')} `;
  const keys = [`${set}#${numbers}`];
  if (words.length < 5) return keys;
  let start = 0;
  for (const word of words) {
    const end = start + word.length + 1;
    if (!hasDigit(word)) keys.push(`${set.slice(0, start)}${set.slice(end)}#${numbers}`);
    start = end;
  }
  return keys;
}

/** A title's content words, lower-case and accent-folded ("Zürich" → "zurich"), in order. */
function contentWords(title: string): string[] {
  const folded = title.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return folded.split(/[^\p{L}\p{N}]+/u).filter((word) => word && !IGNORED_WORDS.has(word));
}

function hasDigit(word: string): boolean {
  return /\d/.test(word);
}

/** Plain code-unit order: ISO dates and URLs sort correctly, and it is cheaper than localeCompare. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
