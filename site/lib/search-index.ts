/**
 * The site's Pagefind search index, written during `astro build`.
 *
 * Fast path: when the build starts, a child process (./search-index-child.ts) makes one record
 * per published article from its Markdown source and writes the Pagefind files to a staging
 * folder, while Astro syncs content and renders pages. When Astro is done,
 * the record URLs are checked against the article pages Astro really wrote; if they match, the
 * staged index is moved to `<outDir>/pagefind/` (and /pagefind-2/ … for large sites, see
 * ./pagefind-shards.ts).
 *
 * Exact path: if they do not match (a file name the URL guess got wrong, a clock tick between
 * the two processes) or the child failed, the built article pages are indexed instead — slower,
 * never wrong. `NICHEPRESS_SEARCH_INDEX=pages` in the build's environment always takes the exact
 * path. Only article pages are searchable either way. A failure of the exact path fails the
 * build like any other Astro error.
 */
import { fork } from 'node:child_process';
import { cp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { shardSize, writeShards, type Shard } from './pagefind-shards.ts';
import type { IndexReply, IndexRequest } from './search-index-child.ts';

export interface SearchIndexOptions {
  articlesDir: string;
  /** Articles dated after it are not built, so not indexed. */
  clock: Date;
  /** The site's language (ISO 639-1): one index for the whole site. */
  language: string;
  /** `pages` skips the fast path and always indexes the built pages. */
  from?: 'sources' | 'pages';
}

/**
 * Site path → the article's last change (ISO), filled when the index is done, for the sitemap's
 * <lastmod> (astro.config.mjs runs this integration before the sitemap's). Empty when the
 * sources could not be read, as with NICHEPRESS_SEARCH_INDEX=pages: the sitemap then has no dates.
 */
export const articleLastModified = new Map<string, string>();

export function searchIndex(options: SearchIndexOptions): AstroIntegration {
  let staged: { folder: string; reply: Promise<IndexReply> } | undefined;
  return {
    name: 'nichepress:search-index',
    hooks: {
      'astro:config:setup': async ({ command, config }) => {
        if (command !== 'build' || options.from === 'pages') return;
        const cacheDir = fileURLToPath(config.cacheDir);
        const folder = join(cacheDir, `search-index-${process.pid}`);
        // Staging folders of builds that were killed (builds of one site never overlap: buildSite
        // holds a lock) are removed, this one's included.
        const names = await readdir(cacheDir).catch(() => [] as string[]);
        await Promise.all(names.filter((name) => /^search-index-\d+$/.test(name)).map((name) => rm(join(cacheDir, name), { recursive: true, force: true })));
        staged = {
          folder,
          reply: startChild({
            articlesDir: options.articlesDir,
            outputPath: folder,
            cacheDir: join(cacheDir, 'nichepress-search-shards'),
            clock: options.clock.toISOString(),
            language: options.language,
          }),
        };
      },
      'astro:build:done': async ({ dir, pages, logger }) => {
        const site = fileURLToPath(dir);
        const built = pages.map(({ pathname }) => `/${pathname.replace(/^\/+/, '')}`).filter((path) => path.startsWith('/articles/'));
        const reply = staged ? await staged.reply : ({ ok: false, error: 'asked to (NICHEPRESS_SEARCH_INDEX=pages)' } as const);
        if (reply.ok) for (const [url, date] of Object.entries(reply.lastModified)) articleLastModified.set(url, date);
        const mismatch = reply.ok ? differences(Object.keys(reply.lastModified), built) : reply.error;
        if (staged && !mismatch) {
          await moveShards(staged.folder, site);
          const cached = reply.ok && reply.reused > 0 ? `, ${reply.reused} of ${reply.shards} bundles unchanged since the last build` : '';
          logger.info(`Pagefind indexed ${built.length} article${built.length === 1 ? '' : 's'} (from their sources, during the build${cached}).`);
          return;
        }
        if (staged) await rm(staged.folder, { recursive: true, force: true });
        logger.info(`Indexing the built article pages instead of the sources: ${mismatch}.`);
        const count = await indexBuiltPages(site, built, options.language);
        logger.info(`Pagefind indexed ${count} pages.`);
      },
    },
  };
}

function startChild(request: IndexRequest): Promise<IndexReply> {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(new URL('./search-index-child.ts', import.meta.url)), [], {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    const finish = (reply: IndexReply) => {
      if (settled) return;
      settled = true;
      resolve(reply);
    };
    child.once('message', (reply: IndexReply) => finish(reply));
    child.once('error', (error) => finish({ ok: false, error: `the indexing process failed: ${error.message}` }));
    child.once('exit', (code, signal) => finish({ ok: false, error: `the indexing process exited with ${signal ?? `code ${code}`}` }));
    child.send(request);
  });
}

/** Undefined when both lists hold the same URLs; else what differs, for the log. */
function differences(indexed: readonly string[], built: readonly string[]): string | undefined {
  const indexedSet = new Set(indexed);
  const builtSet = new Set(built);
  const missing = built.filter((url) => !indexedSet.has(url));
  const extra = indexed.filter((url) => !builtSet.has(url));
  if (missing.length === 0 && extra.length === 0) return undefined;
  const sample = [...missing.slice(0, 2).map((url) => `${url} not in the index`), ...extra.slice(0, 2).map((url) => `${url} not built`)];
  return `${missing.length + extra.length} article URL(s) differ (${sample.join(', ')})`;
}

/** Moves every shard folder the child wrote (pagefind, pagefind-2, …) into the site. */
async function moveShards(staging: string, site: string): Promise<void> {
  for (const name of await readdir(staging)) {
    const from = join(staging, name);
    const to = join(site, name);
    await rm(to, { recursive: true, force: true });
    try {
      await rename(from, to);
    } catch (error) {
      // The cache folder may be on another file system than the output.
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await cp(from, to, { recursive: true });
    }
  }
  await rm(staging, { recursive: true, force: true });
}

/** The exact path: Pagefind reads the built article pages (only their data-pagefind-body). */
async function indexBuiltPages(site: string, urls: readonly string[], language: string): Promise<number> {
  const pages = [...urls].sort();
  const size = shardSize();
  function* shards(): Generator<Shard<{ url: string; content: string }>> {
    for (let start = 0; start < pages.length; start += size) {
      const members = pages.slice(start, start + size);
      yield {
        items: async function* () {
          for (const url of members) yield { url, content: await readFile(join(site, url, 'index.html'), 'utf8') };
        },
      };
    }
  }
  await writeShards(shards(), (index, file) => index.addHTMLFile(file), { outputRoot: site, language });
  return pages.length;
}
