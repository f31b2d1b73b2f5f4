// @ts-check
/**
 * Astro configuration for the nichepress site.
 *
 * Everything niche-specific comes from the niche config (content/niche.yaml), read with the
 * pipeline's own loader. The build is steered by environment variables, which is how
 * `pipeline/site-build/build-site.ts` runs Astro in a child process:
 *
 *   NICHEPRESS_ROOT       the niche project root (default: the working directory)
 *   NICHEPRESS_CONFIG     the config file, relative to the root or absolute (default: content/niche.yaml)
 *   NICHEPRESS_OUT_DIR    where the site is written (default: <root>/<paths.outDir>; buildSite
 *                         passes a staging folder and moves it into place after a good build)
 *   NICHEPRESS_CACHE_DIR  Astro's build cache (default: Astro's own, node_modules/.astro)
 *   NICHEPRESS_SEARCH_INDEX  `pages` makes Pagefind index the built pages instead of the article
 *                         sources (see site/lib/search-index.ts)
 *
 * Astro's own root stays this package (run Astro with this folder as the working directory):
 * bare imports from Astro's virtual modules only resolve from here. The niche project root only
 * supplies the config, the articles and an optional `public/` folder. Astro's generated `.astro/`
 * folder is therefore shared by every build run from this package; buildSite() runs one at a time.
 */
import { resolve } from 'node:path';
import sitemap from '@astrojs/sitemap';
import { defineConfig } from 'astro/config';
import { loadConfig } from './pipeline/config/niche-config.ts';
import { articleCards } from './site/lib/article-card.ts';
import { markdownSafety } from './site/lib/markdown-safety.ts';
import { articleLastModified, searchIndex } from './site/lib/search-index.ts';

process.env.ASTRO_TELEMETRY_DISABLED ??= '1';

const root = resolve(process.env.NICHEPRESS_ROOT || process.cwd());
const niche = await loadConfig({ root, configPath: process.env.NICHEPRESS_CONFIG || undefined });

const outDir = process.env.NICHEPRESS_OUT_DIR ? resolve(root, process.env.NICHEPRESS_OUT_DIR) : niche.resolved.outDir;
const cacheDir = process.env.NICHEPRESS_CACHE_DIR ? resolve(root, process.env.NICHEPRESS_CACHE_DIR) : undefined;

/** Paths kept out of the sitemap: the noindex pages (trends, search, cloaked redirects, 404). */
const NOT_IN_SITEMAP = /^\/(trends|search|go)(\/|$)|^\/404(\.html|\/)?$/;

export default defineConfig({
  srcDir: './site',
  publicDir: resolve(root, 'public'),
  outDir,
  ...(cacheDir ? { cacheDir } : {}),
  site: niche.site.url,
  trailingSlash: 'always',
  build: {
    format: 'directory',
    // Pages are rendered while earlier ones are still being written: with one at a time, the
    // renderer sat idle ~40 % of the page phase at 10,000 articles, waiting on file writes.
    concurrency: 4,
  },
  // Nothing in the built site or the build itself talks to the network.
  devToolbar: { enabled: false },
  prefetch: false,
  image: { service: { entrypoint: 'astro/assets/services/noop' } },
  markdown: { syntaxHighlight: false },
  vite: {
    ...(cacheDir ? { cacheDir: resolve(cacheDir, 'vite') } : {}),
    build: {
      rolldownOptions: {
        // With `deferRender: true` every Markdown entry becomes a module carrying Astro's own
        // "use astro:head-inject" directive: one harmless warning per article would bury real
        // problems in the log.
        checks: { moduleLevelDirective: false },
      },
    },
  },
  integrations: [
    {
      name: 'nichepress:markdown-safety',
      hooks: {
        // Sätteri (Astro 7's Markdown processor) does not run remark/rehype plugins; its own hast
        // plugins are added to the processor's options, which stay shared by reference.
        'astro:config:setup': ({ config, logger }) => {
          const processor = config.markdown.processor;
          const options = /** @type {{ hastPlugins?: unknown[] } | undefined} */ (processor?.options);
          if (processor?.name === 'satteri' && options && Array.isArray(options.hastPlugins)) {
            options.hastPlugins.push(
              markdownSafety({
                affiliateDomains: niche.affiliates.flatMap((program) => program.domains),
                cloaked: niche.affiliates.filter((program) => program.cloak).map(({ id, url }) => ({ id, url })),
              }),
            );
          } else {
            logger.warn(`Markdown processor "${processor?.name}" is not Sätteri: article links are not checked or tagged.`);
          }
        },
      },
    },
    // Pagefind search over the articles, indexed from their sources while Astro renders pages
    // (see site/lib/search-index.ts), so any `astro build` of this site ships a working search.
    searchIndex({
      articlesDir: niche.resolved.articles,
      clock: niche.clock ?? new Date(),
      language: niche.site.language.slice(0, 2),
      from: process.env.NICHEPRESS_SEARCH_INDEX === 'pages' ? 'pages' : 'sources',
    }),
    // Each article's card image, asked for by its page and written when the build is done
    // (drawn once per content, kept in the cache folder; see site/lib/article-card.ts).
    articleCards({ cacheDir: resolve(niche.resolved.cacheDir, 'article-cards') }),
    // Pages that are not for search engines (noindex) stay out of the sitemap; drafts and
    // future-dated articles are never built, so they cannot be in it. Article URLs carry the
    // article's last change as <lastmod> (read by the search index above, which runs first).
    sitemap({
      filter: (page) => !NOT_IN_SITEMAP.test(new URL(page).pathname),
      serialize: (item) => {
        const lastmod = articleLastModified.get(new URL(item.url).pathname);
        return lastmod ? { ...item, lastmod } : item;
      },
    }),
  ],
});
