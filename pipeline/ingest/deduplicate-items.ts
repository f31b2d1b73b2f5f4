import type { FeedItem } from '../schema/feed-item.ts';
import { STOP_WORDS } from '../lib/stop-words.ts';

/**
 * One story, one item: the same canonical URL, or a near-identical title in another feed
 * (syndicated copies, "Update:" prefixes, one word changed), keeps only the earliest copy.
 * Within one feed similar titles are a series ("Weekly yields #41", "#42"), not copies.
 *
 * Near-identical titles are found without comparing every pair: a title's keys are its set of
 * content words, whole and with each word left out in turn — so two titles that differ by one
 * word share a key: replaced (both left out), added (the longer title's key without it is the
 * shorter one's whole set) or removed. Only titles of five or more content words have left-out
 * keys (leaving a word out of three would merge different stories), so an added or removed word
 * merges titles of four and five words and up. Numbers are never left out, and every key carries
 * the title's numbers in order: titles that differ in a number are different stories.
 */
export function deduplicateItems(items: readonly FeedItem[]): FeedItem[] {
  const sorted = [...items].sort((a, b) => compare(a.publishedAt, b.publishedAt) || compare(a.url, b.url));
  const urls = new Set<string>();
  const keys = new TitleKeys();
  const kept: FeedItem[] = [];
  for (const item of sorted) {
    const title = keys.read(item.title);
    // One look-up per key: whether another feed used it first, and which keys are new.
    const fresh: number[] = [];
    let copied = false;
    for (let key = 0; key < title.sums.length; key++) {
      const feed = keys.firstFeed(title, key);
      if (feed === undefined) fresh.push(title.sums[key]!);
      else if (feed !== item.feed) copied = true;
    }
    // A story we have under another title: later copies under this title are the same story.
    const sameUrl = urls.has(item.url);
    if (copied && !sameUrl) continue;
    for (const sum of fresh) keys.add(sum, item);
    if (sameUrl) continue;
    urls.add(item.url);
    kept.push(item);
  }
  return kept;
}

/** A title's keys, as de-duplication reads them. */
interface TitleKeySet {
  /** Its content words, each once, lower-case and accent-folded. */
  words: string[];
  /** Its numbers, in order. */
  numbers: string;
  /** Each key's sum (see TitleKeys): the whole set first, then each left-out key. */
  sums: number[];
  /** Each key's left-out word, by its index in `words` (-1 for the whole set), in the order of `sums`. */
  leftOuts: number[];
}

/** Sums are kept to 30 bits: small integers, which a Map stores and hashes without allocating. */
const MASK = 0x3fffffff;

/**
 * The keys in use, stored under numbers rather than as written-out word sets: every distinct word
 * gets a random 30-bit value, and a key is the sum of its words' values and its numbers' value
 * (a set has no order, so nothing is sorted); a left-out key is the whole sum less one word's
 * value. Building, hashing and keeping ~80,000 key strings for 10,000 titles was most of
 * de-duplication's time.
 *
 * A sum points at the first item whose title used a key with it. Different keys can share a sum,
 * so a sum found is confirmed against the words of that item's key (`sameKey`), its title read
 * again — rare, since most sums are found only for copies — and a different key with the same sum
 * is kept in `moreBySum`: the result is exact.
 */
class TitleKeys {
  private readonly values = new Map<string, number>();
  private readonly bySum = new Map<number, FeedItem>();
  private readonly moreBySum = new Map<number, FeedItem[]>();
  /** xorshift32 state: word values are pseudo-random, and the same on every run. */
  private seed = 0x9e3779b9;

  read(title: string): TitleKeySet {
    const words = contentWords(title);
    const numbers = words.filter(hasDigit).join(' ');
    // "#" never occurs in a word: the numbers' value is apart from every word's.
    let whole = this.valueOf(`#${numbers}`);
    for (const word of words) whole = (whole + this.valueOf(word)) & MASK;
    const sums = [whole];
    const leftOuts = [-1];
    if (words.length >= 5) {
      for (let index = 0; index < words.length; index++) {
        if (hasDigit(words[index]!)) continue;
        sums.push((whole - this.valueOf(words[index]!)) & MASK);
        leftOuts.push(index);
      }
    }
    return { words, numbers, sums, leftOuts };
  }

  /** The feed of the first item to use the title's key number `key`, if any did. */
  firstFeed(title: TitleKeySet, key: number): string | undefined {
    const sum = title.sums[key]!;
    const first = this.bySum.get(sum);
    if (first === undefined) return undefined;
    for (const user of [first, ...(this.moreBySum.get(sum) ?? [])]) {
      const theirs = this.read(user.title);
      const same = theirs.sums.some((its, their) => its === sum && sameKey(theirs, their, title, key));
      if (same) return user.feed;
    }
    return undefined;
  }

  /** Records a key of the item's title that `firstFeed` did not find. */
  add(sum: number, item: FeedItem): void {
    if (!this.bySum.has(sum)) this.bySum.set(sum, item);
    else this.moreBySum.set(sum, [...(this.moreBySum.get(sum) ?? []), item]);
  }

  private valueOf(word: string): number {
    let value = this.values.get(word);
    if (value === undefined) {
      this.seed ^= this.seed << 13;
      this.seed ^= this.seed >>> 17;
      this.seed ^= this.seed << 5;
      value = this.seed & MASK;
      this.values.set(word, value);
    }
    return value;
  }
}

/** Whether key `keyA` of title a and key `keyB` of title b hold the same words and numbers. */
function sameKey(a: TitleKeySet, keyA: number, b: TitleKeySet, keyB: number): boolean {
  if (a.numbers !== b.numbers) return false;
  const leftOutA = a.leftOuts[keyA]!;
  const leftOutB = b.leftOuts[keyB]!;
  if (a.words.length - (leftOutA < 0 ? 0 : 1) !== b.words.length - (leftOutB < 0 ? 0 : 1)) return false;
  // Words are unique within a title: the same count and every word found is the same set.
  return a.words.every((word, index) => {
    if (index === leftOutA) return true;
    const at = b.words.indexOf(word);
    return at >= 0 && at !== leftOutB;
  });
}

/** Words that say nothing about which story a title is. */
const IGNORED_WORDS: ReadonlySet<string> = new Set([...STOP_WORDS, 'update', 'updated', 'breaking', 'exclusive', 'analysis']);

/** A title's content words, each once, lower-case and accent-folded ("Zürich" → "zurich"), in order. */
function contentWords(title: string): string[] {
  const folded = title.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const words: string[] = [];
  for (const word of folded.split(/[^\p{L}\p{N}]+/u)) {
    if (word && !IGNORED_WORDS.has(word) && !words.includes(word)) words.push(word);
  }
  return words;
}

function hasDigit(word: string): boolean {
  return /\d/.test(word);
}

/** Plain code-unit order: ISO dates and URLs sort correctly, and it is cheaper than localeCompare. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
