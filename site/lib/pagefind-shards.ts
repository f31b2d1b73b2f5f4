/**
 * Writes the site's Pagefind search index in shards: one Pagefind index per `shardSize`
 * articles, each in its own folder (/pagefind/, /pagefind-2/, …), merged again in the browser by
 * the search page (Pagefind's `mergeIndex`), which reads the list from /pagefind/nichepress-shards.json.
 *
 * Why: Pagefind's indexer holds the whole index in memory until it writes it. Measured here on
 * the bench corpus (articles of ~900 words): 2.9 GB for one index of 10,000 articles, 0.7 GB for
 * 2,500. Shards of 2,000 keep the whole 10k build (Astro, this indexer and its child) under 2 GB. Shards are written one after the other and the indexer is restarted in between, so its
 * memory stays that of one shard however large the site grows.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as pagefind from 'pagefind';

export const DEFAULT_SHARD_SIZE = 2000;
export const SHARDS_MANIFEST = 'nichepress-shards.json';

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

/**
 * Indexes `items` (in order) into shards under `outputRoot` and writes the manifest. `add` hands
 * one item to the index. Returns the number of shards (at least one, possibly empty).
 */
export async function writeShardedIndex<T>(
  items: AsyncIterable<T> | Iterable<T>,
  add: (index: pagefind.PagefindIndex, item: T) => Promise<pagefind.NewFileResponse>,
  options: { outputRoot: string; language: string; shardSize: number },
): Promise<number> {
  let shard = 0;
  let inShard = 0;
  let index: pagefind.PagefindIndex | undefined;
  const inFlight: Array<Promise<pagefind.NewFileResponse>> = [];
  const check = (response: pagefind.NewFileResponse) => {
    if (response.errors.length) throw new Error(`Pagefind refused an article: ${response.errors.join('; ')}`);
  };
  const open = async () => {
    const created = await pagefind.createIndex({ forceLanguage: options.language });
    if (!created.index) throw new Error(`Pagefind could not start: ${created.errors.join('; ')}`);
    return created.index;
  };
  const finish = async (current: pagefind.PagefindIndex) => {
    for (const response of await Promise.all(inFlight.splice(0))) check(response);
    const written = await current.writeFiles({ outputPath: join(options.outputRoot, shardFolderName(shard)) });
    if (written.errors.length) throw new Error(`Pagefind could not write its index: ${written.errors.join('; ')}`);
    // Stopping the indexer frees the shard's memory; the next createIndex starts a fresh one.
    await pagefind.close();
  };
  try {
    for await (const item of items) {
      if (index && inShard === options.shardSize) {
        await finish(index);
        index = undefined;
        shard += 1;
        inShard = 0;
      }
      index ??= await open();
      inFlight.push(add(index, item));
      inShard += 1;
      if (inFlight.length >= IN_FLIGHT) check(await inFlight.shift()!);
    }
    await finish(index ?? (await open()));
  } finally {
    await pagefind.close();
  }
  const bundles = Array.from({ length: shard }, (_unused, offset) => `/${shardFolderName(offset + 1)}/`);
  await writeFile(join(options.outputRoot, shardFolderName(0), SHARDS_MANIFEST), `${JSON.stringify({ bundles })}\n`);
  return shard + 1;
}
