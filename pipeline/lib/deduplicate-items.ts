import type { FeedItem } from '../schema/feed-item.ts';
import { STOP_WORDS } from './stop-words.ts';

/**
 * One story, one item: the same canonical URL, or a near-identical title in another feed
 * (syndicated copies, "Update:" prefixes, one word changed), keeps only the earliest copy.
 * Within one feed similar titles are a series ("Weekly yields #41", "#42"), not copies.
 *
 * Near-identical titles are found without comparing every pair: a title's keys are its set of
 * content words, whole and with each word left out in turn, all in one key space — so two titles
 * that differ by one word share a key: replaced (both left out), added (the longer title's key
 * without it is the shorter one's whole set) or removed. Only titles of five or more content words
 * have left-out keys (leaving a word out of three would merge different stories), so an added or
 * removed word merges titles of four and five words and up. Numbers are never left out: titles
 * that differ in a number are different stories. Linear in the number of items.
 */
export function deduplicateItems(items: readonly FeedItem[]): FeedItem[] {
  // Plain code-unit comparison: ISO dates and URLs sort correctly, and it is much cheaper than
  // localeCompare over tens of thousands of items.
  const sorted = [...items].sort((a, b) => compare(a.publishedAt, b.publishedAt) || compare(a.url, b.url));
  const byUrl = new Set<string>();
  // Which feed first used each title key. Keys and feeds are numbered instead of kept as strings:
  // ingest de-duplicates tens of thousands of items, ~7 keys each.
  const titleKeys = new TitleKeyTable(sorted.length * 8);
  const feedIds = new Map<string, number>();
  const numbersIds = new Map<string, number>();
  const title: TitleHash = { words: 0, numbers: '', low: 0, high: 0, lows: [], highs: [] };
  const kept: FeedItem[] = [];
  for (const item of sorted) {
    let feed = feedIds.get(item.feed);
    if (feed === undefined) feedIds.set(item.feed, (feed = feedIds.size + 1));
    hashTitle(item.title, title);
    let numbers = numbersIds.get(title.numbers);
    if (numbers === undefined) numbersIds.set(title.numbers, (numbers = numbersIds.size));
    if (byUrl.has(item.url)) {
      // Another title for a story we have: later copies under this title are the same story.
      rememberKeys(title, numbers, titleKeys, feed);
      continue;
    }
    if (copiesAnotherFeed(title, numbers, titleKeys, feed)) continue;
    byUrl.add(item.url);
    rememberKeys(title, numbers, titleKeys, feed);
    kept.push(item);
  }
  return kept;
}

/**
 * A title's word-set hash (two 32-bit halves), the hashes of its non-numeric words (each one
 * XORed out gives a left-out key), its word count and its numbers in order. A set's hash is the
 * XOR of its words' 64-bit hashes, so leaving a word out is one XOR, not a new key to build.
 */
interface TitleHash {
  words: number;
  numbers: string;
  low: number;
  high: number;
  lows: number[];
  highs: number[];
}

/** Short titles must match exactly: leaving a word out of three would merge different stories. */
function hasLeftOutKeys(title: TitleHash): boolean {
  return title.words >= 5;
}

/** Whether one of the title's keys was first seen in a feed other than `feed`. */
function copiesAnotherFeed(title: TitleHash, numbers: number, table: TitleKeyTable, feed: number): boolean {
  const first = table.get(title.low, title.high, numbers);
  if (first !== 0 && first !== feed) return true;
  if (!hasLeftOutKeys(title)) return false;
  for (let index = 0; index < title.lows.length; index++) {
    const other = table.get(title.low ^ title.lows[index]!, title.high ^ title.highs[index]!, numbers);
    if (other !== 0 && other !== feed) return true;
  }
  return false;
}

/** Records `feed` for each of the title's keys not seen before. */
function rememberKeys(title: TitleHash, numbers: number, table: TitleKeyTable, feed: number): void {
  table.setIfAbsent(title.low, title.high, numbers, feed);
  if (!hasLeftOutKeys(title)) return;
  for (let index = 0; index < title.lows.length; index++) {
    table.setIfAbsent(title.low ^ title.lows[index]!, title.high ^ title.highs[index]!, numbers, feed);
  }
}

/**
 * An open-addressing hash table from a title key — (low, high, tag) where the tag numbers the
 * title's numbers — to a feed id (≥ 1; 0 means absent). Keys are compared exactly: all 64 bits of
 * the hash, and the tag.
 */
class TitleKeyTable {
  #mask: number;
  #size = 0;
  #lows: Int32Array;
  #highs: Int32Array;
  #tags: Int32Array;
  #values: Int32Array;

  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.#mask = capacity - 1;
    this.#lows = new Int32Array(capacity);
    this.#highs = new Int32Array(capacity);
    this.#tags = new Int32Array(capacity);
    this.#values = new Int32Array(capacity);
  }

  get(low: number, high: number, tag: number): number {
    const slot = this.#find(low | 0, high | 0, tag);
    return this.#values[slot]!;
  }

  setIfAbsent(low: number, high: number, tag: number, value: number): void {
    const slot = this.#find(low | 0, high | 0, tag);
    if (this.#values[slot] !== 0) return;
    this.#lows[slot] = low;
    this.#highs[slot] = high;
    this.#tags[slot] = tag;
    this.#values[slot] = value;
    if (++this.#size * 2 > this.#mask) this.#grow();
  }

  /** The slot holding the key, or the empty slot where it would go (linear probing). */
  #find(low: number, high: number, tag: number): number {
    let slot = (low ^ Math.imul(high, 0x9e3779b1) ^ Math.imul(tag, 0x85ebca6b)) & this.#mask;
    while (this.#values[slot] !== 0) {
      if (this.#lows[slot] === low && this.#highs[slot] === high && this.#tags[slot] === tag) return slot;
      slot = (slot + 1) & this.#mask;
    }
    return slot;
  }

  #grow(): void {
    const lows = this.#lows;
    const highs = this.#highs;
    const tags = this.#tags;
    const values = this.#values;
    const capacity = values.length * 2;
    this.#mask = capacity - 1;
    this.#lows = new Int32Array(capacity);
    this.#highs = new Int32Array(capacity);
    this.#tags = new Int32Array(capacity);
    this.#values = new Int32Array(capacity);
    for (let slot = 0; slot < values.length; slot++) {
      if (values[slot] === 0) continue;
      const target = this.#find(lows[slot]!, highs[slot]!, tags[slot]!);
      this.#lows[target] = lows[slot]!;
      this.#highs[target] = highs[slot]!;
      this.#tags[target] = tags[slot]!;
      this.#values[target] = values[slot]!;
    }
  }
}

/** Fills `into` with the title's hashes (see TitleHash). */
function hashTitle(title: string, into: TitleHash): void {
  const words = contentWords(title);
  // Numbers keep their order ("story 10, week 1" is not "story 1, week 10").
  let numbers = '';
  let low = 0;
  let high = 0;
  into.lows.length = 0;
  into.highs.length = 0;
  for (const word of words) {
    const numeric = hasDigit(word);
    if (numeric) numbers = numbers ? `${numbers},${word}` : word;
    let a = 0x811c9dc5;
    let b = 0x01000193 ^ word.length;
    for (let index = 0; index < word.length; index++) {
      const code = word.charCodeAt(index);
      a = Math.imul(a ^ code, 0x01000193);
      b = Math.imul(b ^ code, 0x5bd1e995) ^ (b >>> 15);
    }
    low ^= a;
    high ^= b;
    // Numbers are never left out: titles that differ in a number are different stories.
    if (!numeric) {
      into.lows.push(a);
      into.highs.push(b);
    }
  }
  into.words = words.length;
  into.numbers = numbers;
  into.low = low;
  into.high = high;
}

/** Words that say nothing about which story a title is. */
const IGNORED_WORDS: ReadonlySet<string> = new Set([...STOP_WORDS, 'update', 'updated', 'breaking', 'exclusive', 'analysis']);

/** A title's distinct content words, lower-case and accent-folded, in order of first appearance. */
function contentWords(title: string): string[] {
  const folded = asciiFold(title.toLowerCase());
  // In ASCII text the letters and digits are exactly [a-z0-9] (after lower-casing): the plain
  // split is the Unicode one, several times cheaper.
  const tokens = /[^\u0000-\u007f]/.test(folded) ? folded.split(/[^\p{L}\p{N}]+/u) : folded.split(/[^a-z0-9]+/);
  const words: string[] = [];
  for (const token of tokens) {
    if (token && !IGNORED_WORDS.has(token) && !words.includes(token)) words.push(token);
  }
  return words;
}

function hasDigit(word: string): boolean {
  for (let index = 0; index < word.length; index++) {
    const code = word.charCodeAt(index);
    if (code >= 0x30 && code <= 0x39) return true;
  }
  return false;
}

/** "Zürich" → "zurich"; ASCII titles (most of them) skip the Unicode normalisation. */
function asciiFold(text: string): string {
  return /[^\u0000-\u007f]/.test(text) ? text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '') : text;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
