/**
 * The search-index child process of the site build (forked by ./search-index.ts).
 *
 * It reads every article source, makes one Pagefind record per published article and writes the
 * Pagefind files to a staging folder, while the Astro process renders pages: the two share the
 * machine's cores instead of running one after the other. (It runs at normal priority: at
 * 10,000 articles, nice 10 made the build no faster — medians of three, 60.5 s against 56.1 s.)
 *
 * Input (IPC message): { articlesDir, outputPath, clock, language }. The index is written in
 * shards under outputPath (see ./pagefind-shards.ts).
 * Output (IPC message): { ok: true, lastModified, shards, reused } with every record's URL and the
 * article's last change (for the sitemap, so the articles are read once) and how many shards were
 * written and taken from the cache, or { ok: false, error }.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { markdownFilesIn } from '../../pipeline/archive/markdown-files.ts';
import { shardSize, writeShards, type Shard } from './pagefind-shards.ts';
import { articleUrl, lastModifiedOf, publishedArticle, recordOf, type PublishedArticle, type SearchRecord } from './search-records.ts';

export interface IndexRequest {
  articlesDir: string;
  outputPath: string;
  /** Shards indexed by earlier builds, by the hash of their records (see ./pagefind-shards.ts). */
  cacheDir: string;
  clock: string;
  language: string;
}

export type IndexReply = { ok: true; lastModified: Record<string, string>; shards: number; reused: number } | { ok: false; error: string };

async function writeIndex(request: IndexRequest): Promise<Omit<Extract<IndexReply, { ok: true }>, 'ok'>> {
  const clock = new Date(request.clock);
  // Pass 1: which articles are published, oldest first, so a new article lands in the last shard
  // and the shards before it stay as they were (and come from the cache). Each file's hash is the
  // cache key's part: a record is made from nothing but the file, its path and the language. The
  // parsed article is kept for pass 2: parsing the frontmatter is most of a record's cost.
  const published: Array<{ article: PublishedArticle; path: string; time: number; hash: string }> = [];
  const lastModified: Record<string, string> = {};
  for (const file of await markdownFilesIn(request.articlesDir)) {
    // Synchronous reads on purpose: measured at 10,000 articles, awaited readFile calls one after
    // the other cost ~1.9 s of CPU against ~0.16 s for readFileSync.
    const text = readFileSync(file, 'utf8');
    const article = publishedArticle(text, clock);
    if (!article) continue;
    const path = relative(request.articlesDir, file);
    published.push({ article, path, time: article.data.publishedAt.getTime(), hash: createHash('sha256').update(text).digest('hex') });
    lastModified[articleUrl(path)] = lastModifiedOf(article.data);
  }
  published.sort((a, b) => a.time - b.time || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  // Pass 2, shard by shard: records made only for shards not in the cache.
  const size = shardSize();
  function* shards(): Generator<Shard<SearchRecord>> {
    for (let start = 0; start < published.length; start += size) {
      const members = published.slice(start, start + size);
      yield {
        key: members.map((member) => `${member.path}\0${member.hash}`).join('\n'),
        items: async function* () {
          for (const { article, path } of members) yield recordOf(article, path, request.language);
        },
      };
    }
  }
  const written = await writeShards(shards(), (index, record) => index.addCustomRecord(record), {
    outputRoot: request.outputPath,
    language: request.language,
    cacheDir: request.cacheDir,
  });
  return { lastModified, ...written };
}

// The build went away (failed, or was killed): stop too, taking the Pagefind binary with us.
process.once('disconnect', () => process.exit(0));

process.once('message', (request: IndexRequest) => {
  writeIndex(request)
    .then(
      (written): IndexReply => ({ ok: true, ...written }),
      (error: unknown): IndexReply => ({ ok: false, error: error instanceof Error ? error.message : String(error) }),
    )
    .then((reply) => process.send!(reply, () => process.disconnect()));
});
