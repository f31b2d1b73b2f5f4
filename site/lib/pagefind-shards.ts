/**
 * Writes the site's Pagefind search index in shards: one Pagefind index per `shardSize`
 * articles, each in its own folder (/pagefind/, /pagefind-2/, …), merged again in the browser by
 * the search page (Pagefind's `mergeIndex`), which reads the list from /pagefind/nichepress-shards.json.
 *
 * Why: Pagefind's indexer holds the whole index in memory until it writes it. Measured here on
 * the bench corpus (articles of ~900 words): 2.9 GB for one index of 10,000 articles, 0.7 GB for
 * 2,500. Shards are written one after the other and the indexer is restarted in between, so its
 * memory stays that of one shard however large the site grows. Shards of 1,500 (~0.5 GB) keep
 * the whole 10k build (Astro, this indexer and its child) under 2 GB with some margin.
 *
 * Shards can be cached (`cacheDir`): a shard whose records are exactly those of a shard written
 * before is copied instead of indexed again. The caller orders articles oldest first, so a new
 * article only changes the last shard and a daily build of a large site re-indexes one shard.
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as pagefind from 'pagefind';

export const DEFAULT_SHARD_SIZE = 1500;
export const SHARDS_MANIFEST = 'nichepress-shards.json';
/** Part of every cache key: bump it when the way records are made or indexed changes. */
const CACHE_FORMAT = 'nichepress-search-1';

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

/** One Pagefind index of `items` written to `folder`; the indexer is stopped afterwards. */
export async function writeShard<T>(items: AsyncIterable<T> | Iterable<T>, add: Add<T>, options: { folder: string; language: string }): Promise<void> {
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
    await writeFiles(options.folder, built.files);
  } finally {
    // Stopping the indexer frees the shard's memory; the next createIndex starts a fresh one.
    await pagefind.close();
  }
}

/** Files written at once: enough to keep the disk busy without thousands of open handles. */
const WRITES_AT_ONCE = 32;

async function writeFiles(folder: string, files: ReadonlyArray<{ path: string; content: Uint8Array }>): Promise<void> {
  const folders = new Set(files.map((file) => dirname(join(folder, file.path))));
  for (const path of folders) await mkdir(path, { recursive: true });
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      await writeFile(join(folder, file.path), file.content);
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITES_AT_ONCE, files.length) }, worker));
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
 * the manifest. With `cacheDir`, a shard whose key was indexed before is copied from the cache,
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
    const cached = key ? join(options.cacheDir!, key) : undefined;
    if (key) used.add(key);
    if (cached && (await copied(cached, folder))) {
      reused += 1;
      return;
    }
    await writeShard(shard.items(), add, { folder, language: options.language });
    if (cached) {
      // Copied under a temporary name and renamed: a killed build never leaves half a shard.
      const temporary = `${cached}.tmp-${process.pid}`;
      await cp(folder, temporary, { recursive: true });
      await rename(temporary, cached).catch(() => rm(temporary, { recursive: true, force: true }));
    }
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

async function copied(from: string, to: string): Promise<boolean> {
  try {
    await cp(from, to, { recursive: true, errorOnExist: false, force: true });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
