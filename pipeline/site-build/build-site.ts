import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { displayPath, type ResolvedConfig } from '../config/niche-config.ts';
import { BuildFailed } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { onLines } from './on-lines.ts';
import { waitForBuildLock } from './build-lock.ts';

/**
 * build: content/ → dist/. Runs `astro build` in a child process, so Astro's memory is its own
 * (and measurable) and a crash in Astro cannot take the pipeline down. The child gets the niche
 * through environment variables that astro.config.mjs and site/lib/niche.ts read.
 *
 * The site is built into a staging folder next to the output folder and moved into place only
 * when the build succeeded: a failed build leaves the previous site untouched (Astro empties its
 * output folder before it starts).
 *
 * Astro runs with this package as root and working directory (where astro.config.mjs lives, and
 * where its bundle can resolve node_modules). It writes its generated `.astro/` folder there
 * whatever niche it builds, and, when the output folder is outside the package, also its temporary
 * prerender bundle (`.astro/.prerender/`). Two builds at once would break each other, so builds
 * started through here wait for each other (see ./build-lock.ts).
 */

export interface BuildOptions {
  /**
   * Progress lines: Astro's output without colours, minus its one line per generated page (those
   * are only in the log file, `<paths.cacheDir>/astro-build.log`).
   */
  log?: (line: string) => void;
  /** Cancels the build (the Astro process is terminated). */
  signal?: AbortSignal;
}

export interface BuildResult {
  ok: boolean;
  durationMs: number;
  /** Number of index.html files in the output folder after the build. */
  pages: number;
  findings: Finding[];
  /** Astro's complete output, written after every build. */
  logFile?: string;
}

/** The package root: the folder holding astro.config.mjs. */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

const REASON_MAX_LINES = 12;
const REASON_MAX_CHARS = 1200;

export async function buildSite(config: ResolvedConfig, options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const outDir = config.resolved.outDir;
  const logFile = join(config.resolved.cacheDir, 'astro-build.log');
  const failed = (reason: string, extra: Partial<Finding> = {}): BuildResult => ({
    ok: false,
    durationMs: Math.round(performance.now() - started),
    pages: 0,
    findings: [findingFrom(BuildFailed, [reason], extra)],
  });

  const unsafe = unsafeOutDir(config);
  if (unsafe) return failed(unsafe, { file: displayPath(config.root, config.configFile) });

  let release: () => Promise<void>;
  try {
    ({ release } = await waitForBuildLock({ signal: options.signal, log }));
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }

  const staging = `${outDir}.tmp-${process.pid}`;
  try {
    await removeLeftovers(outDir);
    await mkdir(dirname(outDir), { recursive: true });
    const astroBin = await resolveAstroBin();
    // The site needs no secret: the API key never reaches Astro or its log.
    const { OPENAI_API_KEY: _apiKey, ...inherited } = process.env;
    const env: NodeJS.ProcessEnv = {
      ...inherited,
      NICHEPRESS_ROOT: config.root,
      NICHEPRESS_CONFIG: config.configFile,
      NICHEPRESS_OUT_DIR: staging,
      NICHEPRESS_CACHE_DIR: join(config.resolved.cacheDir, 'astro'),
      ASTRO_TELEMETRY_DISABLED: '1',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    };
    const run = await runAstro(astroBin, env, { cwd: packageRoot, signal: options.signal, log });
    await writeLog(logFile, run.lines);
    const shownLog = displayPath(config.root, logFile);
    const result = (findings: Finding[], pages = 0): BuildResult => ({
      ok: findings.length === 0,
      durationMs: Math.round(performance.now() - started),
      pages,
      findings,
      logFile,
    });

    if (run.aborted) return result([findingFrom(BuildFailed, ['the build was cancelled'], { file: shownLog })]);
    if (run.exitCode !== 0) {
      const reason = failureReason(run.lines) || run.spawnError || `astro exited with ${run.signal ?? `code ${run.exitCode}`}`;
      const where = failureLocation(run.lines, config.root);
      return result([findingFrom(BuildFailed, [reason], where ?? { file: shownLog })]);
    }
    try {
      await moveIntoPlace(staging, outDir);
    } catch (error) {
      const reason = `the site was built but could not be moved to ${displayPath(config.root, outDir)}: ${(error as Error).message}`;
      return result([findingFrom(BuildFailed, [reason])]);
    }
    return result([], await countPages(outDir));
  } catch (error) {
    // Not Astro's failure but ours (a folder we cannot write, astro not installed): still a finding.
    return failed(error instanceof Error ? error.message : String(error));
  } finally {
    await rm(staging, { recursive: true, force: true }).catch(() => {});
    await release();
  }
}

/** Replaces `outDir` with the freshly built `staging` folder (two renames). */
async function moveIntoPlace(staging: string, outDir: string): Promise<void> {
  const previous = `${outDir}.old-${process.pid}`;
  let moved = false;
  try {
    await rename(outDir, previous);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    await rename(staging, outDir);
  } catch (error) {
    if (moved) await rename(previous, outDir).catch(() => {});
    throw error;
  }
  if (moved) await rm(previous, { recursive: true, force: true });
}

/** Staging or previous folders left by a build that was killed (we hold the lock: none is live). */
async function removeLeftovers(outDir: string): Promise<void> {
  const prefix = basename(outDir);
  const parent = dirname(outDir);
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return;
  }
  const leftover = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(tmp|old)-\\d+$`);
  await Promise.all(
    names.filter((name) => leftover.test(name)).map((name) => rm(join(parent, name), { recursive: true, force: true })),
  );
}

// ── the child process ──────────────────────────────────────────────────────────────────────────

interface AstroRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  aborted: boolean;
  spawnError?: string;
  lines: string[];
}

async function resolveAstroBin(): Promise<string> {
  const require = createRequire(join(packageRoot, 'package.json'));
  const manifestPath = require.resolve('astro/package.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.astro;
  if (!bin) throw new Error('the astro package declares no command-line entry');
  return join(dirname(manifestPath), bin);
}

function runAstro(
  astroBin: string,
  env: NodeJS.ProcessEnv,
  options: { cwd: string; signal: AbortSignal | undefined; log: (line: string) => void },
): Promise<AstroRun> {
  return new Promise((resolvePromise) => {
    const lines: string[] = [];
    const push = (line: string) => {
      const clean = stripAnsi(line).replace(/\s+$/, '');
      lines.push(clean);
      if (clean && !ROUTE_LINE.test(clean)) options.log(clean);
    };
    const child = spawn(process.execPath, [astroBin, 'build', '--root', packageRoot], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.signal ? { signal: options.signal, killSignal: 'SIGTERM' as const } : {}),
    });
    let spawnError: string | undefined;
    let aborted = false;
    for (const stream of [child.stdout, child.stderr]) onLines(stream, push);
    child.on('error', (error: Error) => {
      if (error.name === 'AbortError') aborted = true;
      else spawnError = `could not start astro: ${error.message}`;
    });
    child.on('close', (exitCode, signal) => {
      const run: AstroRun = { exitCode, signal, aborted: aborted || Boolean(options.signal?.aborted), lines };
      if (spawnError) run.spawnError = spawnError;
      resolvePromise(run);
    });
  });
}

// ── reading Astro's output ─────────────────────────────────────────────────────────────────────

/** Astro's one line per generated page: `12:00:00   ├─ /articles/x/index.html (+3ms)`. */
const ROUTE_LINE = /^(\d{2}:\d{2}:\d{2})?\s*[├└]─\s/;

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g;

function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Lines that are never part of a reason: stack frames and the sections after the message. */
const STACK_FRAME = /^\s*at\s.+/;
const SECTION = /^\s*(Stack trace|Error reference|Location|Hint):\s*$/;
const CAUSED_BY = /^\s*Caused by:\s*$/;
/** Astro's log lines start with a time; the blocks of its formatted errors do not. */
const TIMESTAMP = /^\d{2}:\d{2}:\d{2}\s+/;
/** The first line of an error printed without Astro's formatting. */
const ERROR_START = /^(\[[A-Za-z]*Error\]|\[ERROR\]|error\b|Error:|[A-Za-z]+Error:)/;

/**
 * The relevant last lines of Astro's output when it fails: the message of the last error Astro
 * printed and what caused it, without hints, locations or stack traces.
 */
export function failureReason(rawLines: readonly string[]): string {
  const lines = rawLines.map((line) => stripAnsi(line).replace(/\s+$/, ''));
  let start = -1;
  // Astro's formatted errors: a message block, then indented "Hint:", "Location:", "Stack trace:"…
  const lastSection = lines.findLastIndex((line) => SECTION.test(line));
  if (lastSection >= 0) {
    start = lastSection;
    while (start > 0 && !TIMESTAMP.test(lines[start - 1]!)) start -= 1;
  } else {
    start = lines.findLastIndex((line) => ERROR_START.test(line.replace(TIMESTAMP, '').trim()));
  }
  const picked: string[] = [];
  if (start >= 0) {
    let skipping = false;
    for (const line of lines.slice(start)) {
      const trimmed = line.replace(TIMESTAMP, '').trim();
      if (!trimmed) continue;
      if (CAUSED_BY.test(trimmed)) {
        skipping = false;
        picked.push('Caused by:');
        continue;
      }
      if (SECTION.test(trimmed)) {
        skipping = true;
        continue;
      }
      if (skipping || STACK_FRAME.test(line)) continue;
      picked.push(trimmed);
    }
  } else {
    for (const line of lines) {
      const trimmed = line.replace(TIMESTAMP, '').trim();
      if (trimmed && !STACK_FRAME.test(line)) picked.push(trimmed);
    }
    picked.splice(0, Math.max(0, picked.length - 5));
  }
  while (picked.at(-1) === 'Caused by:') picked.pop();
  let reason = picked.slice(0, REASON_MAX_LINES).join('\n');
  if (reason.length > REASON_MAX_CHARS) reason = `${reason.slice(0, REASON_MAX_CHARS - 1)}…`;
  return reason;
}

/**
 * Where the last error points (Astro prints it under `Location:`), unless that is inside
 * node_modules: an article with invalid frontmatter, a site file with a mistake.
 */
export function failureLocation(rawLines: readonly string[], root: string): Pick<Finding, 'file' | 'line' | 'column'> | undefined {
  const lines = rawLines.map((line) => stripAnsi(line).trim());
  const at = lines.lastIndexOf('Location:');
  const text = at >= 0 ? lines[at + 1] : undefined;
  const match = text ? /^(.+?):(\d+):(\d+)$/.exec(text) : null;
  if (!match) return undefined;
  const file = resolve(match[1]!);
  if (file.split(/[\\/]/).includes('node_modules')) return undefined;
  const location: Pick<Finding, 'file' | 'line' | 'column'> = { file: displayPath(root, file) };
  const line = Number(match[2]);
  const column = Number(match[3]);
  if (line > 0) {
    location.line = line;
    if (column > 0) location.column = column;
  }
  return location;
}

async function writeLog(file: string, lines: readonly string[]): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${lines.join('\n')}\n`);
  } catch {
    // The log is a convenience; a read-only cache folder must not fail the build.
  }
}

async function countPages(outDir: string): Promise<number> {
  try {
    const entries = await readdir(outDir, { recursive: true });
    return entries.filter((entry) => basename(entry) === 'index.html').length;
  } catch {
    return 0;
  }
}

// ── guards ─────────────────────────────────────────────────────────────────────────────────────

const isInside = (parent: string, child: string): boolean => {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** Astro empties the output folder first: refuse one that holds the project or its content. */
function unsafeOutDir(config: ResolvedConfig): string | undefined {
  const outDir = resolve(config.resolved.outDir);
  const precious = [config.root, config.configFile, config.resolved.articles, config.resolved.state, packageRoot];
  for (const path of precious) {
    if (isInside(outDir, resolve(path))) {
      return `paths.outDir (${config.resolved.outDir}) would contain ${path}, and Astro empties the output folder before building; choose a folder of its own, like dist`;
    }
  }
  return undefined;
}
