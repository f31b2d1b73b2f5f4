/**
 * Lighthouse benchmark (`npm run bench:lighthouse`): builds the bundled sample niche offline (a
 * fresh copy, `nichepress run --offline`), serves dist/ on 127.0.0.1 the way a static host does
 * (gzip, folder → index.html), and runs the `lighthouse` package in Debian's Chromium
 * (CHROME_PATH, default /usr/bin/chromium) on the home page and an article page. It prints the
 * four category scores per page, with Lighthouse's mobile profile (its default, simulated
 * throttling) and its desktop profile, and the audits that cost points. Target: 100 in each.
 * Exit code 1 when a score is below --min.
 *
 *   node test/bench/lighthouse-bench.ts [--site <built dist folder>] [--min 90] [--runs 1]
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { copySampleNiche, runCli } from '../helpers/cli.ts';
import { CONTENT_TYPES } from '../helpers/static-server.ts';

const { values } = parseArgs({
  options: {
    site: { type: 'string' },
    min: { type: 'string', default: '90' },
    runs: { type: 'string', default: '1' },
  },
});
const CHROME = process.env.CHROME_PATH ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

const COMPRESSIBLE = new Set(['.html', '.css', '.js', '.json', '.xml', '.txt', '.svg']);

/** A static host: gzip for text, long cache for hashed assets, folder → index.html, else 404.html. */
async function serve(folder: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(folder, path);
    let status = 200;
    let body: Buffer;
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      body = await readFile(file);
    } catch {
      status = 404;
      file = join(folder, '404.html');
      body = await readFile(file).catch(() => Buffer.from('Not found'));
    }
    const ext = extname(file);
    const headers: Record<string, string> = { 'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream' };
    headers['cache-control'] = path.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'public, max-age=600';
    if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    response.writeHead(status, headers);
    response.end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) };
}

async function buildSample(): Promise<{ dist: string; cleanup: () => Promise<void> }> {
  const root = await copySampleNiche();
  console.log(`Building the sample niche in ${root} (nichepress run --offline)…`);
  const result = await runCli(['run', '--offline'], { cwd: root, timeoutMs: 600_000 });
  if (result.code !== 0) throw new Error(`nichepress run failed:\n${result.stdout}\n${result.stderr}`);
  return { dist: join(root, 'dist'), cleanup: () => rm(root, { recursive: true, force: true }) };
}

async function firstArticle(dist: string): Promise<string> {
  const home = await readFile(join(dist, 'index.html'), 'utf8');
  const match = /href="(\/articles\/[^"]+\/)"/.exec(home);
  if (!match) throw new Error('the home page links to no article');
  return match[1]!;
}

interface PageScores {
  page: string;
  scores: Record<(typeof CATEGORIES)[number], number>;
  lost: string[];
}

type Profile = 'mobile' | 'desktop';

async function audit(url: string, port: number, profile: Profile): Promise<PageScores> {
  const flags = { port, output: 'json' as const, logLevel: 'error' as const, onlyCategories: [...CATEGORIES] };
  const runnerResult = await lighthouse(url, flags, profile === 'desktop' ? desktopConfig : undefined);
  if (!runnerResult) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { lhr } = runnerResult;
  if (lhr.runtimeError) throw new Error(`Lighthouse failed on ${url}: ${lhr.runtimeError.message}`);
  const scores = Object.fromEntries(CATEGORIES.map((id) => [id, Math.round((lhr.categories[id]?.score ?? 0) * 100)])) as PageScores['scores'];
  const lost: string[] = [];
  for (const id of CATEGORIES) {
    for (const ref of lhr.categories[id]?.auditRefs ?? []) {
      const result = lhr.audits[ref.id];
      if (!result || ref.weight === 0 || result.score === null || result.score >= 1) continue;
      lost.push(`${id}: ${result.id} (${Math.round(result.score * 100)}) ${result.displayValue ?? ''}`.trim());
    }
  }
  return { page: new URL(url).pathname, scores, lost };
}

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

async function main(): Promise<number> {
  try {
    await stat(CHROME);
  } catch {
    console.error(`No Chromium at ${CHROME}; set CHROME_PATH (apt-get install chromium).`);
    return 2;
  }
  const built = values.site ? { dist: resolve(values.site), cleanup: async () => {} } : await buildSample();
  const server = await serve(built.dist);
  const chrome = await chromeLauncher.launch({
    chromePath: CHROME,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  let failed = false;
  try {
    const pages = ['/', await firstArticle(built.dist)];
    const runs = Math.max(1, Number(values.runs));
    const min = Number(values.min);
    console.log(`Lighthouse ${(JSON.parse(await readFile(new URL('../../node_modules/lighthouse/package.json', import.meta.url), 'utf8')) as { version: string }).version}, ${CHROME}, mobile and desktop profiles, ${runs} run(s) per page (median)\n`);
    console.log(`${'page'.padEnd(52)} ${'profile'.padEnd(8)} ${CATEGORIES.map((id) => id.padStart(15)).join('')}`);
    for (const profile of ['mobile', 'desktop'] as const) {
      for (const path of pages) {
        const results: PageScores[] = [];
        for (let run = 0; run < runs; run += 1) results.push(await audit(`${server.url}${path}`, chrome.port, profile));
        const scores = Object.fromEntries(CATEGORIES.map((id) => [id, median(results.map((result) => result.scores[id]))])) as PageScores['scores'];
        console.log(`${path.padEnd(52)} ${profile.padEnd(8)} ${CATEGORIES.map((id) => String(scores[id]).padStart(15)).join('')}`);
        for (const line of new Set(results.flatMap((result) => result.lost))) console.log(`    ${line}`);
        if (CATEGORIES.some((id) => scores[id] < min)) failed = true;
      }
    }
  } finally {
    chrome.kill();
    await server.close();
    await built.cleanup();
  }
  return failed ? 1 : 0;
}

// Lighthouse keeps a few handles open after a run; exit explicitly with the verdict.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(2);
  },
);
