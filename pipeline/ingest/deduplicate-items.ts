import type { FeedItem } from '../schema/feed-item.ts';
import { STOP_WORDS } from '../lib/stop-words.ts';

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
 * that differ in a number are different stories. Linear in the number of items. Keys are compared
 * as 64-bit hashes: two different keys are taken for one with a chance of about 1 in 10^19.
 */
export function deduplicateItems(items: readonly FeedItem[]): FeedItem[] {
  // Plain code-unit comparison: ISO dates and URLs sort correctly, and it is much cheaper than
  // localeCompare over tens of thousands of items.
  const sorted = [...items].sort((a, b) => compare(a.publishedAt, b.publishedAt) || compare(a.url, b.url));
  const byUrl = new Set<string>();
  // Which feed first used each title key. Keys are hashes and feeds are numbered, not strings:
  // ingest de-duplicates tens of thousands of items, ~8 keys each.
  const titleKeys = new TitleKeyTable(sorted.length * 8);
  const feedIds = new Map<string, number>();
  const title: TitleHash = { words: 0, numbers: 0, low: 0, high: 0, lows: [], highs: [], numberLows: [], numberHighs: [] };
  const kept: FeedItem[] = [];
  for (const item of sorted) {
    let feed = feedIds.get(item.feed);
    if (feed === undefined) feedIds.set(item.feed, (feed = feedIds.size + 1));
    hashTitle(item.title, title);
    if (byUrl.has(item.url)) {
      // Another title for a story we have: later copies under this title are the same story.
      rememberKeys(title, titleKeys, feed);
      continue;
    }
    if (copiesAnotherFeed(title, titleKeys, feed)) continue;
    byUrl.add(item.url);
    rememberKeys(title, titleKeys, feed);
    kept.push(item);
  }
  return kept;
}

/**
 * What de-duplication needs of a title. A set of words is keyed by the XOR of the words' 64-bit
 * hashes (two 32-bit halves), so leaving a word out is one XOR, not a new key to build.
 */
interface TitleHash {
  /** Its distinct content words. */
  words: number;
  /** Its numbers in order, as one 32-bit hash: the tag of every key of the title. */
  numbers: number;
  /** The hash of its word set. */
  low: number;
  high: number;
  /** The hashes of its non-numeric words: each one XORed out of the set gives a left-out key. */
  lows: number[];
  highs: number[];
  /** The hashes of its numeric words (so that each counts once). */
  numberLows: number[];
  numberHighs: number[];
}

/** Short titles must match exactly: leaving a word out of three would merge different stories. */
function hasLeftOutKeys(title: TitleHash): boolean {
  return title.words >= 5;
}

/** Whether one of the title's keys was first seen in a feed other than `feed`. */
function copiesAnotherFeed(title: TitleHash, table: TitleKeyTable, feed: number): boolean {
  const first = table.get(title.low, title.high, title.numbers);
  if (first !== 0 && first !== feed) return true;
  if (!hasLeftOutKeys(title)) return false;
  for (let index = 0; index < title.lows.length; index++) {
    const other = table.get(title.low ^ title.lows[index]!, title.high ^ title.highs[index]!, title.numbers);
    if (other !== 0 && other !== feed) return true;
  }
  return false;
}

/** Records `feed` for each of the title's keys not seen before. */
function rememberKeys(title: TitleHash, table: TitleKeyTable, feed: number): void {
  table.setIfAbsent(title.low, title.high, title.numbers, feed);
  if (!hasLeftOutKeys(title)) return;
  for (let index = 0; index < title.lows.length; index++) {
    table.setIfAbsent(title.low ^ title.lows[index]!, title.high ^ title.highs[index]!, title.numbers, feed);
  }
}

/**
 * An open-addressing hash table from a title key — the word-set hash (low, high) and the hash of
 * the title's numbers (tag) — to a feed id (≥ 1; 0 means absent). The tag is folded into the
 * 64 bits of the word-set hash, and a slot is three neighbouring numbers of one array (the two
 * halves and the feed), filled up to three quarters: a run of 10,000 items has ~80,000 keys, and
 * a table that small (~1.5 MB) is read from the processor's cache rather than from memory.
 */
class TitleKeyTable {
  #capacity: number;
  #size = 0;
  #slots: Int32Array;

  constructor(expected: number) {
    let capacity = 16;
    while (capacity * 3 < expected * 4) capacity *= 2;
    this.#capacity = capacity;
    this.#slots = new Int32Array(capacity * 3);
  }

  get(low: number, high: number, tag: number): number {
    return this.#slots[this.#find(foldLow(low, tag), foldHigh(high, tag)) + 2]!;
  }

  setIfAbsent(low: number, high: number, tag: number, value: number): void {
    const foldedLow = foldLow(low, tag);
    const foldedHigh = foldHigh(high, tag);
    const at = this.#find(foldedLow, foldedHigh);
    const slots = this.#slots;
    if (slots[at + 2] !== 0) return;
    slots[at] = foldedLow;
    slots[at + 1] = foldedHigh;
    slots[at + 2] = value;
    if (++this.#size * 4 > this.#capacity * 3) this.#grow();
  }

  /** Where the key's slot starts, or where the empty slot it would take starts (linear probing). */
  #find(low: number, high: number): number {
    const slots = this.#slots;
    const mask = this.#capacity - 1;
    let slot = (low ^ Math.imul(high, 0x9e3779b1)) & mask;
    for (;;) {
      const at = slot * 3;
      if (slots[at + 2] === 0 || (slots[at] === low && slots[at + 1] === high)) return at;
      slot = (slot + 1) & mask;
    }
  }

  #grow(): void {
    const old = this.#slots;
    this.#capacity *= 2;
    this.#slots = new Int32Array(this.#capacity * 3);
    for (let at = 0; at < old.length; at += 3) {
      if (old[at + 2] !== 0) this.#slots.set(old.subarray(at, at + 3), this.#find(old[at]!, old[at + 1]!));
    }
  }
}

/** A key's two halves with its tag folded in: 64 bits that differ when any of the three differs (up to hash collisions). */
function foldLow(low: number, tag: number): number {
  return (low ^ Math.imul(tag, 0x85ebca6b)) | 0;
}

function foldHigh(high: number, tag: number): number {
  return (high ^ Math.imul(tag ^ (tag >>> 15), 0xc2b2ae35)) | 0;
}

/** Fills `into` with the title's hashes (see TitleHash). */
function hashTitle(title: string, into: TitleHash): void {
  if (hashAsciiTitle(title, into)) return;
  resetTitleHash(into);
  for (const word of contentWords(title)) {
    const { a, b } = hashWord(word);
    addWord(into, a, b, hasDigit(word));
  }
}

/**
 * hashTitle for a title of ASCII characters — most of them — in one pass over its characters,
 * without a lower-cased copy, an array of words or a string per word. Its words are the runs of
 * letters and digits (what contentWords' split finds in ASCII text); an ignored word is
 * recognised by its hash, then letter by letter. Returns false, `into` in no useful state, as
 * soon as a character is not ASCII.
 */
function hashAsciiTitle(title: string, into: TitleHash): boolean {
  resetTitleHash(into);
  const length = title.length;
  /** Where the word being read started, or -1 between words. */
  let start = -1;
  let numeric = false;
  let a = 0;
  let b = 0;
  // One step past the end, read as a space, ends the last word.
  for (let index = 0; index <= length; index++) {
    const code = index < length ? title.charCodeAt(index) : 0x20;
    if (code >= 0x80) return false;
    if (isAsciiLetterOrDigit(code)) {
      if (start === -1) {
        start = index;
        numeric = false;
        a = HASH_A;
        b = HASH_B;
      }
      if (code <= 0x39) numeric = true;
      // `| 0x20` lower-cases a letter and leaves a digit as it is: the hash of the lower-cased word.
      const lower = code | 0x20;
      a = Math.imul(a ^ lower, 0x01000193);
      b = Math.imul(b ^ lower, 0x5bd1e995) ^ (b >>> 15);
      continue;
    }
    if (start === -1) continue;
    b = finishB(b, index - start);
    if (!isIgnoredWord(a, b, title, start, index)) addWord(into, a, b, numeric);
    start = -1;
  }
  return true;
}

/**
 * A word's 64-bit hash, over its (lower-cased) UTF-16 code units: FNV-1a for the low half, a
 * multiply-shift hash finished with the word's length for the high half. hashAsciiTitle computes
 * the same, a character at a time, as it reads the title.
 */
function hashWord(word: string): { a: number; b: number } {
  let a = HASH_A;
  let b = HASH_B;
  for (let index = 0; index < word.length; index++) {
    const code = word.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995) ^ (b >>> 15);
  }
  return { a, b: finishB(b, word.length) };
}

const HASH_A = 0x811c9dc5;
const HASH_B = 0x01000193;

function finishB(b: number, length: number): number {
  return Math.imul(b ^ length, 0x85ebca6b) ^ (b >>> 13);
}

function resetTitleHash(into: TitleHash): void {
  into.words = 0;
  into.numbers = 0;
  into.low = 0;
  into.high = 0;
  into.lows.length = 0;
  into.highs.length = 0;
  into.numberLows.length = 0;
  into.numberHighs.length = 0;
}

/**
 * Adds a word to the title unless it is there already (a word counts once). A number goes into
 * the word set and, in order, into the numbers hash: it is never left out ("story 10, week 1" is
 * not "story 1, week 10"; titles that differ in a number are different stories).
 */
function addWord(into: TitleHash, a: number, b: number, numeric: boolean): void {
  const lows = numeric ? into.numberLows : into.lows;
  const highs = numeric ? into.numberHighs : into.highs;
  for (let index = 0; index < lows.length; index++) {
    if (lows[index] === a && highs[index] === b) return;
  }
  lows.push(a);
  highs.push(b);
  into.words++;
  into.low ^= a;
  into.high ^= b;
  if (numeric) into.numbers = (Math.imul(into.numbers ^ a, 0x2c1b3c6d) + b) | 0;
}

/** Words that say nothing about which story a title is. */
const IGNORED_WORDS: ReadonlySet<string> = new Set([...STOP_WORDS, 'update', 'updated', 'breaking', 'exclusive', 'analysis']);

/**
 * The ignored words by their hash, for hashAsciiTitle, which has no string to look up: an
 * open-addressing table of the hashes' halves, and the words to compare letter by letter.
 */
const IGNORED_SLOTS = 1024;
const ignoredLows = new Int32Array(IGNORED_SLOTS);
const ignoredHighs = new Int32Array(IGNORED_SLOTS);
const ignoredWords = new Array<string | undefined>(IGNORED_SLOTS).fill(undefined);
for (const word of IGNORED_WORDS) {
  const { a, b } = hashWord(word);
  let slot = a & (IGNORED_SLOTS - 1);
  while (ignoredWords[slot] !== undefined) slot = (slot + 1) & (IGNORED_SLOTS - 1);
  ignoredLows[slot] = a;
  ignoredHighs[slot] = b;
  ignoredWords[slot] = word;
}

/** Whether title[start, end), lower-cased, is an ignored word; (a, b) is its hash. */
function isIgnoredWord(a: number, b: number, title: string, start: number, end: number): boolean {
  for (let slot = a & (IGNORED_SLOTS - 1); ; slot = (slot + 1) & (IGNORED_SLOTS - 1)) {
    const word = ignoredWords[slot];
    if (word === undefined) return false;
    if (ignoredLows[slot] !== a || ignoredHighs[slot] !== b || word.length !== end - start) continue;
    let same = true;
    for (let index = 0; index < word.length && same; index++) same = (title.charCodeAt(start + index) | 0x20) === word.charCodeAt(index);
    if (same) return true;
  }
}

/** A title's content words, lower-case and accent-folded, in order (addWord counts each once). */
function contentWords(title: string): string[] {
  const folded = asciiFold(title.toLowerCase());
  // In ASCII text the letters and digits are exactly [a-z0-9] (after lower-casing): the plain
  // split is the Unicode one, several times cheaper.
  const tokens = /[^\u0000-\u007f]/.test(folded) ? folded.split(/[^\p{L}\p{N}]+/u) : folded.split(/[^a-z0-9]+/);
  const words: string[] = [];
  for (const token of tokens) {
    if (token && !IGNORED_WORDS.has(token)) words.push(token);
  }
  return words;
}

/** A letter or a digit in ASCII: what `[a-z0-9]` matches once the text is lower-cased. */
function isAsciiLetterOrDigit(code: number): boolean {
  const lower = code | 0x20;
  return (lower >= 0x61 && lower <= 0x7a) || (code >= 0x30 && code <= 0x39);
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
