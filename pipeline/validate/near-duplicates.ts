import type { DuplicateLookup } from './rules/rule.ts';

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
  /** The article's prose (see ../prose.ts), or its Markdown body. */
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
 * FNV-1a hashes of the words (runs of letters and digits, lower-cased) of a text. Link targets
 * `](…)` and URLs are not words: an article's prose and its Markdown body then sign alike (the
 * drafting stage signs the archive's bodies, validate the prose of each tree).
 */
function wordHashes(text: string): Uint32Array {
  const words = text.replace(/\]\([^)]*\)/g, ' ').replace(/https?:\/\/\S+/g, ' ').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  // A plain loop: Uint32Array.from with a map function goes through the iterator protocol per word.
  const hashes = new Uint32Array(words.length);
  for (let at = 0; at < words.length; at++) {
    const word = words[at]!;
    let hash = 0x811c9dc5;
    for (let index = 0; index < word.length; index++) hash = Math.imul(hash ^ word.charCodeAt(index), 0x01000193);
    hashes[at] = hash >>> 0;
  }
  return hashes;
}

/**
 * The MinHash signature of an article's text (its prose, without markup), or undefined when it
 * is too short to compare.
 */
export function signature(text: string): Uint32Array | undefined {
  const words = wordHashes(text);
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
  let equal = 0;
  let bothEmpty = 0;
  for (let bin = 0; bin < BINS; bin++) {
    if (a[bin] === b[bin]) {
      equal++;
      if (a[bin] === EMPTY) bothEmpty++;
    }
  }
  const used = BINS - bothEmpty;
  return used === 0 ? 0 : (equal - bothEmpty) / used;
}

/**
 * `similarity(a, b)`, or -1 as soon as it cannot reach `threshold`: with `m` different bins it
 * is at most (used − m) / used ≤ (BINS − m) / BINS. Most LSH candidates share one band by chance
 * and are dismissed after a dozen bins instead of 64.
 */
function similarityAtLeast(a: Uint32Array, b: Uint32Array, threshold: number): number {
  let different = 0;
  for (let bin = 0; bin < BINS; bin++) {
    if (a[bin] !== b[bin] && (BINS - ++different) / BINS < threshold) return -1;
  }
  return similarity(a, b);
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

/** The same, from signatures computed elsewhere (validate signs each file once and caches the signature). */
export function archiveFromSignatures(entries: readonly SignedEntry[], threshold: number): DuplicateArchive {
  const signatures = entries.map((entry) => entry.signature);
  const bands = BINS / BAND_ROWS;
  /** The band's 32-bit hash, or -1 when all its bins are empty (such bands never match). */
  const bandHash = (sig: Uint32Array, band: number): number => {
    let h = band;
    let empty = true;
    for (let row = 0; row < BAND_ROWS; row++) {
      const value = sig[band * BAND_ROWS + row]!;
      if (value !== EMPTY) empty = false;
      h = Math.imul(h ^ value, 0x9e3779b1) >>> 0;
    }
    return empty ? -1 : mix(h);
  };

  // LSH buckets: per band, the articles sorted by (band hash, index), so equal hashes are runs.
  // Sorting numbers packed in a Float64Array costs a few ms; a Map of string keys (one per band
  // and article) cost most of the matching time at 10,000 articles.
  const sorted: Float64Array[] = [];
  const pack = 2 ** 21; // index bits: archives up to two million articles
  if (entries.length >= pack) throw new RangeError(`near-duplicates: ${entries.length} articles is more than the index holds`);
  // Buckets with two or more articles, keyed by their first article and band: the order the
  // candidate pairs are compared in, which decides between equally similar matches.
  const shared: Array<{ first: number; band: number; members: number[] }> = [];
  for (let band = 0; band < bands; band++) {
    const packed = new Float64Array(entries.length);
    let used = 0;
    signatures.forEach((sig, index) => {
      const hash = sig ? bandHash(sig, band) : -1;
      if (hash !== -1) packed[used++] = hash * pack + index;
    });
    const keys = packed.subarray(0, used).sort();
    sorted.push(keys);
    for (let start = 0; start < used; ) {
      const hash = Math.floor(keys[start]! / pack);
      let end = start + 1;
      while (end < used && Math.floor(keys[end]! / pack) === hash) end++;
      if (end - start > 1) {
        const members: number[] = [];
        for (let at = start; at < end; at++) members.push(keys[at]! % pack);
        shared.push({ first: members[0]!, band, members });
      }
      start = end;
    }
  }
  shared.sort((a, b) => a.first - b.first || a.band - b.band);
  /** Articles whose band `band` hashes to `hash` (binary search in that band's sorted keys). */
  const bucketOf = (band: number, hash: number): number[] => {
    const keys = sorted[band]!;
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (keys[middle]! < hash * pack) low = middle + 1;
      else high = middle;
    }
    const members: number[] = [];
    for (let at = low; at < keys.length && Math.floor(keys[at]! / pack) === hash; at++) members.push(keys[at]! % pack);
    return members;
  };

  const isOlder = (a: number, b: number): boolean => {
    const pa = entries[a]!.publishedAt ?? 0;
    const pb = entries[b]!.publishedAt ?? 0;
    return pa < pb || (pa === pb && entries[a]!.file < entries[b]!.file);
  };
  // For each article, the best older match. A pair that shares several bands is compared once
  // per band: the same value again never replaces the match it set (only a higher one does), so
  // no set of compared pairs is needed — at 10,000 articles that set cost more than the repeats.
  const best = new Map<number, { other: number; similarity: number }>();
  for (const { members: bucket } of shared) {
    for (let i = 0; i < bucket.length; i++) {
      for (let j = i + 1; j < bucket.length; j++) {
        const a = bucket[i]!;
        const b = bucket[j]!;
        const value = similarityAtLeast(signatures[a]!, signatures[b]!, threshold);
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
      for (let band = 0; band < bands; band++) {
        const hash = bandHash(sig, band);
        if (hash === -1) continue;
        for (const other of bucketOf(band, hash)) {
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
