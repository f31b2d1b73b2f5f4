/**
 * Benchmarks `nichepress validate` and the site build on synthetic corpora, each next to its
 * baseline measured in the same run (these machines are noisy: quote ratios, not absolute times):
 *
 *   validate   `node pipeline/bin.mjs validate --json` (a child process, wall time, median of --runs)
 *   floor      gray-matter + the zod frontmatter schema alone, in this process, over the same files
 *   our build  `astro build` of the nichepress site, the same child process buildSite() runs
 *   bare build `astro build` of test/bench/bare-site (plain Astro) over the same files
 *
 * Builds are cold (their cache folders are deleted first). Peak memory is what all of a build's
 * processes hold at once (the search indexer is a process of its own), sampled from /proc; GNU
 * time gives the CPU seconds and the largest single process. A failed or out-of-memory build is
 * reported, never fatal.
 *
 * Usage: npm run bench [-- --sizes 1000,10000] [--runs 3] [--build-runs 1] [--seed 1]
 *                      [--bare-defer] [--skip-ours] [--skip-bare] [--max-old-space 8192] [--timeout-min 60]
 * Output: a table on stdout, test/bench/.work/results.json, build logs in test/bench/.work/logs/.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import matter from 'gray-matter';
import { articleFrontmatterSchema } from '../../pipeline/schema/article.ts';
import { acquireBuildLock, LOCK_DIR } from '../../pipeline/site-build/build-site.ts';
import { sampleTreeRss } from './process-tree-rss.ts';
import { generateCorpus, type CorpusStats } from './generate-corpus.ts';
import { onLines } from '../../pipeline/site-build/on-lines.ts';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BENCH_DIR = fileURLToPath(new URL('.//', import.meta.url));
const WORK = join(BENCH_DIR, '.work');
const LOGS = join(WORK, 'logs');
const BIN = join(PACKAGE_ROOT, 'pipeline', 'bin.mjs');
const SAMPLE_CONFIG = join(PACKAGE_ROOT, 'content', 'niche.yaml');
const BARE_SITE = join(BENCH_DIR, 'bare-site');
const BARE_ROOT = join(WORK, 'bare-root');
const GNU_TIME = '/usr/bin/time';
const BUILD_LOCK = LOCK_DIR;
const TAIL_LINES = 15;

// ── options ────────────────────────────────────────────────────────────────────────────────────

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    runs: { type: 'string', default: '3' },
    'build-runs': { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    'bare-defer': { type: 'boolean', default: false },
    'skip-ours': { type: 'boolean', default: false },
    'skip-bare': { type: 'boolean', default: false },
    'max-old-space': { type: 'string', default: '8192' },
    'timeout-min': { type: 'string', default: '60' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (args.help) {
  process.stdout.write(
    'Usage: npm run bench [-- --sizes 1000,10000] [--runs 3] [--build-runs 1] [--seed 1] [--bare-defer]\n' +
      '                     [--skip-ours] [--skip-bare] [--max-old-space 8192] [--timeout-min 60]\n',
  );
  process.exit(0);
}

const positiveInt = (name: string, text: string): number => {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    process.stderr.write(`run-bench: --${name} expects a positive integer, got "${text}"\n`);
    process.exit(2);
  }
  return value;
};

const sizes = args.sizes.split(',').map((part) => positiveInt('sizes', part.trim().replace(/_/g, '')));
const runs = positiveInt('runs', args.runs);
const buildRuns = positiveInt('build-runs', args['build-runs']);
const seed = positiveInt('seed', args.seed);
const timeoutMs = positiveInt('timeout-min', args['timeout-min']) * 60_000;
const NODE_OPTIONS = `--max-old-space-size=${positiveInt('max-old-space', args['max-old-space'])}`;

// ── small helpers ──────────────────────────────────────────────────────────────────────────────

const median = (numbers: readonly number[]): number => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const fmt = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const log = (line: string) => process.stdout.write(`${line}\n`);
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

async function countFiles(folder: string, name: string): Promise<number> {
  try {
    const entries = await readdir(folder, { recursive: true });
    return entries.filter((entry) => entry === name || entry.endsWith(`/${name}`)).length;
  } catch {
    return 0;
  }
}

function astroBin(): string {
  const require = createRequire(join(PACKAGE_ROOT, 'package.json'));
  const manifestPath = require.resolve('astro/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: string | Record<string, string>; version: string };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.astro;
  if (!bin) throw new Error('the astro package declares no command-line entry');
  return join(dirname(manifestPath), bin);
}

function astroVersion(): string {
  const require = createRequire(join(PACKAGE_ROOT, 'package.json'));
  return (JSON.parse(readFileSync(require.resolve('astro/package.json'), 'utf8')) as { version: string }).version;
}

// ── the build lock buildSite() takes ───────────────────────────────────────────────────────────

let lockHeld = false;

async function takeBuildLock(): Promise<void> {
  await acquireBuildLock({ signal: undefined, log: (line) => log(`  ${line}`) });
  lockHeld = true;
}

/** Synchronous, so it also runs from the process's exit handler. */
function releaseBuildLock(): void {
  if (!lockHeld) return;
  rmSync(BUILD_LOCK, { recursive: true, force: true });
  lockHeld = false;
}

// ── measuring a child process ──────────────────────────────────────────────────────────────────

type BuildStatus = 'ok' | 'failed' | 'oom' | 'timeout' | 'skipped';

interface BuildMeasure {
  status: BuildStatus;
  wallMs: number;
  /**
   * Peak memory of the build in KB: the most its whole process tree held at once (sum of RSS,
   * sampled every 250 ms; see process-tree-rss.ts), else GNU time's %M.
   */
  peakKB: number | null;
  /** The largest single process (GNU time %M): Astro's own Node process. */
  largestProcessKB: number | null;
  userS: number | null;
  sysS: number | null;
  exitCode: number | null;
  signal: string | null;
  /** index.html files written. */
  pages: number;
  /** The last lines of the build's output (all of it is in logFile). */
  tail: string[];
  logFile: string;
}

interface ChildRun {
  wallMs: number;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  tail: string[];
  sawOom: boolean;
  time: { peakKB: number; userS: number; sysS: number } | null;
  timeNote: string | undefined;
  treePeakKB: number | undefined;
}

let currentChild: ReturnType<typeof spawn> | undefined;

/** Runs `node <args>` under GNU time, streaming its output to logFile, with a heartbeat line. */
async function runMeasured(label: string, nodeArgs: string[], options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): Promise<ChildRun> {
  await mkdir(dirname(options.logFile), { recursive: true });
  const timeFile = `${options.logFile}.time`;
  await rm(timeFile, { force: true });
  const logStream = createWriteStream(options.logFile);
  logStream.write(`$ ${process.execPath} ${nodeArgs.join(' ')}\n# cwd ${options.cwd}\n# NODE_OPTIONS=${options.env.NODE_OPTIONS ?? ''}\n\n`);
  const tail: string[] = [];
  let sawOom = false;
  let pagesSeen = 0;
  let lastLine = '';
  const started = performance.now();

  let tree: ReturnType<typeof sampleTreeRss> | undefined;
  const result = await new Promise<Omit<ChildRun, 'time' | 'timeNote' | 'tail' | 'sawOom' | 'treePeakKB'>>((resolve) => {
    const child = spawn(GNU_TIME, ['-f', '%M %e %U %S', '-o', timeFile, process.execPath, ...nodeArgs], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a timeout can stop GNU time and the build together
    });
    currentChild = child;
    tree = child.pid ? sampleTreeRss(child.pid) : undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    const heartbeat = setInterval(() => {
      const seconds = Math.round((performance.now() - started) / 1000);
      log(`    … ${label}: ${seconds} s, ${pagesSeen} page lines in its output so far; last line: ${lastLine.slice(0, 100)}`);
    }, 60_000);
    const push = (raw: string) => {
      const line = raw.replace(ANSI, '').replace(/\s+$/, '');
      logStream.write(`${line}\n`);
      if (!line) return;
      lastLine = line;
      if (/index\.html/.test(line)) pagesSeen += 1;
      if (/heap out of memory|Reached heap limit|Allocation failed|ENOMEM/i.test(line)) sawOom = true;
      // Native stack frames of a crash say nothing to the reader of the table (they stay in the log).
      if (/^\s*\d+: 0x[0-9a-f]+|^----- Native stack trace -----$/.test(line)) return;
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    };
    for (const stream of [child.stdout, child.stderr]) if (stream) onLines(stream, push);
    child.on('error', (error) => {
      tail.push(`could not start ${GNU_TIME}: ${error.message}`);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      clearInterval(heartbeat);
      currentChild = undefined;
      resolve({ wallMs: Math.round(performance.now() - started), exitCode, signal, timedOut });
    });
  });
  const treePeakKB = tree?.stop();
  await new Promise<void>((resolve) => logStream.end(resolve));

  // GNU time writes "Command exited with non-zero status N" / "Command terminated by signal N"
  // before the formatted line when the command failed.
  let time: ChildRun['time'] = null;
  let timeNote: string | undefined;
  try {
    const lines = (await readFile(timeFile, 'utf8')).trim().split('\n');
    const match = /^(\d+) ([\d.]+) ([\d.]+) ([\d.]+)$/.exec(lines.at(-1) ?? '');
    if (match) time = { peakKB: Number(match[1]), userS: Number(match[3]), sysS: Number(match[4]) };
    timeNote = lines.slice(0, -1).join(' ') || undefined;
  } catch {
    timeNote = 'GNU time wrote no figures';
  }
  return { ...result, tail, sawOom, time, timeNote, treePeakKB };
}

async function measureBuild(label: string, nodeArgs: string[], options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string; outDir: string }): Promise<BuildMeasure> {
  log(`  ${label}: building… (log: ${relative(PACKAGE_ROOT, options.logFile)})`);
  const run = await runMeasured(label, nodeArgs, options);
  const killedBySignal = run.timeNote ? /terminated by signal (\d+)/.exec(run.timeNote)?.[1] : undefined;
  let status: BuildStatus = 'ok';
  if (run.timedOut) status = 'timeout';
  else if (run.sawOom || killedBySignal === '9') status = 'oom';
  else if (run.exitCode !== 0) status = 'failed';
  const measure: BuildMeasure = {
    status,
    wallMs: run.wallMs,
    peakKB: run.treePeakKB ?? run.time?.peakKB ?? null,
    largestProcessKB: run.time?.peakKB ?? null,
    userS: run.time?.userS ?? null,
    sysS: run.time?.sysS ?? null,
    exitCode: run.exitCode,
    signal: run.signal ?? (killedBySignal ? `signal ${killedBySignal}` : null),
    pages: status === 'ok' ? await countFiles(options.outDir, 'index.html') : 0,
    tail: run.timeNote && status !== 'ok' ? [...run.tail, run.timeNote] : run.tail,
    logFile: relative(PACKAGE_ROOT, options.logFile),
  };
  log(
    `  ${label}: ${status === 'ok' ? 'ok' : status.toUpperCase()} in ${fmt(measure.wallMs / 1000, 1)} s, peak ${
      measure.peakKB === null ? '?' : fmt(measure.peakKB / 1024)
    } MB (all its processes at once; largest single process ${measure.largestProcessKB === null ? '?' : fmt(measure.largestProcessKB / 1024)} MB), ${measure.pages} pages`,
  );
  return measure;
}

// ── the measurements ───────────────────────────────────────────────────────────────────────────

interface ValidateMeasure {
  ok: boolean;
  runsMs: number[];
  medianMs: number;
  /** The validate stage's own duration from the JSON report (no process start, no module loading). */
  stageMs: number[];
  exitCodes: Array<number | null>;
  files: number | null;
  errors: number | null;
  warnings: number | null;
  /** First findings or stderr lines when the corpus did not validate. */
  problems: string[];
}

async function measureValidate(root: string, expectedFiles: number): Promise<ValidateMeasure> {
  const measure: ValidateMeasure = { ok: true, runsMs: [], medianMs: 0, stageMs: [], exitCodes: [], files: null, errors: null, warnings: null, problems: [] };
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'validate', '--json'], {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1', OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', (error) => (stderr += error.message));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    measure.runsMs.push(Math.round(performance.now() - started));
    measure.exitCodes.push(result.code);
    try {
      const report = JSON.parse(result.stdout) as {
        stages?: Array<{ durationMs: number; counts: Record<string, number>; findings: Array<{ file?: string; line?: number; rule?: string; message: string }> }>;
      };
      const stage = report.stages?.[0];
      if (stage) {
        measure.stageMs.push(stage.durationMs);
        measure.files = stage.counts.files ?? null;
        measure.errors = stage.counts.errors ?? null;
        measure.warnings = stage.counts.warnings ?? null;
        if (run === 0) {
          measure.problems.push(...stage.findings.slice(0, 5).map((f) => `${f.file}:${f.line ?? 1} ${f.rule ?? ''} ${f.message}`));
        }
      }
    } catch {
      if (run === 0) measure.problems.push(...`${result.stderr}${result.stdout}`.trim().split('\n').slice(-TAIL_LINES));
    }
    if (result.code !== 0) measure.ok = false;
  }
  if (measure.files !== expectedFiles || measure.errors !== 0 || measure.warnings !== 0) measure.ok = false;
  measure.medianMs = median(measure.runsMs);
  return measure;
}

interface FloorMeasure {
  runsMs: number[];
  medianMs: number;
  files: number;
  invalid: number;
}

/**
 * gray-matter + the zod schema alone, in this process: the least any validator has to do. Files
 * are read synchronously (the cheapest way to get their text), so the floor is parsing, not I/O
 * waits.
 */
async function measureFloor(folder: string): Promise<FloorMeasure> {
  const measure: FloorMeasure = { runsMs: [], medianMs: 0, files: 0, invalid: 0 };
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const names = (await readdir(folder)).filter((name) => name.endsWith('.md')).sort();
    let invalid = 0;
    for (const name of names) {
      const text = readFileSync(join(folder, name), 'utf8');
      // An options object turns off gray-matter's cache, which would make repeat runs free.
      const { data } = matter(text, {});
      if (!articleFrontmatterSchema.safeParse(data).success) invalid += 1;
    }
    measure.runsMs.push(Math.round(performance.now() - started));
    measure.files = names.length;
    measure.invalid = invalid;
  }
  measure.medianMs = median(measure.runsMs);
  return measure;
}

function combineBuilds(measures: BuildMeasure[]): BuildMeasure & { runs?: Array<Pick<BuildMeasure, 'status' | 'wallMs' | 'peakKB'>> } {
  if (measures.length === 1) return measures[0]!;
  const failed = measures.find((measure) => measure.status !== 'ok');
  const base = failed ?? measures[0]!;
  const peaks = measures.map((measure) => measure.peakKB).filter((peak): peak is number => peak !== null);
  const largest = measures.map((measure) => measure.largestProcessKB).filter((peak): peak is number => peak !== null);
  const cpu = (key: 'userS' | 'sysS') => {
    const values = measures.map((measure) => measure[key]).filter((value): value is number => value !== null);
    return values.length ? median(values) : null;
  };
  return {
    ...base,
    wallMs: median(measures.map((measure) => measure.wallMs)),
    peakKB: peaks.length ? median(peaks) : null,
    largestProcessKB: largest.length ? median(largest) : null,
    userS: cpu('userS'),
    sysS: cpu('sysS'),
    runs: measures.map(({ status, wallMs, peakKB }) => ({ status, wallMs, peakKB })),
  };
}

const skipped = (): BuildMeasure => ({ status: 'skipped', wallMs: 0, peakKB: null, largestProcessKB: null, userS: null, sysS: null, exitCode: null, signal: null, pages: 0, tail: [], logFile: '' });

interface SizeResult {
  n: number;
  corpus: CorpusStats & { folder: string };
  validate: ValidateMeasure;
  floor: FloorMeasure;
  validateRatio: number;
  ours: BuildMeasure;
  bare: BuildMeasure;
  bareDefer?: BuildMeasure;
  /** ours ÷ bare, when both built. */
  buildRatio: { time: number; peak: number | null } | null;
}

async function benchSize(n: number, astro: string): Promise<SizeResult> {
  const root = join(WORK, `project-${n}`);
  const articles = join(root, 'content', 'articles');
  log(`\nN = ${fmt(n)}  (project root ${relative(PACKAGE_ROOT, root)})`);
  await mkdir(join(root, 'content'), { recursive: true });
  await copyFile(SAMPLE_CONFIG, join(root, 'content', 'niche.yaml'));
  // The sample config's social card (site.ogImage) comes along: the build reads it.
  await copyFile(join(PACKAGE_ROOT, 'content', 'og-card.png'), join(root, 'content', 'og-card.png'));
  await rm(articles, { recursive: true, force: true });
  const corpus = await generateCorpus({ count: n, folder: articles, seed });
  log(`  corpus: ${fmt(corpus.files)} articles, ${fmt(corpus.bytes / 1e6, 1)} MB, ${corpus.words.min}–${corpus.words.max} words (mean ${corpus.words.mean}), generated in ${fmt(corpus.ms)} ms`);

  const validate = await measureValidate(root, n);
  log(`  validate: ${validate.ok ? 'exit 0' : 'CORPUS DID NOT VALIDATE'}; median ${fmt(validate.medianMs)} ms (runs ${validate.runsMs.join(', ')} ms; stage alone ${validate.stageMs.join(', ')} ms)`);
  for (const problem of validate.problems) log(`    ${problem}`);
  const floor = await measureFloor(articles);
  log(`  floor (gray-matter + zod, in-process): median ${fmt(floor.medianMs)} ms (runs ${floor.runsMs.join(', ')} ms), ${floor.invalid} invalid`);

  const ourOut = join(root, 'dist');
  const ourCache = join(root, '.nichepress', 'astro');
  const bareOut = join(WORK, `bare-${n}`, 'dist');
  const bareCache = join(WORK, `bare-${n}`, 'cache');
  const bareDeferOut = join(WORK, `bare-defer-${n}`, 'dist');
  const bareDeferCache = join(WORK, `bare-defer-${n}`, 'cache');
  const common = { ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0', NODE_OPTIONS };

  const ours: BuildMeasure[] = [];
  const bare: BuildMeasure[] = [];
  const bareDefer: BuildMeasure[] = [];
  for (let run = 0; run < buildRuns; run += 1) {
    const suffix = buildRuns > 1 ? `-run${run + 1}` : '';
    if (!args['skip-ours']) {
      await rm(ourCache, { recursive: true, force: true });
      await rm(ourOut, { recursive: true, force: true });
      await takeBuildLock();
      try {
        ours.push(
          await measureBuild('our build', [astro, 'build'], {
            cwd: PACKAGE_ROOT,
            env: {
              ...process.env,
              NICHEPRESS_ROOT: root,
              NICHEPRESS_CONFIG: join(root, 'content', 'niche.yaml'),
              NICHEPRESS_OUT_DIR: ourOut,
              NICHEPRESS_CACHE_DIR: ourCache,
              ...common,
            },
            logFile: join(LOGS, `ours-${n}${suffix}.log`),
            outDir: ourOut,
          }),
        );
      } finally {
        releaseBuildLock();
      }
    }
    const bareVariants = args['skip-bare'] ? [] : args['bare-defer'] ? [false, true] : [false];
    for (const defer of bareVariants) {
      const out = defer ? bareDeferOut : bareOut;
      const cache = defer ? bareDeferCache : bareCache;
      await rm(cache, { recursive: true, force: true });
      await rm(out, { recursive: true, force: true });
      await rm(join(BARE_ROOT, '.astro'), { recursive: true, force: true });
      await mkdir(BARE_ROOT, { recursive: true });
      (defer ? bareDefer : bare).push(
        await measureBuild(defer ? 'bare build (deferRender)' : 'bare build', [astro, 'build', '--root', BARE_ROOT, '--config', relative(BARE_ROOT, join(BARE_SITE, 'astro.config.mjs'))], {
          cwd: PACKAGE_ROOT,
          env: {
            ...process.env,
            BENCH_BARE_ARTICLES: articles,
            BENCH_BARE_OUT_DIR: out,
            BENCH_BARE_CACHE_DIR: cache,
            BENCH_BARE_DEFER_RENDER: defer ? '1' : '0',
            ...common,
          },
          logFile: join(LOGS, `${defer ? 'bare-defer' : 'bare'}-${n}${suffix}.log`),
          outDir: out,
        }),
      );
    }
  }

  const oursResult = ours.length ? combineBuilds(ours) : skipped();
  const bareResult = bare.length ? combineBuilds(bare) : skipped();
  const result: SizeResult = {
    n,
    corpus: { ...corpus, folder: relative(PACKAGE_ROOT, articles) },
    validate,
    floor,
    validateRatio: floor.medianMs > 0 ? validate.medianMs / floor.medianMs : NaN,
    ours: oursResult,
    bare: bareResult,
    buildRatio:
      oursResult.status === 'ok' && bareResult.status === 'ok'
        ? {
            time: oursResult.wallMs / bareResult.wallMs,
            peak: oursResult.peakKB !== null && bareResult.peakKB !== null ? oursResult.peakKB / bareResult.peakKB : null,
          }
        : null,
  };
  if (bareDefer.length) result.bareDefer = combineBuilds(bareDefer);
  return result;
}

// ── reporting ──────────────────────────────────────────────────────────────────────────────────

function buildCell(measure: BuildMeasure): string {
  if (measure.status === 'skipped') return 'skipped';
  if (measure.status !== 'ok') return `${measure.status.toUpperCase()} after ${fmt(measure.wallMs / 1000, 1)} s`;
  return `${fmt(measure.wallMs / 1000, 1)} s / ${measure.peakKB === null ? '?' : fmt(measure.peakKB / 1024)} MB`;
}

function table(results: readonly SizeResult[]): string {
  const header = ['N', 'validate ms', '(stage ms)', 'floor ms', 'ratio', 'our build (s / peak MB)', 'bare build (s / peak MB)', 'ours ÷ bare (time / peak)'];
  const rows = results.map((result) => [
    fmt(result.n),
    `${fmt(result.validate.medianMs)}${result.validate.ok ? '' : ' (INVALID)'}`,
    result.validate.stageMs.length ? `(${fmt(median(result.validate.stageMs))})` : '?',
    fmt(result.floor.medianMs),
    `${fmt(result.validateRatio, 1)}×`,
    buildCell(result.ours),
    buildCell(result.bare),
    result.buildRatio ? `${fmt(result.buildRatio.time, 2)}× / ${result.buildRatio.peak === null ? '?' : `${fmt(result.buildRatio.peak, 2)}×`}` : '—',
  ]);
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => (column === 0 || column > 4 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  const out = [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)];
  const extras: string[] = [];
  for (const result of results) {
    if (result.bareDefer) {
      const defer = result.bareDefer;
      const ratio =
        result.ours.status === 'ok' && defer.status === 'ok'
          ? ` — ours ÷ it: ${fmt(result.ours.wallMs / defer.wallMs, 2)}× time${result.ours.peakKB && defer.peakKB ? ` / ${fmt(result.ours.peakKB / defer.peakKB, 2)}× peak` : ''}`
          : '';
      extras.push(`N = ${fmt(result.n)}: bare build with deferRender: ${buildCell(defer)}${ratio}`);
    }
    for (const [name, measure] of [
      ['our build', result.ours],
      ['bare build', result.bare],
      ['bare build (deferRender)', result.bareDefer],
    ] as const) {
      if (!measure || measure.status === 'ok' || measure.status === 'skipped') continue;
      extras.push(
        `N = ${fmt(result.n)}: ${name} ${measure.status.toUpperCase()} (exit ${measure.exitCode ?? measure.signal ?? '?'}); last lines (full log: ${measure.logFile}):`,
        ...measure.tail.map((tailLine) => `    ${tailLine}`),
      );
    }
  }
  return [...out, ...(extras.length ? ['', ...extras] : [])].join('\n');
}

/**
 * A digest of the code under test (site, pipeline, astro.config.mjs, bare site), so a result can
 * be tied to a version of it, and a change in the middle of a run is noticed.
 */
async function sourceDigest(): Promise<{ digest: string; files: number }> {
  const hash = createHash('sha256');
  const files: string[] = [join(PACKAGE_ROOT, 'astro.config.mjs')];
  for (const folder of [join(PACKAGE_ROOT, 'site'), join(PACKAGE_ROOT, 'pipeline'), BARE_SITE]) {
    for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files.push(join(entry.parentPath, entry.name));
    }
  }
  files.sort();
  for (const file of files) {
    hash.update(relative(PACKAGE_ROOT, file));
    hash.update(await readFile(file));
  }
  return { digest: hash.digest('hex').slice(0, 16), files: files.length };
}

// ── main ───────────────────────────────────────────────────────────────────────────────────────

process.on('exit', releaseBuildLock);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (currentChild?.pid) {
      try {
        process.kill(-currentChild.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    releaseBuildLock();
    process.exit(130);
  });
}

const astro = astroBin();
const startedAt = new Date();
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  totalMemGB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  astro: astroVersion(),
  platform: `${process.platform} ${process.arch}`,
};
log(`nichepress bench · sizes ${sizes.map((n) => fmt(n)).join(', ')} · seed ${seed} · validate/floor runs ${runs} (median) · build runs ${buildRuns}`);
log(`machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.totalMemGB} GB · node ${machine.node} · astro ${machine.astro}`);
log(`builds run with NODE_OPTIONS=${NODE_OPTIONS}; peak = the most memory all of a build's processes held at once (RSS summed over its process tree every 250 ms; the largest single process, GNU time %M, is in the log lines); caches deleted before each build (cold)`);

await mkdir(WORK, { recursive: true });
const sourceAtStart = await sourceDigest();
let sourceAtEnd = sourceAtStart;
log(`code under test: digest ${sourceAtStart.digest} over ${sourceAtStart.files} files (site/, pipeline/, astro.config.mjs, bare-site/)`);
const resultsFile = join(WORK, 'results.json');
const results: SizeResult[] = [];
const save = () =>
  writeFileSync(
    resultsFile,
    `${JSON.stringify(
      {
        command: `node test/bench/run-bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        machine,
        nodeOptions: NODE_OPTIONS,
        seed,
        runs,
        buildRuns,
        source: { atStart: sourceAtStart.digest, atEnd: sourceAtEnd.digest, changedDuringRun: sourceAtStart.digest !== sourceAtEnd.digest },
        results,
      },
      null,
      2,
    )}\n`,
  );

for (const n of sizes) {
  results.push(await benchSize(n, astro));
  sourceAtEnd = await sourceDigest();
  save();
}

log(`\n${table(results)}\n`);
if (sourceAtEnd.digest !== sourceAtStart.digest) {
  log(`WARNING: the code under test changed during this run (digest ${sourceAtStart.digest} → ${sourceAtEnd.digest}); the builds may not be comparable.`);
}
log(`Results: ${relative(PACKAGE_ROOT, resultsFile)}`);
if (results.some((result) => !result.validate.ok)) process.exitCode = 1;
