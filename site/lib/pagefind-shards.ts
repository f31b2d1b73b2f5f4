/**
 * Writes the site's Pagefind search index in shards: one Pagefind index per `shardSize`
 * articles, each in its own folder (/pagefind/, /pagefind-2/, …), merged again in the browser by
 * the search page (Pagefind's `mergeIndex`), which reads the list from /pagefind/nichepress-shards.json.
 *
 * Why: Pagefind's indexer holds the whole index in memory until it writes it. Measured here on
 * the bench corpus (articles of ~900 words): 2.9 GB for one index of 10,000 articles, 0.7 GB for
 * 2,500. Shards are written one after the other and the indexer is restarted in between, so its
 * memory stays that of one shard however large the site grows. Shards of 1,000 (~0.3 GB) keep
 * the whole 10k build (Astro, this indexer and its child) under 2 GB: with 1,500 (~0.5 GB) one
 * build in three peaked at 2.03 GB once indexing kept pace with Astro's rendering.
 *
 * Shards can be cached (`cacheDir`): a shard whose records are exactly those of a shard written
 * before is unpacked instead of indexed again. The caller orders articles oldest first, so a new
 * article only changes the last shard and a daily build of a large site re-indexes one shard.
 * A cached shard is one pack file (its files end to end behind a JSON list of names and sizes),
 * not a copy of its folder: a shard is ~1,600 small files, and creating files (inode allocation)
 * was the indexing child's largest kernel cost in `perf` — a copy created each of them twice.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as pagefind from 'pagefind';
import { writeFileAtomic } from '../../pipeline/lib/atomic-write.ts';

export const DEFAULT_SHARD_SIZE = 1000;
export const SHARDS_MANIFEST = 'nichepress-shards.json';
/** Part of every cache key: bump it when the way records are made or indexed changes. */
const CACHE_FORMAT = 'nichepress-search-5';

/** Requests in flight to the indexer at once: enough to keep it busy, little memory. */
const IN_FLIGHT = 128;

export function shardFolderName(shard: number): string {
  return shard === 0 ? 'pagefind' : `pagefind-${shard + 1}`;
}

/** NICHEPRESS_SEARCH_SHARD_SIZE overrides the default (tests use tiny shards). */
export function shardSize(): number {
  const configured = Number(process.env.NICHEPRESS_SEARCH_SHARD_SIZE);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_SHARD_SIZE;
}

type Add<T> = (index: pagefind.PagefindIndex, item: T) => Promise<pagefind.NewFileResponse>;

interface ShardFile {
  path: string;
  content: Uint8Array;
}

/** One Pagefind index of `items` written to `folder`; the indexer is stopped afterwards. Returns its files. */
export async function writeShard<T>(items: AsyncIterable<T> | Iterable<T>, add: Add<T>, options: { folder: string; language: string }): Promise<ShardFile[]> {
  const inFlight: Array<Promise<pagefind.NewFileResponse>> = [];
  const check = (response: pagefind.NewFileResponse) => {
    if (response.errors.length) throw new Error(`Pagefind refused an article: ${response.errors.join('; ')}`);
  };
  try {
    const created = await pagefind.createIndex({ forceLanguage: options.language });
    if (!created.index) throw new Error(`Pagefind could not start: ${created.errors.join('; ')}`);
    for await (const item of items) {
      inFlight.push(add(created.index, item));
      if (inFlight.length >= IN_FLIGHT) check(await inFlight.shift()!);
    }
    for (const response of await Promise.all(inFlight.splice(0))) check(response);
    // The files come back to us and are written here, not by Pagefind's writeFiles: Pagefind
    // 1.5 answers writeFiles before its last writes have reached the disk (tokio files are not
    // flushed), so stopping the indexer right after could leave an empty pagefind-entry.json
    // (seen once in CI under load).
    const built = await created.index.getFiles();
    if (built.errors.length) throw new Error(`Pagefind could not build its index: ${built.errors.join('; ')}`);
    writeFiles(options.folder, built.files);
    return built.files;
  } finally {
    // Stopping the indexer frees the shard's memory; the next createIndex starts a fresh one.
    await pagefind.close();
  }
}

/**
 * Writes a shard's files one after the other, synchronously. With several writes in flight, the
 * thread pool's threads created files in one folder at once and spun on that folder's lock in
 * the kernel (rwsem_spin_on_owner, ~6 % of the indexing child's CPU samples in `perf` at 10,000
 * articles); one writer creates them without that contention.
 */
function writeFiles(folder: string, files: readonly ShardFile[]): void {
  for (const path of new Set(files.map((file) => dirname(join(folder, file.path))))) mkdirSync(path, { recursive: true });
  for (const file of files) writeFileSync(join(folder, file.path), file.content);
}

/** A cached shard: a JSON list of [path, size] on the first line, then the files' bytes in that order. */
function packShard(files: readonly ShardFile[]): Buffer {
  const header = Buffer.from(`${JSON.stringify(files.map((file) => [file.path, file.content.byteLength]))}\n`);
  return Buffer.concat([header, ...files.map((file) => file.content)]);
}

/** The files of a cached shard, or undefined when the pack is missing or not whole (then the shard is indexed again). */
function unpackShard(pack: string): ShardFile[] | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(pack);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) return undefined;
  let list: unknown;
  try {
    list = JSON.parse(bytes.subarray(0, newline).toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(list)) return undefined;
  const files: ShardFile[] = [];
  let offset = newline + 1;
  for (const item of list as unknown[]) {
    if (!Array.isArray(item) || typeof item[0] !== 'string' || !Number.isInteger(item[1]) || item[0].split(/[\\/]/).includes('..')) return undefined;
    const size = item[1] as number;
    if (offset + size > bytes.length) return undefined;
    files.push({ path: item[0], content: bytes.subarray(offset, offset + size) });
    offset += size;
  }
  return offset === bytes.length ? files : undefined;
}

/** Lists every shard after the first in the first one's folder, for the search page. */
export async function writeManifest(outputRoot: string, shards: number): Promise<void> {
  const bundles = Array.from({ length: Math.max(0, shards - 1) }, (_unused, offset) => `/${shardFolderName(offset + 1)}/`);
  await writeFile(join(outputRoot, shardFolderName(0), SHARDS_MANIFEST), `${JSON.stringify({ bundles })}\n`);
}

/** One shard to write: its items (produced when needed) and, to cache it, a key for its content. */
export interface Shard<T> {
  items: () => AsyncIterable<T> | Iterable<T>;
  /** Equal keys mean equal items; without one the shard is always indexed and never cached. */
  key?: string;
}

/**
 * Writes `shards` in order under `outputRoot` (only one shard's items are produced at a time) and
 * the manifest. With `cacheDir`, a shard whose key was indexed before is unpacked from the cache,
 * and cache entries no shard uses any more are deleted. Returns how many shards there are and
 * how many came from the cache.
 */
export async function writeShards<T>(
  shards: AsyncIterable<Shard<T>> | Iterable<Shard<T>>,
  add: Add<T>,
  options: { outputRoot: string; language: string; cacheDir?: string },
): Promise<{ shards: number; reused: number }> {
  const used = new Set<string>();
  let count = 0;
  let reused = 0;
  if (options.cacheDir) await mkdir(options.cacheDir, { recursive: true });
  const writeOne = async (shard: Shard<T>) => {
    const folder = join(options.outputRoot, shardFolderName(count));
    count += 1;
    const key = options.cacheDir && shard.key ? createHash('sha256').update(`${CACHE_FORMAT}\0${options.language}\0${shard.key}`).digest('hex').slice(0, 32) : undefined;
    const cached = key ? join(options.cacheDir!, `${key}.pack`) : undefined;
    if (key) used.add(`${key}.pack`);
    const fromCache = cached ? unpackShard(cached) : undefined;
    if (fromCache) {
      writeFiles(folder, fromCache);
      reused += 1;
      return;
    }
    const files = await writeShard(shard.items(), add, { folder, language: options.language });
    // Atomic (temporary file, then rename): a killed build never leaves half a pack.
    if (cached) await writeFileAtomic(cached, packShard(files));
  };
  for await (const shard of shards) await writeOne(shard);
  // A site without articles still gets an (empty) index, so the search page works.
  if (count === 0) await writeOne({ items: () => [] });
  if (options.cacheDir) {
    for (const name of await readdir(options.cacheDir)) {
      if (!used.has(name)) await rm(join(options.cacheDir, name), { recursive: true, force: true });
    }
  }
  await writeManifest(options.outputRoot, count);
  return { shards: count, reused };
}
