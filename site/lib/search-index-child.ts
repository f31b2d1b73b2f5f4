/**
 * The search-index child process of the site build (forked by ./search-index.ts).
 *
 * It reads every article source, makes one Pagefind record per published article and writes the
 * Pagefind files to a staging folder, while the Astro process renders pages: the two share the
 * machine's cores instead of running one after the other. It runs at a lower priority (the
 * parent sets it), so Astro's own work goes first.
 *
 * Input (IPC message): { articlesDir, outputPath, clock, language }. The index is written in
 * shards under outputPath (see ./pagefind-shards.ts).
 * Output (IPC message): { ok: true, lastModified } with every record's URL and the article's last
 * change (for the sitemap, so the articles are read once), or { ok: false, error }.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { shardSize, writeShardedIndex } from './pagefind-shards.ts';
import { searchRecord, type SearchRecord } from './search-records.ts';

export interface IndexRequest {
  articlesDir: string;
  outputPath: string;
  clock: string;
  language: string;
}

export type IndexReply = { ok: true; lastModified: Record<string, string> } | { ok: false; error: string };

async function markdownFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function writeIndex(request: IndexRequest): Promise<Record<string, string>> {
  const clock = new Date(request.clock);
  const lastModified: Record<string, string> = {};
  async function* records(): AsyncGenerator<SearchRecord> {
    for (const file of await markdownFiles(request.articlesDir)) {
      const article = searchRecord(await readFile(file, 'utf8'), relative(request.articlesDir, file), { clock, language: request.language });
      if (!article) continue;
      lastModified[article.record.url] = article.lastModified;
      yield article.record;
    }
  }
  await writeShardedIndex(records(), (index, record) => index.addCustomRecord(record), {
    outputRoot: request.outputPath,
    language: request.language,
    shardSize: shardSize(),
  });
  return lastModified;
}

// The build went away (failed, or was killed): stop too, taking the Pagefind binary with us.
process.once('disconnect', () => process.exit(0));

process.once('message', (request: IndexRequest) => {
  writeIndex(request)
    .then(
      (lastModified): IndexReply => ({ ok: true, lastModified }),
      (error: unknown): IndexReply => ({ ok: false, error: error instanceof Error ? error.message : String(error) }),
    )
    .then((reply) => process.send!(reply, () => process.disconnect()));
});
