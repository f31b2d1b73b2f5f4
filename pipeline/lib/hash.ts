import { hash } from 'node:crypto';

/** Short, stable content digest (hex) used for ids, cache keys and change detection. */
export function digest(value: string | Uint8Array, length = 16): string {
  // One-shot hash(): same bytes as createHash().update().digest() (strings as UTF-8), without
  // building a Hash object per call — ingest digests every item's URL.
  return hash('sha256', value, 'hex').slice(0, length);
}

/** Digest of a JSON-serialisable value with sorted keys, so key order never changes the hash. */
export function digestJson(value: unknown, length = 16): string {
  return digest(stableStringify(value), length);
}

export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      return Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return inner;
  });
}
