/**
 * Steady state: a scheduled run when nothing is new. The sample niche's feeds are served over
 * loopback HTTP with ETags, drafting goes through the real openai client to a local
 * OpenAI-compatible server. The cold run keeps the sample's fixed `clock:` (its October stories
 * are rising then, so it drafts); after it the clock line is removed and time is real, as on a
 * server. After the cold run and a second one (which settles), every further
 * `nichepress run --no-build` must:
 *
 * - get 304 Not Modified for every feed,
 * - make no LLM call,
 * - write no file under content/ (same bytes, same mtimes),
 *
 * and the pipeline part (no Astro build) should take under 2 s. Printed beside baselines
 * measured in the same run: bare `node -e ""`, `nichepress --help` (CLI start), and the cold run.
 *
 *   npm run bench:steady [-- --runs 9]
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { BIN, copySampleNiche } from '../helpers/cli.ts';
import { validReply } from '../helpers/fake-model.ts';
import { startFakeOpenAIServer } from '../helpers/fake-openai-server.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const RUNS = Math.max(3, Number(values.runs));

function timedRun(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ ms: number; code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // BENCH_NODE_ARGS (e.g. "--cpu-prof") goes to the measured process, for profiling.
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, stdout, stderr }));
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function contentFingerprint(root: string): Promise<Map<string, string>> {
  const folder = join(root, 'content');
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  const prints = await Promise.all(
    files.map(async (file) => {
      const [bytes, info] = await Promise.all([readFile(file), stat(file)]);
      return [relative(root, file), `${createHash('sha256').update(bytes).digest('hex')} ${info.mtimeMs}`] as const;
    }),
  );
  return new Map(prints.sort(([a], [b]) => (a < b ? -1 : 1)));
}

const root = await copySampleNiche();

// Feeds over loopback with ETags: an unchanged feed answers 304.
let feedRequests = 0;
let notModified = 0;
const feedsFolder = join(root, 'content/feeds');
const feedServer = createServer((req, res) => {
  void (async () => {
    feedRequests++;
    const name = basename(req.url ?? '');
    const body = await readFile(join(feedsFolder, name)).catch(() => undefined);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) {
      notModified++;
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': name.endsWith('.atom') ? 'application/atom+xml' : 'application/rss+xml', etag }).end(body);
  })();
});
await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
const feedBase = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/feeds/`;

const configFile = join(root, 'content/niche.yaml');
let config = await readFile(configFile, 'utf8');
const feedCount = [...config.matchAll(/^ {4}url: content\/feeds\/(.+)$/gm)].length;
config = config.replace(/^( {4}url: )content\/feeds\/(.+)$/gm, `$1${feedBase}$2`);
await writeFile(configFile, config);

const llm = await startFakeOpenAIServer({ respond: (body) => validReply(body) });
const env = { OPENAI_BASE_URL: llm.url, OPENAI_API_KEY: 'sk-bench' };
const runArgs = [BIN, 'run', '--no-build', '--json'];

try {
  const nodeStart: number[] = [];
  const cliStart: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    nodeStart.push((await timedRun(['-e', ''], root)).ms);
    cliStart.push((await timedRun([BIN, '--help'], root)).ms);
  }

  const cold = await timedRun(runArgs, root, env);
  if (cold.code !== 0) throw new Error(`the cold run failed (exit ${cold.code}):\n${cold.stderr}`);
  const coldCalls = llm.requests.length;
  // From here on the clock is real: a scheduled run on a server, days after those stories.
  await writeFile(configFile, config.replace(/^clock: .*\n/m, ''));
  const settle = await timedRun(runArgs, root, env);
  if (settle.code !== 0) throw new Error(`the second run failed (exit ${settle.code}):\n${settle.stderr}`);

  const before = await contentFingerprint(root);
  const steadyFrom = { calls: llm.requests.length, feeds: feedRequests, notModified };
  const wall: number[] = [];
  const inProcess: number[] = [];
  const problems: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    const calls = llm.requests.length;
    const fetched = feedRequests;
    const unchanged = notModified;
    const run = await timedRun(runArgs, root, env);
    if (run.code !== 0) problems.push(`run ${i + 1} exited ${run.code}: ${run.stderr.slice(-400)}`);
    wall.push(run.ms);
    inProcess.push((JSON.parse(run.stdout) as { durationMs: number }).durationMs);
    if (llm.requests.length !== calls) problems.push(`run ${i + 1} made ${llm.requests.length - calls} LLM call(s)`);
    if (feedRequests - fetched !== feedCount || notModified - unchanged !== feedCount) {
      problems.push(`run ${i + 1}: ${feedRequests - fetched} feed requests, ${notModified - unchanged} answered 304 (expected ${feedCount} and ${feedCount})`);
    }
  }
  const after = await contentFingerprint(root);
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((file) => before.get(file) !== after.get(file));
  if (changed.length > 0) problems.push(`files under content/ changed: ${changed.join(', ')}`);

  const fmt = (ms: number) => `${Math.round(ms)} ms`.padStart(9);
  console.log(`steady state: nichepress run --no-build, ${RUNS} runs after a cold run, ${feedCount} feeds over loopback (ETag), OpenAI-compatible server on loopback`);
  console.log('');
  console.log(`  node -e ""              median ${fmt(median(nodeStart))}   (process start, baseline)`);
  console.log(`  nichepress --help       median ${fmt(median(cliStart))}   (CLI start, baseline)`);
  console.log(`  cold run (drafts)              ${fmt(cold.ms)}   (${coldCalls} LLM calls)`);
  console.log(`  steady run, wall        median ${fmt(median(wall))}   min ${Math.round(Math.min(...wall))}, max ${Math.round(Math.max(...wall))}   (${(median(wall) / median(cliStart)).toFixed(1)}× CLI start, ${(median(wall) / cold.ms).toFixed(2)}× cold run)`);
  console.log(`  steady run, in-process  median ${fmt(median(inProcess))}   (the report's durationMs: config to report)`);
  console.log(`  steady runs: ${llm.requests.length - steadyFrom.calls} LLM calls; ${changed.length} files changed under content/; ${notModified - steadyFrom.notModified} of ${feedRequests - steadyFrom.feeds} feed requests answered 304`);
  console.log(`  under 2 s: ${median(wall) < 2000 ? 'yes' : 'NO'}`);
  if (problems.length > 0) {
    console.error(`\nsteady state broken:\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  }
} finally {
  await llm.close();
  await new Promise((resolve) => feedServer.close(resolve));
}
