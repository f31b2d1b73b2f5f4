import type { Dispatcher } from 'undici';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { displayPath, loadConfig } from './config/niche-config.ts';
import type { Context, StageReport } from './context.ts';
import { RunLocked, ScheduledJobSkipped, UnknownCommand, UsageInvalid } from './errors/catalogue.ts';
import { NichepressError } from './errors/nichepress-error.ts';
import { acquireRunLock, type LockOwner } from './maintenance/run-lock.ts';
import { createHttpClient } from './lib/http-client.ts';
import { clearScratch } from './lib/scratch-dir.ts';
import { formatReport, makeReport, saveReport } from './report.ts';
import { commandBuild, commandCheckLinks, commandDecide, commandDraft, commandDrafts, commandIngest, commandNewsletter, commandRun, commandSocial, commandTrends, commandValidate } from './run.ts';
import { isProcessAlive } from './maintenance/process-alive.ts';

/**
 * The command line: argv → command → report → exit code. The only module that touches
 * `process` (argv, env, stdout/stderr, exit code); everything else gets a Context.
 *
 * Exit codes: 0 success · 1 some items failed or validation found errors · 2 usage or config error.
 */

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

const GLOBAL_OPTIONS = {
  config: { type: 'string' },
  json: { type: 'boolean' },
  offline: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies OptionSpec;

interface CommandSpec {
  summary: string;
  usage: string;
  options: OptionSpec;
  positionals: boolean;
  details?: string;
}

const RETRY_HELP =
  '--retry <slug> asks the model again, now (batch mode too), for one topic: a draft on the desk or a topic whose answer was cached as a failure.\n' +
  'The draft is replaced only by a better answer (fewer error-level findings than the file has now); the other topics use the cache as usual.';

const COMMANDS: Record<string, CommandSpec> = {
  init: {
    summary: 'Create a new niche in a folder: a commented niche.yaml and empty content folders',
    usage: 'nichepress init <dir> [--title <site title>] [--feed <url-or-file>]… [--language <code>] [--url <site url>] [--yes]',
    options: {
      title: { type: 'string' },
      feed: { type: 'string', multiple: true },
      language: { type: 'string' },
      url: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
    },
    positionals: true,
    details:
      'At a terminal, asks for what the flags leave out (the flags are the defaults); --yes asks nothing (scripts, CI).\n' +
      'Paths in the new niche.yaml are relative to <dir> (root: .), so everything the niche writes stays in <dir>.\n' +
      'Never overwrites: a <dir> that already holds a niche.yaml is refused (NP1008, exit 2).',
  },
  niches: {
    summary: 'List the niches of this project: content/ and every sites/<name>/ with a niche.yaml',
    usage: 'nichepress niches [--json]',
    options: {},
    positionals: false,
    details: 'Each niche is loaded with the same checks as a run. --json prints the list for scripts (the publish workflow builds its matrix from it).',
  },
  run: {
    summary: 'Run the whole pipeline: ingest → trends → draft → validate → newsletter → build → email → social',
    usage: 'nichepress run [--no-cache] [--no-build] [--retry <slug>] [global flags]',
    options: { 'no-cache': { type: 'boolean' }, 'no-build': { type: 'boolean' }, retry: { type: 'string' } },
    positionals: false,
    details:
      '--no-build skips the Astro build (run nichepress build on its own, e.g. in a CI step after committing the content).\n' +
      RETRY_HELP,
  },
  ingest: {
    summary: 'Read the feeds and add new items to the history',
    usage: 'nichepress ingest [--feed <url-or-path>]… [global flags]',
    options: { feed: { type: 'string', multiple: true } },
    positionals: false,
    details: '--feed checks feeds that are not in the config (repeatable); they are not added to the history.',
  },
  trends: {
    summary: 'Rank rising topics we have not covered yet',
    usage: 'nichepress trends [global flags]',
    options: {},
    positionals: false,
  },
  draft: {
    summary: 'Draft articles for the top topics and write them to content/articles',
    usage: 'nichepress draft [--no-cache] [--retry <slug>] [global flags]',
    options: { 'no-cache': { type: 'boolean' }, retry: { type: 'string' } },
    positionals: false,
    details: RETRY_HELP,
  },
  validate: {
    summary: 'Check articles: frontmatter schema and lint rules',
    usage: 'nichepress validate [paths…] [global flags]',
    options: {},
    positionals: true,
    details: 'Paths are files or folders (default: the articles folder from the config).',
  },
  'check-links': {
    summary: 'Check external links over HTTP (ok / broken / unknown) and the internal links of dist/',
    usage: 'nichepress check-links [--no-cache] [global flags]',
    options: { 'no-cache': { type: 'boolean' } },
    positionals: false,
    details:
      'External: body links, sources and affiliate links of published articles, throttled per host, HEAD then GET, retries honouring retry-after;\n' +
      'bot walls (403/429/503) and timeouts are "unknown", never "broken". Affiliate links are followed to the merchant with their tag.\n' +
      'Verdicts are cached in .nichepress/link-check-cache.json (checkLinks.cacheTtlHours); --no-cache rechecks everything.\n' +
      'Internal: every href/src of the built site in dist/ must exist. --offline checks the internal links only.',
  },
  build: {
    summary: 'Build the static site into dist/ with Astro',
    usage: 'nichepress build [global flags]',
    options: {},
    positionals: false,
  },
  newsletter: {
    summary: 'Make a newsletter issue from articles published since the last one',
    usage: 'nichepress newsletter [global flags]',
    options: {},
    positionals: false,
    details: 'Writes the issue source to content/newsletter/ and every issue\'s email.html, email.txt, issue.md and issue.eml to the outbox (newsletter.outDir, default .nichepress/outbox/newsletter/<issue>/), which is never deployed. Run build to add a new issue to the site\'s archive.',
  },
  social: {
    summary: 'Write posts for X, Bluesky, Mastodon and LinkedIn for articles that have none yet',
    usage: 'nichepress social [global flags]',
    options: {},
    positionals: false,
    details: 'Records the posts in content/social/<batch>.json and exports every batch to the outbox (social.outDir, default .nichepress/outbox/social/) as JSON and markdown.',
  },
  drafts: {
    summary: 'List the drafts waiting on the editor\'s desk, with their findings',
    usage: 'nichepress drafts [global flags]',
    options: {},
    positionals: false,
    details: 'A draft is an article with draft: true: the pipeline keeps a draft that failed validation instead of throwing a paid answer away.\nEach is checked as it is now, so a fix made by hand shows at once.',
  },
  approve: {
    summary: 'Publish a draft once no error-level finding remains',
    usage: 'nichepress approve <slug> [global flags]',
    options: {},
    positionals: true,
    details: 'Validates the file as it is now; with no error it removes draft: true and the recorded findings and dates it today (exit 0),\notherwise it prints the findings and leaves it a draft (exit 1).',
  },
  reject: {
    summary: 'Take a draft off the desk for good',
    usage: 'nichepress reject <slug> [global flags]',
    options: {},
    positionals: true,
    details: 'Moves the file to the rejected folder beside the articles folder (content/rejected/, kept in git) and records the topic as rejected,\nso it is never drafted again. Move the file back to undo.',
  },
  desk: {
    summary: 'Serve the review page on 127.0.0.1: each draft rendered with its findings, and Approve / Reject buttons',
    usage: 'nichepress desk [--port <n>] [global flags]',
    options: { port: { type: 'string' } },
    positionals: false,
    details: 'Default port 4322 (0 picks a free one). The buttons do what approve and reject do. Stop it with Ctrl-C.',
  },
  schedule: {
    summary: 'Run the stages on the cron schedules from the config until stopped',
    usage: 'nichepress schedule [--once <job>] [global flags]',
    options: { once: { type: 'string' } },
    positionals: false,
    details:
      'Jobs: ingest, publish (the whole run), newsletter, check-links — each on its cron expression under schedule: in the config, in schedule.timezone.\n' +
      'A job due while the previous one still runs, or while another process holds .nichepress/run.lock, is skipped and logged.\n' +
      'SIGINT/SIGTERM: the job in hand finishes or abandons its current item, the lock is released, exit 0.\n' +
      '--once <job> runs one job now and exits with its code (3 when another run holds the lock).',
  },
};

const GLOBAL_HELP = `Global flags:
  --config <file>   config file (default: content/niche.yaml)
  --json            print the report as JSON on stdout (and nothing else)
  --offline         never touch the network
  --dry-run         compute everything, write nothing
  -h, --help        show help
  -v, --version     print the nichepress version`;

export function usage(): string {
  const lines = ['Usage: nichepress <command> [flags]', '', 'Commands:'];
  for (const [name, spec] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(11)} ${spec.summary}`);
  lines.push('', GLOBAL_HELP, '', 'Run nichepress <command> --help for a command\'s flags.');
  return lines.join('\n');
}

function commandHelp(spec: CommandSpec): string {
  const lines = [`${spec.summary}.`, '', `Usage: ${spec.usage}`];
  if (spec.details) lines.push('', spec.details);
  lines.push('', GLOBAL_HELP);
  return lines.join('\n');
}

export interface CliIo {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  /** stderr is a terminal: progress redraws one status line there (never in CI). */
  stderrIsTTY?: boolean;
  /** The HTTP client to use instead of the CLI's own (which is made per command and closed after it). */
  http?: Dispatcher;
  /** Answers for `init`'s questions, asked only when stdin is a terminal. */
  stdin?: import('node:stream').Readable;
  stdinIsTTY?: boolean;
}

/** Runs the CLI and returns the exit code (the caller sets process.exitCode). */
export async function main(io: CliIo): Promise<number> {
  const [name, ...rest] = io.argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${await packageVersion()}\n`);
    return 0;
  }
  const spec = COMMANDS[name];
  if (!spec) {
    const error = NichepressError.from(UnknownCommand, [name]);
    io.stderr(`nichepress: ${error.message} (${error.code})\n\n${usage()}\n`);
    return 2;
  }

  let values: Record<string, string | boolean | string[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...spec.options },
      allowPositionals: spec.positionals,
      strict: true,
    }) as { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? 'invalid arguments';
    io.stderr(`nichepress ${name}: ${message} (${UsageInvalid.code})\n\nUsage: ${spec.usage}\nRun nichepress ${name} --help for details.\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${commandHelp(spec)}\n`);
    return 0;
  }
  if ((name === 'approve' || name === 'reject') && positionals.length !== 1) {
    io.stderr(`nichepress ${name}: expected exactly one draft slug (${UsageInvalid.code})\n\nUsage: ${spec.usage}\nRun nichepress drafts to list the slugs.\n`);
    return 2;
  }
  const port = values.port === undefined ? 4322 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr(`nichepress ${name}: --port must be a whole number from 0 to 65535 (${UsageInvalid.code})\n`);
    return 2;
  }

  if (name === 'init') return commandInit(values, positionals, io);
  if (name === 'niches') return commandNiches(values.json === true, io);

  const json = values.json === true;
  const stop = listenForStop((line) => io.stderr(`${line}\n`));
  // Made on first use (most commands never touch the network), and closed when the command ends:
  // kept-alive connections would otherwise hold the process open.
  let ownHttp: Dispatcher | undefined;
  try {
    const config = await loadConfig({ root: io.cwd, configPath: values.config as string | undefined });
    const startedAt = new Date();
    let statusShown = false;
    const context: Context = {
      config,
      now: config.clock ?? startedAt,
      offline: values.offline === true,
      dryRun: values['dry-run'] === true,
      noCache: values['no-cache'] === true,
      // A log line written while a status line shows first clears it, so the two never share a line.
      log: (line) => io.stderr(`${statusShown ? '\r\u001b[2K' : ''}${line}\n`),
      ...(io.stderrIsTTY && !io.env.CI
        ? {
            status: (line: string) => {
              io.stderr(`\r\u001b[2K${line}`);
              statusShown = line !== '';
            },
          }
        : {}),
      get http() {
        return io.http ?? (ownHttp ??= createHttpClient());
      },
      env: io.env,
      signal: stop.signal,
    };

    // The commands that may call the API check its variables once, before anything runs.
    if (!context.offline && API_COMMANDS.has(name)) (await import('./draft/endpoint-env.ts')).checkEndpointEnv(io.env);
    if (name === 'desk') return await serveDesk(context, io, stop, port);

    if (name === 'schedule') {
      const { runSchedule } = await import('./maintenance/schedule.ts');
      return await runSchedule(context, { once: values.once as string | undefined, signal: stop.signal, runJob: (job) => runJob(job, context, io, stop) });
    }

    // Every command that writes holds the project's run lock; a second process does nothing.
    let lock: Awaited<ReturnType<typeof takeRunLock>> | undefined;
    if (WRITING_COMMANDS.has(name) && !context.dryRun) {
      lock = await takeRunLock(context, name);
      if (!lock.acquired) {
        const error = NichepressError.from(RunLocked, [displayPath(io.cwd, lock.file), describeOwner(lock.owner), name]);
        if (json) io.stdout(`${JSON.stringify({ tool: 'nichepress', command: name, ok: false, exitCode: EXIT_LOCKED, error: error.toFinding() }, null, 2)}\n`);
        io.stderr(`nichepress: ${error.format()}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
        return EXIT_LOCKED;
      }
      stop.onForce(lock.releaseSync);
    }
    let stages: StageReport[];
    try {
      stages = await runCommand(name, context, {
        paths: positionals,
        feeds: ((values.feed as string[] | undefined) ?? []).map((url) => ({ name: url, url })),
        build: values['no-build'] !== true,
        retry: values.retry as string | undefined,
      });
    } finally {
      if (lock?.acquired) await lock.release();
    }
    const report = makeReport({
      command: name,
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
      clock: context.now,
      offline: context.offline,
      dryRun: context.dryRun,
      stages,
    });
    let savedTo: string | undefined;
    if (!context.dryRun) {
      // Relative to where the user ran the command (a niche's own root may be a subfolder).
      savedTo = displayPath(io.cwd, await saveReport(join(config.resolved.cacheDir, 'reports'), report));
    }
    if (json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else io.stdout(formatReport(report, { color: io.isTTY && !io.env.NO_COLOR, savedTo }));
    // Stopped by SIGINT/SIGTERM: what was done is kept, the rest waits for the next run.
    return stop.signal.aborted ? 0 : report.exitCode;
  } catch (error) {
    if (error instanceof NichepressError) {
      if (json) io.stdout(`${JSON.stringify({ tool: 'nichepress', command: name, ok: false, exitCode: 2, error: error.toFinding() }, null, 2)}\n`);
      io.stderr(`nichepress: ${error.format()}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
      return 2;
    }
    throw error;
  } finally {
    stop.dispose();
    // Nothing of the command's is in flight any more; a request abandoned on SIGINT/SIGTERM is cut off.
    await ownHttp?.destroy();
  }
}

/** `init` needs no config: it writes one. */
async function commandInit(values: Record<string, string | boolean | string[] | undefined>, positionals: string[], io: CliIo): Promise<number> {
  const { runInit } = await import('./init/init-command.ts');
  try {
    if (positionals.length > 1) throw NichepressError.from(UsageInvalid, [`init takes one folder, got ${positionals.length}: ${positionals.join(' ')}`]);
    const { next } = await runInit({
      cwd: io.cwd,
      dir: positionals[0],
      flags: {
        title: values.title as string | undefined,
        feed: values.feed as string[] | undefined,
        language: values.language as string | undefined,
        url: values.url as string | undefined,
        yes: values.yes === true,
      },
      stdin: io.stdin,
      stdinIsTTY: io.stdinIsTTY,
      prompt: io.stderr,
    });
    io.stdout(next);
    return 0;
  } catch (error) {
    if (!(error instanceof NichepressError)) throw error;
    io.stderr(`nichepress: ${error.format()}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
    return 2;
  }
}

async function commandNiches(json: boolean, io: CliIo): Promise<number> {
  const { listNiches } = await import('./config/list-niches.ts');
  try {
    const niches = await listNiches(io.cwd);
    if (json) io.stdout(`${JSON.stringify(niches)}\n`);
    else io.stdout(niches.map((niche) => `${niche.name.padEnd(20)} ${niche.config.padEnd(36)} ${niche.site}\n`).join('') || 'No niche here: run nichepress init <dir>.\n');
    return 0;
  } catch (error) {
    if (!(error instanceof NichepressError)) throw error;
    io.stderr(`nichepress: ${error.format()}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
    return 2;
  }
}

async function packageVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/** Exit code when another process holds the run lock: nothing was done (like `flock -n`). */
const EXIT_LOCKED = 3;

/** The commands that may call an OpenAI-compatible API. */
const API_COMMANDS = new Set(['run', 'draft', 'newsletter', 'schedule']);

/** The commands that write content, state or the site: one at a time per project. */
const WRITING_COMMANDS = new Set(['run', 'ingest', 'draft', 'newsletter', 'social', 'build', 'approve', 'reject']);

async function takeRunLock(context: Context, command: string) {
  const lock = await acquireRunLock(join(context.config.resolved.cacheDir, 'run.lock'), {
    pid: process.pid,
    host: hostname(),
    command,
    now: new Date(),
    isAlive: isProcessAlive,
  });
  // Temp files of writes killed half-way; nobody else writes while we hold the lock.
  if (lock.acquired) await clearScratch(context.config);
  return lock;
}

function describeOwner(owner: LockOwner | undefined): string {
  if (!owner) return 'a process that is still writing the lock file';
  return `nichepress ${owner.command ?? ''} (pid ${owner.pid} on ${owner.host}, since ${owner.startedAt})`.replace('  ', ' ');
}

interface StopSignals {
  signal: AbortSignal;
  /** Runs `cleanup` before a forced exit (a second SIGINT/SIGTERM); returns an unsubscribe. */
  onForce: (cleanup: () => void) => () => void;
  dispose: () => void;
}

/**
 * SIGINT/SIGTERM abort the context's signal: the stage in hand finishes or abandons its item,
 * nothing new starts, the lock is released and the exit code is 0. A second signal exits at
 * once (130), still releasing the lock; every write is atomic, so nothing is half-written.
 */
function listenForStop(log: (line: string) => void): StopSignals {
  const controller = new AbortController();
  const cleanups: (() => void)[] = [];
  const onSignal = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      log(`nichepress: ${signal} received, finishing the item in hand (send it again to stop at once)`);
      controller.abort(signal);
      return;
    }
    for (const cleanup of cleanups) cleanup();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    onForce: (cleanup) => {
      cleanups.push(cleanup);
      return () => void cleanups.splice(cleanups.indexOf(cleanup) >>> 0, 1);
    },
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

async function runCommand(
  name: string,
  context: Context,
  args: { paths: string[]; feeds: { name: string; url: string }[]; build?: boolean; retry?: string | undefined },
): Promise<StageReport[]> {
  switch (name) {
    case 'run':
      return commandRun(context, await (await import('./draft/select-provider.ts')).selectProvider(context), { build: args.build !== false, retry: args.retry });
    case 'ingest':
      return commandIngest(context, args.feeds);
    case 'trends':
      return commandTrends(context);
    case 'draft':
      return (await commandDraft(context, await (await import('./draft/select-provider.ts')).selectProvider(context), undefined, { retry: args.retry })).reports;
    case 'validate':
      return commandValidate(context, args.paths);
    case 'check-links':
      return commandCheckLinks(context);
    case 'build':
      return commandBuild(context);
    case 'newsletter':
      return commandNewsletter(context);
    case 'social':
      return commandSocial(context);
    case 'drafts':
      return commandDrafts(context);
    case 'approve':
    case 'reject':
      return commandDecide(context, name, args.paths[0]!);
    default:
      throw NichepressError.from(UnknownCommand, [name]);
  }
}

/** One scheduled job: the same code path as the command, with a fresh clock each time. */
async function runJob(job: 'ingest' | 'publish' | 'newsletter' | 'check-links', base: Context, io: CliIo, stop: StopSignals): Promise<number> {
  const startedAt = new Date();
  const context: Context = { ...base, now: base.config.clock ?? startedAt };
  const command = job === 'publish' ? 'run' : job;
  // The job takes the run lock like the command would: a manual run or a CI job on the same
  // project wins, and this job is skipped (and logged) rather than run on top of it.
  const lock = context.dryRun ? undefined : await takeRunLock(context, command);
  if (lock && !lock.acquired) {
    const finding = NichepressError.from(ScheduledJobSkipped, [job, `${displayPath(context.config.root, lock.file)} is held by ${describeOwner(lock.owner)}`]);
    io.stderr(`${finding.format()}\n`);
    return EXIT_LOCKED;
  }
  const forget = lock?.acquired ? stop.onForce(lock.releaseSync) : undefined;
  let stages: StageReport[];
  try {
    stages = await runCommand(command, context, { paths: [], feeds: [] });
  } finally {
    if (lock?.acquired) await lock.release();
    forget?.();
  }
  const report = makeReport({ command, startedAt, durationMs: Date.now() - startedAt.getTime(), clock: context.now, offline: context.offline, dryRun: context.dryRun, stages });
  const saved = context.dryRun ? undefined : await saveReport(join(context.config.resolved.cacheDir, 'reports'), report);
  io.stderr(formatReport(report, { savedTo: saved ? relative(context.config.root, saved) : undefined }));
  return report.exitCode;
}

/**
 * `nichepress desk`: the review page until SIGINT/SIGTERM. Each decision takes the run lock for
 * its own duration only, so a scheduled run is never blocked by an open desk.
 */
async function serveDesk(base: Context, io: CliIo, stop: StopSignals, port: number): Promise<number> {
  const { startDeskServer } = await import('./desk/desk-server.ts');
  const desk = await startDeskServer(base, {
    port,
    decide: async (decision, slug) => {
      const context: Context = { ...base, now: base.config.clock ?? new Date() };
      const lock = context.dryRun ? undefined : await takeRunLock(context, decision);
      if (lock && !lock.acquired) return { ok: false, message: `Another nichepress run holds the lock (${describeOwner(lock.owner)}); try again when it is done.`, findings: [] };
      try {
        const [stage] = await commandDecide(context, decision, slug);
        const details = stage!.details as { file?: string; status: string };
        const ok = !stage!.findings.some((finding) => finding.severity === 'error');
        const message = ok ? (decision === 'approve' ? `Published ${details.file}.` : `Rejected ${slug}: moved to ${details.file}; its topic will not be drafted again.`) : (stage!.findings[0]?.message ?? `${slug} was not changed.`);
        io.stderr(`desk: ${decision} ${slug}: ${details.status}\n`);
        return { ok, message, findings: ok ? [] : stage!.findings.slice(1) };
      } finally {
        if (lock?.acquired) await lock.release();
      }
    },
  });
  io.stderr(`nichepress desk: reviewing ${displayPath(base.config.root, base.config.resolved.articles)} at ${desk.url} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => (stop.signal.aborted ? resolve() : stop.signal.addEventListener('abort', () => resolve(), { once: true })));
  await desk.close();
  return 0;
}
