import type { DuplicateLookup } from '../rules/rule.ts';

/**
 * Near-duplicate detection over an archive of articles: MinHash signatures of 5-word shingles,
 * with LSH banding to find candidate pairs in about linear time.
 *
 * Why these choices:
 * - 5-word shingles: shorter ones make any two articles on the same topic look alike (shared
 *   phrases like "smart-contract risk"); longer ones miss light rewording.
 * - One-permutation MinHash (each shingle hashed once, the hash space split into 64 bins, the
 *   minimum kept per bin) costs one hash per shingle instead of 64, so 10,000 articles sketch
 *   in well under a second. The share of equal bins estimates the Jaccard similarity.
 * - 16 bands of 4 bins: two articles land in a common bucket with high probability when their
 *   similarity is above ~0.5, so every pair at the (higher) configured threshold is compared.
 */

const BINS = 64;
const BAND_ROWS = 4;
const SHINGLE = 5;
const EMPTY = 0xffffffff;

export interface ArchiveEntry {
  file: string;
  body: string;
  /** Older articles are the originals; the newer of a pair is the duplicate. Ties: file name. */
  publishedAt?: number;
}

/** A strong 32-bit mix (murmur3 finaliser), so bins and values are independent of each other. */
function mix(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * FNV-1a hashes of the visible words (letters and digits, ASCII lower-cased; link targets
 * `](…)` and bare URLs skipped). A character loop: a Unicode regex plus a string per word costs
 * seconds over 10,000 articles.
 */
function wordHashes(markdown: string): number[] {
  const hashes: number[] = [];
  let hash = 0x811c9dc5;
  let inWord = false;
  for (let index = 0; index < markdown.length; index++) {
    let code = markdown.charCodeAt(index);
    if (code === 0x5d /* ] */ && markdown.charCodeAt(index + 1) === 0x28 /* ( */) {
      const close = markdown.indexOf(')', index + 2);
      if (close !== -1) index = close;
      code = 0x20;
    } else if (code === 0x68 /* h */ && !inWord && markdown.startsWith('http', index) && /^https?:\/\//.test(markdown.slice(index, index + 8))) {
      while (index < markdown.length && markdown.charCodeAt(index) > 0x20) index++;
      code = 0x20;
    }
    if (code >= 0x41 && code <= 0x5a) code += 0x20;
    const wordChar = (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a) || code >= 0xc0;
    if (wordChar) {
      hash = Math.imul(hash ^ code, 0x01000193);
      inWord = true;
    } else if (inWord) {
      hashes.push(hash >>> 0);
      hash = 0x811c9dc5;
      inWord = false;
    }
  }
  if (inWord) hashes.push(hash >>> 0);
  return hashes;
}

/** The MinHash signature of a body, or undefined when it is too short to compare. */
export function signature(body: string): Uint32Array | undefined {
  const words = wordHashes(body);
  if (words.length < SHINGLE * 4) return undefined;
  const sig = new Uint32Array(BINS).fill(EMPTY);
  for (let index = 0; index + SHINGLE <= words.length; index++) {
    let h = 0;
    for (let k = 0; k < SHINGLE; k++) h = Math.imul(h ^ words[index + k]!, 0x9e3779b1) >>> 0;
    h = mix(h);
    const bin = h >>> 26; // top 6 bits: 64 bins
    const value = h & 0x03ffffff;
    if (value < sig[bin]!) sig[bin] = value;
  }
  return sig;
}

/** Estimated Jaccard similarity: the share of bins (non-empty in either) that hold the same minimum. */
export function similarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  let used = 0;
  for (let bin = 0; bin < BINS; bin++) {
    if (a[bin] === EMPTY && b[bin] === EMPTY) continue;
    used++;
    if (a[bin] === b[bin]) same++;
  }
  return used === 0 ? 0 : same / used;
}

export interface SignedEntry {
  file: string;
  signature: Uint32Array | undefined;
  publishedAt?: number | undefined;
}

export interface DuplicateArchive extends DuplicateLookup {
  /** For every article with a match: its most similar older article (for handing to workers). */
  matches(): Map<string, { file: string; similarity: number }>;
}

/**
 * Indexes the archive and finds, for every article, its most similar older article at or above
 * `threshold`. Lookups by file are then free; a body not in the archive (a new draft) is compared
 * against the buckets it falls in.
 */
export function buildDuplicateArchive(entries: readonly ArchiveEntry[], threshold: number): DuplicateArchive {
  return archiveFromSignatures(
    entries.map((entry) => ({ file: entry.file, signature: signature(entry.body), publishedAt: entry.publishedAt })),
    threshold,
  );
}

/** The same, from signatures computed elsewhere (validate's worker threads sign their own files). */
export function archiveFromSignatures(entries: readonly SignedEntry[], threshold: number): DuplicateArchive {
  const signatures = entries.map((entry) => entry.signature);
  const buckets = new Map<string, number[]>();
  const bandKeys = (sig: Uint32Array): string[] => {
    const keys: string[] = [];
    for (let band = 0; band < BINS / BAND_ROWS; band++) {
      let h = band;
      let empty = true;
      for (let row = 0; row < BAND_ROWS; row++) {
        const value = sig[band * BAND_ROWS + row]!;
        if (value !== EMPTY) empty = false;
        h = Math.imul(h ^ value, 0x9e3779b1) >>> 0;
      }
      if (!empty) keys.push(`${band}:${mix(h)}`);
    }
    return keys;
  };
  signatures.forEach((sig, index) => {
    if (!sig) return;
    for (const key of bandKeys(sig)) {
      const bucket = buckets.get(key);
      if (bucket) bucket.push(index);
      else buckets.set(key, [index]);
    }
  });

  const isOlder = (a: number, b: number): boolean => {
    const pa = entries[a]!.publishedAt ?? 0;
    const pb = entries[b]!.publishedAt ?? 0;
    return pa < pb || (pa === pb && entries[a]!.file < entries[b]!.file);
  };
  // For each article, the best older match. Pairs seen in several buckets are compared once.
  const best = new Map<number, { other: number; similarity: number }>();
  const compared = new Set<number>();
  const pairKey = (a: number, b: number) => (a < b ? a * entries.length + b : b * entries.length + a);
  for (const bucket of buckets.values()) {
    if (bucket.length < 2) continue;
    for (let i = 0; i < bucket.length; i++) {
      for (let j = i + 1; j < bucket.length; j++) {
        const a = bucket[i]!;
        const b = bucket[j]!;
        const key = pairKey(a, b);
        if (compared.has(key)) continue;
        compared.add(key);
        const value = similarity(signatures[a]!, signatures[b]!);
        if (value < threshold) continue;
        const [older, newer] = isOlder(a, b) ? [a, b] : [b, a];
        const current = best.get(newer);
        if (!current || value > current.similarity) best.set(newer, { other: older, similarity: value });
      }
    }
  }

  const indexOf = new Map(entries.map((entry, index) => [entry.file, index]));
  return {
    matches() {
      return new Map([...best].map(([index, match]) => [entries[index]!.file, { file: entries[match.other]!.file, similarity: match.similarity }]));
    },
    duplicateOf(file, body) {
      const index = indexOf.get(file);
      if (index !== undefined) {
        const match = best.get(index);
        return match ? { file: entries[match.other]!.file, similarity: match.similarity } : undefined;
      }
      // Not in the archive: a new draft, compared with everything already there.
      const sig = signature(body);
      if (!sig) return undefined;
      let found: { file: string; similarity: number } | undefined;
      const seen = new Set<number>();
      for (const key of bandKeys(sig)) {
        for (const other of buckets.get(key) ?? []) {
          if (seen.has(other)) continue;
          seen.add(other);
          const value = similarity(sig, signatures[other]!);
          if (value >= threshold && (!found || value > found.similarity)) found = { file: entries[other]!.file, similarity: value };
        }
      }
      return found;
    },
  };
}
