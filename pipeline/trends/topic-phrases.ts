import { STOP_WORDS } from '../lib/stop-words.ts';

/** Distinct 2- and 3-word phrases of a text (key → surface form), without stop words at the edges. */
export function phrasesOf(text: string, ignored: ReadonlySet<string>): Map<string, string> {
  const phrases = new Map<string, string>();
  for (const clause of text.split(/[.!?;:,()"“”[\]|–—]+/)) {
    const words = clause.split(/\s+/).map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')).filter(Boolean);
    for (let size = 2; size <= 3; size++) {
      for (let start = 0; start + size <= words.length; start++) {
        const slice = words.slice(start, start + size);
        const lower = slice.map((word) => word.toLowerCase());
        const first = lower[0] ?? '';
        const last = lower[lower.length - 1] ?? '';
        if (STOP_WORDS.has(first) || STOP_WORDS.has(last)) continue;
        if (lower.some((word) => ignored.has(word) || /^\d+([.,]\d+)?%?$/.test(word) || word.length < 2)) continue;
        const key = lower.join(' ');
        if (!phrases.has(key)) phrases.set(key, slice.join(' '));
      }
    }
  }
  return phrases;
}

/** Lower case, punctuation to single spaces: the form phrases and keywords are compared in. */
export function normalisePhrase(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Whole-word containment of a normalised phrase in a normalised text. */
export function mentions(normalisedText: string, normalisedPhrase: string): boolean {
  return ` ${normalisedText} `.includes(` ${normalisedPhrase} `);
}

/**
 * A readable label: a word keeps its capitals only if it is capitalised in every form seen (a
 * proper noun such as a product name), then the first letter is upper-cased.
 */
export function labelOf(key: string, forms: Iterable<string>): string {
  const split = [...forms].map((form) => form.split(' '));
  const words = key.split(' ').map((lower, index) => {
    const seen = split.map((form) => form[index] ?? lower);
    return seen.length > 0 && seen.every((word) => word !== word.toLowerCase()) ? (seen.sort()[0] ?? lower) : lower;
  });
  const label = words.join(' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}
