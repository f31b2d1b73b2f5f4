/**
 * Drafting benchmark (`npm run bench:draft`): 20 topics through the real openai client against
 * the loopback fake server, every call answered after a fixed latency (default 300 ms), at the
 * configured concurrency (default 4). It prints, from the same run:
 *
 * - wall time of the draft stage (provider calls, assembly, validation, atomic writes),
 * - the ideal: calls × latency ÷ concurrency — what perfect overlap of the calls would take,
 * - the transport floor: the same number of bare `fetch` POSTs at the same concurrency,
 * - a second run over the same inputs (fresh articles and state, same cache): it must make 0 calls.
 *
 * The first run is repeated (`--runs`, each with an empty cache) and the median is quoted: these
 * machines are noisy. Target: median wall ≤ 1.3 × ideal. The exit code is 1 when the target or
 * the zero-call rerun is missed.
 *
 *   node test/bench/draft-bench.ts [--topics 20] [--latency 300] [--concurrency 4] [--runs 3]
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig, type ResolvedConfig } from '../../pipeline/config/niche-config.ts';
import type { Context } from '../../pipeline/context.ts';
import { createHttpClient } from '../../pipeline/lib/http-client.ts';
import { createOpenAIProvider } from '../../pipeline/draft/openai-provider.ts';
import { mapLimit } from '../../pipeline/lib/map-limit.ts';
import { draftAndWrite } from '../helpers/draft-and-write.ts';
import { emptyState } from '../../pipeline/state.ts';
import { validReply } from '../helpers/fake-model.ts';
import { startFakeOpenAIServer } from '../helpers/fake-openai-server.ts';
import { syntheticTopics } from '../helpers/synthetic-topics.ts';

const { values } = parseArgs({
  options: {
    topics: { type: 'string', default: '20' },
    latency: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '4' },
    runs: { type: 'string', default: '3' },
  },
});
const TOPICS = Number(values.topics);
const LATENCY = Number(values.latency);
const CONCURRENCY = Number(values.concurrency);
const RUNS = Number(values.runs);
const PACKAGE_ROOT = new URL('../..', import.meta.url).pathname;

async function configFor(root: string): Promise<ResolvedConfig> {
  const text = await readFile(join(PACKAGE_ROOT, 'content/niche.yaml'), 'utf8');
  const config = parseConfig(text, { root, configFile: join(root, 'content/niche.yaml') });
  // No caps: the benchmark measures overlap, not the budget.
  return { ...config, draft: { ...config.draft, maxArticles: TOPICS, concurrency: CONCURRENCY, maxTokens: undefined, maxCostUsd: undefined } };
}

/** The CLI's HTTP client, shared by every run of the benchmark as by every stage of a run. */
const http = createHttpClient();

function contextFor(config: ResolvedConfig): Context {
  return { config, now: new Date('2026-11-01T09:00:00Z'), offline: false, dryRun: false, noCache: false, log: () => {}, http, env: {} };
}

async function main(): Promise<number> {
  const server = await startFakeOpenAIServer({ latencyMs: LATENCY, respond: (body) => validReply(body, { prompt_tokens: 1500, completion_tokens: 700 }) });
  const roots: string[] = [];
  const list = syntheticTopics(TOPICS);

  /** One project root with an empty cache, articles folder and state; the provider as the CLI makes it. */
  const project = async () => {
    const root = await mkdtemp(join(tmpdir(), 'nichepress-draft-bench-'));
    roots.push(root);
    const config = await configFor(root);
    const provider = createOpenAIProvider({
      baseURL: server.url,
      model: 'gpt-4o-mini',
      timeoutMs: config.draft.timeoutMs,
      maxRetries: config.draft.maxRetries,
      maxOutputTokens: config.draft.maxOutputTokens,
      promptFile: join(PACKAGE_ROOT, 'prompts/article.md'),
      briefPromptFile: join(PACKAGE_ROOT, 'prompts/brief.md'),
      price: config.draft.prices['gpt-4o-mini'],
      logger: { error: console.error, warn: console.error, info: () => {}, debug: () => {} },
    });
    return { config, provider };
  };
  const draftAll = async ({ config, provider }: Awaited<ReturnType<typeof project>>) => {
    const before = server.requests.length;
    const started = performance.now();
    const result = await draftAndWrite(contextFor(config), emptyState(), list, provider);
    const wall = performance.now() - started;
    return { wall, calls: server.requests.length - before, counts: result.counts, errors: result.findings.filter((finding) => finding.severity === 'error') };
  };
  // The transport floor: the same number of POSTs, same latency, same concurrency, no SDK and no pipeline.
  const bareFetch = async (calls: number) => {
    const started = performance.now();
    await mapLimit(Array.from({ length: calls }, (_, index) => index), CONCURRENCY, async () => {
      const response = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: JSON.stringify({ messages: [] }), headers: { 'content-type': 'application/json' } });
      await response.text();
    });
    return performance.now() - started;
  };

  try {
    const firsts: Awaited<ReturnType<typeof draftAll>>[] = [];
    const floors: number[] = [];
    let last: Awaited<ReturnType<typeof project>> | undefined;
    for (let run = 0; run < RUNS; run++) {
      last = await project();
      const first = await draftAll(last);
      firsts.push(first);
      floors.push(await bareFetch(first.calls));
    }
    // Second run: same inputs, fresh articles folder and state, the same response cache.
    await rm(last!.config.resolved.articles, { recursive: true, force: true });
    const second = await draftAll(last!);
    const files = (await readdir(last!.config.resolved.articles)).length;

    const first = firsts[0]!;
    const ideal = (first.calls * LATENCY) / CONCURRENCY;
    const walls = firsts.map((run) => run.wall);
    const ratios = walls.map((wall) => wall / ideal);
    const ratio = median(ratios);
    const listed = (values: number[], digits = 0, unit = '') => values.map((value) => `${value.toFixed(digits)}${unit}`).join(', ');
    const rows = [
      ['topics', String(TOPICS)],
      ['latency per call', `${LATENCY} ms`],
      ['concurrency', String(CONCURRENCY)],
      ['runs (fresh cache each)', String(RUNS)],
      ['run 1: API calls', firsts.map((run) => run.calls).join(', ')],
      ['run 1: written / failed', `${first.counts.written} / ${first.counts.failed}`],
      ['run 1: tokens / cost', `${(first.counts.inputTokens ?? 0) + (first.counts.outputTokens ?? 0)} / $${(first.counts.costUsd ?? 0).toFixed(4)}`],
      ['ideal (calls × latency ÷ concurrency)', `${ideal.toFixed(0)} ms`],
      ['run 1: wall, median', `${median(walls).toFixed(0)} ms (${listed(walls, 0, ' ms')})`],
      ['transport floor (bare fetch), median', `${median(floors).toFixed(0)} ms (${listed(floors, 0, ' ms')})`],
      ['wall ÷ ideal, median', `${ratio.toFixed(3)}× (${listed(ratios, 3, '×')}) · target ≤ 1.3×`],
      ['run 2: API calls / cache hits', `${second.calls} / ${second.counts.cacheHits}`],
      ['run 2: written', `${second.counts.written} (${files} files)`],
      ['run 2: wall', `${second.wall.toFixed(0)} ms`],
    ];
    const width = Math.max(...rows.map(([label]) => label!.length));
    console.log(`nichepress draft benchmark · node ${process.version}`);
    for (const [label, value] of rows) console.log(`  ${label!.padEnd(width)}  ${value}`);
    for (const error of [...firsts.flatMap((run) => run.errors), ...second.errors].slice(0, 5)) console.log(`  error: ${error.message}`);

    const ok = ratio <= 1.3 && second.calls === 0 && firsts.every((run) => run.counts.written === TOPICS) && second.counts.written === TOPICS;
    console.log(ok ? '  result: target met' : '  result: TARGET MISSED');
    return ok ? 0 : 1;
  } finally {
    await server.close();
    await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

process.exitCode = await main();
