// @ts-check
/**
 * The benchmark's baseline: a bare Astro site over the same article files as the nichepress site,
 * with Astro's defaults (no layout, no integration, no extra pages). See test/bench/README.md.
 *
 * Environment:
 *   BENCH_BARE_ARTICLES      the folder of markdown articles (required; read in src/content.config.ts)
 *   BENCH_BARE_OUT_DIR       output folder (default test/bench/.work/bare-dist)
 *   BENCH_BARE_CACHE_DIR     Astro's and Vite's cache (default test/bench/.work/bare-cache)
 *   BENCH_BARE_DEFER_RENDER  "1": glob({ deferRender: true }), as the nichepress site does (default off).
 *                            Then, like the nichepress site, Rolldown's module-level-directive check
 *                            is turned off: it prints one warning per article ("use astro:head-inject"),
 *                            10,000 lines at 10k articles, which costs time and memory.
 *
 * Astro's root is test/bench/.work/bare-root, so the generated `.astro/` folder is scratch output
 * too; the sources stay here (srcDir). Run it as run-bench.ts does:
 *   node node_modules/astro/bin/astro.mjs build --root test/bench/.work/bare-root --config ../../bare-site/astro.config.mjs
 *   (the --config path is resolved against --root)
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';

const here = fileURLToPath(new URL('.', import.meta.url));
const work = resolve(here, '../.work');
const root = resolve(work, 'bare-root');
mkdirSync(root, { recursive: true });
const cacheDir = resolve(process.env.BENCH_BARE_CACHE_DIR || resolve(work, 'bare-cache'));
const deferRender = process.env.BENCH_BARE_DEFER_RENDER === '1';

process.env.ASTRO_TELEMETRY_DISABLED ??= '1';

export default defineConfig({
  root,
  srcDir: resolve(here, 'src'),
  outDir: resolve(process.env.BENCH_BARE_OUT_DIR || resolve(work, 'bare-dist')),
  cacheDir,
  vite: {
    cacheDir: resolve(cacheDir, 'vite'),
    ...(deferRender ? { build: { rolldownOptions: { checks: { moduleLevelDirective: false } } } } : {}),
  },
});
