/**
 * validate's cache: per file, the findings of the per-file rules and the near-duplicate
 * signature, keyed by the file's content hash. The whole cache is keyed by the rules (ids and
 * versions), their options and severities, and the cache format: change any and every file is
 * checked again. It lives under .nichepress/ (git-ignored) and is written atomically, so a
 * killed run leaves the previous cache or the new one, never half of one.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/niche-config.ts';
import type { Finding } from '../errors/finding.ts';
import { writeFileAtomic } from '../lib/atomic-write.ts';
import { digest, digestJson } from '../lib/hash.ts';
import type { AnyRule } from './rules/rule.ts';

/**
 * Bump when what is stored (or how findings are made outside the rules) changes. 4: the trees
 * come from another parser (../lib/markdown-tree.ts); bump again when an upgrade of it changes a
 * tree. 5: frontmatter values are read by another YAML parser (../lib/yaml-source.ts).
 */
const CACHE_FORMAT = 5;

export interface CachedFile {
  /** Content hash of the file. */
  hash: string;
  /** Size and modification time when it was hashed: while both are unchanged, the file is not read again to hash it. */
  size: number;
  mtimeMs: number;
  /** Findings of the schema and the per-file rules. */
  findings: Finding[];
  /** Near-duplicate signature (64 numbers), or null when the text is too short to compare. */
  signature: number[] | null;
  /** publishedAt in ms, or null. */
  publishedAt: number | null;
}

interface CacheData {
  key: string;
  files: Record<string, CachedFile>;
}

export function cachePath(config: ResolvedConfig): string {
  return join(config.root, '.nichepress', 'validate-cache.json');
}

/** The cache key of a rule set under a config: rule ids, versions, severities and options. */
export function cacheKey(config: ResolvedConfig, rules: readonly AnyRule[]): string {
  return digestJson({
    format: CACHE_FORMAT,
    rules: rules.map((rule) => [rule.id, rule.version, config.validate.rules[rule.id] ?? rule.severity, rule.options?.(config) ?? null]),
  });
}

export const contentHash = (text: string) => digest(text, 32);

/** Cached entries by shown path, or an empty map when there is no cache or it was made under another key. */
export async function loadCache(file: string, key: string): Promise<Map<string, CachedFile>> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as CacheData;
    if (data.key === key && data.files && typeof data.files === 'object') return new Map(Object.entries(data.files));
  } catch {
    // No cache yet, or an unreadable one: everything is checked again.
  }
  return new Map();
}

export async function saveCache(file: string, key: string, entries: ReadonlyMap<string, CachedFile>): Promise<void> {
  const data: CacheData = { key, files: Object.fromEntries(entries) };
  await writeFileAtomic(file, JSON.stringify(data));
}
