/**
 * Ingest benchmark: 200 feeds × 50 items served from loopback, fetched by
 * `ingest` — wall time and peak memory — beside rss-parser alone parsing the same 200
 * documents in the same run; then a second ingest where every feed answers 304.
 *
 * Feeds are spread over 10 loopback addresses (127.0.0.1–127.0.0.10) so the per-host limit
 * (2 at a time) is exercised the way a real feed list spreads over publishers.
 *
 * The loopback server runs in this process, on the same cores as the measured child: its CPU time
 * during each child run is printed beside the figures (on a real network that work is the
 * publishers'), and so is the child's own CPU time (user + system, all its threads), which says
 * more than wall time on a machine shared with other work. Since it stands in for remote
 * publishers and shares the cores with the measured child, it is kept cheap: each feed's body and
 * headers are built once, as bytes, so answering is a write rather than a 20 KB string encoded
 * again for every request.
 *
 * Usage: npm run bench:ingest [-- --feeds 200 --items 50 --runs 5]
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    feeds: { type: 'string', default: '200' },
    items: { type: 'string', default: '50' },
    runs: { type: 'string', default: '5' },
  },
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
  const answers = documents.map((document, feed) => {
    const body = Buffer.from(document);
    const etag = `"feed-${feed}-v1"`;
    return { body, etag, headers: { 'content-type': 'application/rss+xml; charset=utf-8', 'content-length': String(body.byteLength), etag } };
  });
  for (let host = 0; host < HOSTS; host++) {
    const server = createServer((request, response) => {
      requests++;
      const feed = Number(/\/feed\/(\d+)\.xml$/.exec(request.url ?? '')?.[1]);
      const answer = answers[feed];
      if (answer === undefined) {
        response.writeHead(404).end();
        return;
      }
      if (request.headers['if-none-match'] === answer.etag) {
        response.writeHead(304, { etag: answer.etag }).end();
        return;
      }
      response.writeHead(200, answer.headers).end(answer.body);
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

interface Measurement {
  ms: number;
  /** CPU time of the child (every thread) during the measured call alone. */
  callCpuMs: number;
  saveMs?: number;
  peakMb: number;
  /** User + system CPU of the whole child process (all threads, start-up included). */
  cpuMs: number;
  /** CPU this process (the loopback server) used while the child ran. */
  serverCpuMs: number;
  items: number;
  notModified?: number;
  failed?: number;
}

/** Runs the child under GNU time: its own wall time (printed by it), its peak RSS and CPU time. */
function measure(childArgs: string[]): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const timeFile = join(WORK, 'time.txt');
    // BENCH_NODE_ARGS (e.g. "--cpu-prof") goes to the measured process, for profiling.
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
    const serverCpu = process.cpuUsage();
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, process.execPath, ...nodeArgs, CHILD, ...childArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', async (code) => {
      if (code !== 0) return reject(new Error(`child exited ${code}: ${out}`));
      const server = process.cpuUsage(serverCpu);
      const [peakKb, user, system] = (await readFile(timeFile, 'utf8')).trim().split('\n').pop()!.split(' ').map(Number);
      resolve({
        ...(JSON.parse(out.trim().split('\n').pop()!) as { ms: number; callCpuMs: number; items: number }),
        peakMb: Math.round(peakKb! / 1024),
        cpuMs: Math.round((user! + system!) * 1000),
        serverCpuMs: Math.round((server.user + server.system) / 1000),
      });
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
console.log(`ingest bench: ${FEEDS} feeds × ${ITEMS} items (${totalKb} KB) on ${HOSTS} loopback hosts, Node ${process.version}, ${availableParallelism()} cores, ${RUNS} runs each (medians)\n`);

const cold: Measurement[] = [];
const warm: Measurement[] = [];
const bare: Measurement[] = [];
for (let run = 0; run < RUNS; run++) {
  const state = join(WORK, `state-${run}.json`);
  cold.push(await measure(['ingest', join(WORK, 'urls.json'), state]));
  warm.push(await measure(['ingest', join(WORK, 'urls.json'), state]));
  bare.push(await measure(['parse', join(WORK, 'docs')]));
}
await servers.close();

const cell = (runs: Measurement[], pick: (run: Measurement) => number, width = 7) => String(median(runs.map(pick))).padStart(width);
const row = (label: string, runs: Measurement[]) =>
  `| ${label.padEnd(34)} | ${cell(runs, (run) => run.ms)} | ${cell(runs, (run) => run.callCpuMs, 9)} | ${cell(runs, (run) => run.peakMb)} | ${String(runs[0]!.items).padStart(6)} | ${cell(runs, (run) => run.cpuMs)} | ${cell(runs, (run) => run.serverCpuMs)} |`;
console.log('| measurement                        | wall ms | call CPU⁰ | peak MB |  items | CPU ms¹ | srv ms² |');
console.log('|------------------------------------|---------|-----------|---------|--------|---------|---------|');
console.log(row('ingest, first run (fetch + parse)', cold));
console.log(row('rss-parser alone (same documents)', bare));
console.log(row('ingest, second run (all 304)', warm));
console.log('\n⁰ CPU ms (user + system) of the child during the measured call alone (every thread: garbage collection and compilation included); it depends less on what else the machine runs than wall ms.');
console.log('¹ user + system CPU of the whole child process (every thread, Node start-up and module loading included; wall ms is the measured call alone).');
console.log('² CPU used by the loopback feed server (this process) while the child ran: it shares the cores with the child.');
// Each round measures ingest and the bare parse about a second apart; single runs on a shared
// machine jitter by ±30 %, so every round is printed and the target is read against the medians.
const roundRatios = cold.map((run, round) => run.ms / bare[round]!.ms);
const ratio = median(cold.map((run) => run.ms)) / median(bare.map((run) => run.ms));
console.log(`\nRounds (first ingest ms / bare ms): ${cold.map((run, round) => `${run.ms}/${bare[round]!.ms} = ${roundRatios[round]!.toFixed(2)}×`).join(', ')}`);
console.log(`\nSaving the history afterwards (content/state.json, fsync included): ${median(cold.map((run) => run.saveMs ?? 0))} ms first run, ${median(warm.map((run) => run.saveMs ?? 0))} ms all-304 run — not in the wall times above.`);
const cpuRatio = median(cold.map((run) => run.callCpuMs)) / median(bare.map((run) => run.callCpuMs));
console.log(`ingest ÷ bare parsing: ${ratio.toFixed(2)}× (medians; target ≤ 1.5×), in CPU time of the call ${cpuRatio.toFixed(2)}× · all-304 run: ${median(warm.map((run) => run.ms))} ms (target < 1,000 ms), ${warm[0]!.notModified} of ${FEEDS} feeds answered 304`);
if (cold.some((run) => run.failed) || warm.some((run) => run.notModified !== FEEDS)) {
  console.log('WARNING: some feeds failed or did not answer 304; the figures above are not comparable.');
  process.exitCode = 1;
}
