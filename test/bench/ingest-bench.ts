/**
 * Ingest benchmark (issue 3): 200 feeds × 50 items served from loopback, fetched by
 * `ingest` — wall time and peak memory — beside rss-parser alone parsing the same 200
 * documents in the same run; then a second ingest where every feed answers 304.
 *
 * Feeds are spread over 10 loopback addresses (127.0.0.1–127.0.0.10) so the per-host limit
 * (2 at a time) is exercised the way a real feed list spreads over publishers.
 *
 * Usage: npm run bench:ingest [-- --feeds 200 --items 50 --runs 3]
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: { feeds: { type: 'string', default: '200' }, items: { type: 'string', default: '50' }, runs: { type: 'string', default: '3' } },
});
const FEEDS = Number(args.feeds);
const ITEMS = Number(args.items);
const RUNS = Number(args.runs);
const HOSTS = 10;
const WORK = fileURLToPath(new URL('./.work/ingest/', import.meta.url));
const CHILD = fileURLToPath(new URL('./ingest-child.ts', import.meta.url));

function feedDocument(feed: number): string {
  const items = Array.from({ length: ITEMS }, (_unused, index) => {
    const day = 1 + ((feed + index) % 28);
    return `<item><title>Feed ${feed} story ${index}: validators, restaking and lending rates in week ${index % 9}</title>
<link>https://publisher${feed}.example/stories/${index}?utm_source=rss</link>
<guid>https://publisher${feed}.example/stories/${index}</guid>
<pubDate>${new Date(Date.UTC(2026, 9, day, index % 24)).toUTCString()}</pubDate>
<description><![CDATA[<p>Story ${index} from publisher ${feed}: <b>liquidity providers</b> weigh fees against impermanent loss &amp; smart-contract risk.</p>]]></description></item>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Publisher ${feed}</title><link>https://publisher${feed}.example/</link><description>Bench feed</description>${items.join('\n')}</channel></rss>`;
}

async function startServers(documents: string[]): Promise<{ urls: string[]; close: () => Promise<void>; requests: () => number }> {
  let requests = 0;
  const servers: Server[] = [];
  const urls: string[] = new Array(documents.length);
  for (let host = 0; host < HOSTS; host++) {
    const server = createServer((request, response) => {
      requests++;
      const feed = Number(/\/feed\/(\d+)\.xml$/.exec(request.url ?? '')?.[1]);
      const body = documents[feed];
      if (body === undefined) {
        response.writeHead(404).end();
        return;
      }
      const etag = `"feed-${feed}-v1"`;
      if (request.headers['if-none-match'] === etag) {
        response.writeHead(304, { etag }).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, `127.0.0.${host + 1}`, resolve));
    servers.push(server);
    const { port } = server.address() as AddressInfo;
    for (let feed = host; feed < documents.length; feed += HOSTS) urls[feed] = `http://127.0.0.${host + 1}:${port}/feed/${feed}.xml`;
  }
  return {
    urls,
    requests: () => requests,
    close: () => Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())))).then(() => {}),
  };
}

/** Runs the child under GNU time: its own wall time (printed by it) and its peak RSS. */
function measure(childArgs: string[]): Promise<{ ms: number; saveMs?: number; peakMb: number; items: number; notModified?: number; failed?: number }> {
  return new Promise((resolve, reject) => {
    const timeFile = join(WORK, 'time.txt');
    // BENCH_NODE_ARGS (e.g. "--cpu-prof") goes to the measured process, for profiling.
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', timeFile, process.execPath, ...nodeArgs, CHILD, ...childArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', async (code) => {
      if (code !== 0) return reject(new Error(`child exited ${code}: ${out}`));
      const peakKb = Number((await readFile(timeFile, 'utf8')).trim().split('\n').pop());
      resolve({ ...(JSON.parse(out.trim().split('\n').pop()!) as { ms: number; items: number }), peakMb: Math.round(peakKb / 1024) });
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

await rm(WORK, { recursive: true, force: true });
await mkdir(join(WORK, 'docs'), { recursive: true });
const documents = Array.from({ length: FEEDS }, (_unused, feed) => feedDocument(feed));
await Promise.all(documents.map((document, feed) => writeFile(join(WORK, 'docs', `${String(feed).padStart(4, '0')}.xml`), document)));
const servers = await startServers(documents);
await writeFile(join(WORK, 'urls.json'), JSON.stringify(servers.urls));
const totalKb = Math.round(documents.reduce((sum, document) => sum + Buffer.byteLength(document), 0) / 1024);
console.log(`ingest bench: ${FEEDS} feeds × ${ITEMS} items (${totalKb} KB) on ${HOSTS} loopback hosts, Node ${process.version}, ${RUNS} runs each (medians)\n`);

const cold: Awaited<ReturnType<typeof measure>>[] = [];
const warm: Awaited<ReturnType<typeof measure>>[] = [];
const bare: Awaited<ReturnType<typeof measure>>[] = [];
for (let run = 0; run < RUNS; run++) {
  const state = join(WORK, `state-${run}.json`);
  cold.push(await measure(['ingest', join(WORK, 'urls.json'), state]));
  warm.push(await measure(['ingest', join(WORK, 'urls.json'), state]));
  bare.push(await measure(['parse', join(WORK, 'docs')]));
}
await servers.close();

const row = (label: string, runs: typeof cold) =>
  `| ${label.padEnd(34)} | ${String(median(runs.map((run) => run.ms))).padStart(7)} | ${String(median(runs.map((run) => run.peakMb))).padStart(7)} | ${String(runs[0]!.items).padStart(6)} |`;
console.log('| measurement                        | wall ms | peak MB |  items |');
console.log('|------------------------------------|---------|---------|--------|');
console.log(row('ingest, first run (fetch + parse)', cold));
console.log(row('rss-parser alone (same documents)', bare));
console.log(row('ingest, second run (all 304)', warm));
const ratio = median(cold.map((run) => run.ms)) / median(bare.map((run) => run.ms));
console.log(`\nSaving the history afterwards (content/state.json, fsync included): ${median(cold.map((run) => run.saveMs ?? 0))} ms first run, ${median(warm.map((run) => run.saveMs ?? 0))} ms all-304 run — not in the wall times above.`);
console.log(`ingest ÷ bare parsing: ${ratio.toFixed(2)}× (target ≤ 1.5×) · all-304 run: ${median(warm.map((run) => run.ms))} ms (target < 1,000 ms), ${warm[0]!.notModified} of ${FEEDS} feeds answered 304`);
if (cold.some((run) => run.failed) || warm.some((run) => run.notModified !== FEEDS)) {
  console.log('WARNING: some feeds failed or did not answer 304; the figures above are not comparable.');
  process.exitCode = 1;
}
