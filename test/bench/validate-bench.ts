/**
 * Benchmarks `nichepress validate` (every rule, near-duplicates included) over a synthetic
 * corpus in three states — cold (no cache), warm (nothing changed) and warm with one file
 * changed — beside markdownlint-cli2 over the same files in the same run, and a cold run in one
 * thread (no worker threads) to show what the threads bring. Every command runs as a
 * child process under /usr/bin/time, so wall time and peak resident memory are measured the same way.
 * A per-rule table (in this process) shows where a cold run's time goes. Figures are printed,
 * never asserted.
 *
 * Usage: npm run bench:validate [-- --count 10000] [--runs 1] [--seed 1] [--no-rules-table]
 * Targets: cold ≤ 10 s, warm ≤ 1 s, peak < 1 GB.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseFrontmatter } from '../../pipeline/archive/parse-frontmatter.ts';
import { loadConfig } from '../../pipeline/config/niche-config.ts';
import { parseMarkdown } from '../../pipeline/lib/markdown-tree.ts';
import { defaultDetectLanguage } from '../../pipeline/validate/language-detector.ts';
import { buildDuplicateArchive } from '../../pipeline/validate/near-duplicates.ts';
import { recommendedPreset } from '../../pipeline/validate/rules/preset.ts';
import type { AnyRule, RuleContext } from '../../pipeline/validate/rules/rule.ts';
import { validateArticleText, validatePaths } from '../../pipeline/validate/validate.ts';
import { generateCorpus } from './generate-corpus.ts';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(PACKAGE_ROOT, 'pipeline', 'bin.mjs');
const MARKDOWNLINT = join(PACKAGE_ROOT, 'node_modules', 'markdownlint-cli2', 'markdownlint-cli2-bin.mjs');
const GNU_TIME = '/usr/bin/time';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    'no-rules-table': { type: 'boolean', default: false },
    /** Internal: a cold validate of a project in this thread alone (no worker threads, no cache). Prints "<ms> <findings>". */
    'one-thread': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (args['one-thread']) {
  const config = await loadConfig({ root: args['one-thread'] });
  const started = performance.now();
  const result = await validatePaths(config, [], recommendedPreset, { workers: 1, cache: false });
  process.stdout.write(`${Math.round(performance.now() - started)} ${result.findings.length}\n`);
  process.exit(0);
}

if (args.help) {
  process.stdout.write('Usage: npm run bench:validate [-- --count 10000] [--runs 1] [--seed 1] [--no-rules-table]\n');
  process.exit(0);
}

const count = Number(args.count);
const runs = Math.max(1, Number(args.runs));
const seed = Number(args.seed);
const project = join(PACKAGE_ROOT, 'test', 'bench', '.work', `validate-${count}-seed${seed}`);
const articles = join(project, 'content', 'articles');

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const fmt = (value: number) => Math.round(value).toLocaleString('en-US');

interface Measure {
  wallMs: number;
  peakMB: number | undefined;
  /** User + system CPU time of the child and its threads: what the work costs, whatever else runs on the machine. */
  cpuMs: number | undefined;
  stdout: string;
  code: number | null;
}

/** Runs a child under /usr/bin/time (when present) and returns its wall time and peak RSS. */
function measure(command: string[], cwd: string): Promise<Measure> {
  const timed = existsSync(GNU_TIME);
  const argv = timed ? [GNU_TIME, '-f', 'NPBENCH %e %M %U %S', ...command] : command;
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env: { ...process.env, NO_COLOR: '1', OPENAI_API_KEY: '', OPENAI_BASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const match = /NPBENCH [\d.]+ (\d+) ([\d.]+) ([\d.]+)/.exec(stderr);
      resolve({ wallMs, peakMB: match ? Number(match[1]) / 1024 : undefined, cpuMs: match ? (Number(match[2]) + Number(match[3])) * 1000 : undefined, stdout, code });
    });
  });
}

// ── corpus (reused when it is already there: same seed, same files) ──────────────────────────
await mkdir(join(project, 'content'), { recursive: true });
await copyFile(join(PACKAGE_ROOT, 'content', 'niche.yaml'), join(project, 'content', 'niche.yaml'));
const present = existsSync(articles) ? (await readdir(articles)).filter((name) => name.endsWith('.md')).length : 0;
if (present !== count) {
  const stats = await generateCorpus({ count, folder: articles, seed, clean: true });
  process.stdout.write(`corpus: ${fmt(stats.files)} articles, ${fmt(stats.bytes / 1024 / 1024)} MB, generated in ${fmt(stats.ms)} ms\n`);
} else {
  process.stdout.write(`corpus: ${fmt(count)} articles in ${project} (reused)\n`);
}
process.stdout.write(`language rule: ${defaultDetectLanguage ? 'tinyld' : 'NOT RUN (tinyld not installed)'}\n\n`);

// ── validate cold, warm, warm with one file changed; markdownlint-cli2 over the same files ──
const cacheFolder = join(project, '.nichepress');
const names = (await readdir(articles)).filter((name) => name.endsWith('.md')).sort();
const states = ['cold', 'cold, 1 thread', 'warm', 'warm, 1 changed', 'markdownlint-cli2'] as const;
const results = new Map<string, Measure[]>(states.map((state) => [state, []]));
const verdicts = new Map<string, string>();
// Not a dry run: a dry run reads the cache but does not write it.
const validate = () => measure([process.execPath, BIN, 'validate', '--json'], project);
const verdictOf = (run: Measure) => {
  try {
    const report = JSON.parse(run.stdout) as { stages: Array<{ counts: Record<string, number> }> };
    const counts = report.stages[0]!.counts;
    return `files ${counts.files}, checked ${counts.checked} in ${counts.threads} ${counts.threads === 1 ? 'thread' : 'threads'}, errors ${counts.errors}, warnings ${counts.warnings}, exit ${run.code}`;
  } catch {
    return `unreadable report (exit ${run.code})`;
  }
};
for (let run = 0; run < runs; run++) {
  await rm(cacheFolder, { recursive: true, force: true });
  for (const state of ['cold', 'warm'] as const) {
    const measured = await validate();
    results.get(state)!.push(measured);
    verdicts.set(state, verdictOf(measured));
  }
  // The same cold work without worker threads: do the threads pay for themselves on this machine?
  const oneThread = await measure([process.execPath, fileURLToPath(import.meta.url), '--one-thread', project], project);
  results.get('cold, 1 thread')!.push(oneThread);
  verdicts.set('cold, 1 thread', `${oneThread.stdout.trim().split(' ')[1] ?? '?'} findings, no cache (stage ${oneThread.stdout.trim().split(' ')[0] ?? '?'} ms)`);
  // A sentence appended to one article: a different one each round, so the file really changed.
  await appendFile(join(articles, names[run % names.length]!), `\nA note added for benchmark round ${run + 1}.\n`);
  const changed = await validate();
  results.get('warm, 1 changed')!.push(changed);
  verdicts.set('warm, 1 changed', verdictOf(changed));
  const lint = await measure([process.execPath, MARKDOWNLINT, 'content/articles/*.md'], project);
  results.get('markdownlint-cli2')!.push(lint);
  verdicts.set('markdownlint-cli2', `exit ${lint.code} (its default rules)`);
}

const peak = (list: Measure[]) => {
  const peaks = list.map((run) => run.peakMB).filter((value): value is number => value !== undefined);
  return peaks.length ? `${fmt(median(peaks))} MB` : '? (no /usr/bin/time)';
};
const wall = (state: string) => median(results.get(state)!.map((run) => run.wallMs));
const cpu = (state: string) => {
  const times = results.get(state)!.map((run) => run.cpuMs).filter((value): value is number => value !== undefined);
  return times.length ? `${fmt(median(times)).padStart(7)} ms` : '      ?   ';
};
const lines = [`nichepress validate, ${fmt(count)} articles, ${recommendedPreset.length} rules (median of ${runs}; wall time of the child process, peak RSS):`];
for (const state of states) lines.push(`  ${state.padEnd(20)} wall ${fmt(wall(state)).padStart(7)} ms · cpu ${cpu(state)} · peak ${peak(results.get(state)!).padStart(7)} · ${verdicts.get(state)}`);
const cpuOf = (state: string) => median(results.get(state)!.map((run) => run.cpuMs ?? Number.NaN));
lines.push(`  cold / markdownlint-cli2  ${(wall('cold') / wall('markdownlint-cli2')).toFixed(2)}× wall, ${(cpuOf('cold') / cpuOf('markdownlint-cli2')).toFixed(2)}× cpu`);
lines.push(`  targets: cold ≤ 10,000 ms, warm ≤ 1,000 ms, peak < 1,024 MB (printed, not asserted)`, '');
process.stdout.write(lines.join('\n'));

// ── where the time goes: each rule alone over the parsed corpus, in this process ─────────────
if (!args['no-rules-table']) {
  const config = await loadConfig({ root: project });
  const texts = await Promise.all(names.map((name) => readFile(join(articles, name), 'utf8')));
  const started = performance.now();
  const archive = buildDuplicateArchive(
    texts.map((text, index) => ({ file: names[index]!, body: text })),
    config.validate.duplicateThreshold,
  );
  const archiveMs = performance.now() - started;
  const context: RuleContext = { archive, detectLanguage: defaultDetectLanguage };
  const rows: Array<[string, number]> = [['(near-duplicate index: MinHash + LSH)', archiveMs]];
  // Every rule's check wrapped in a timer, run together as validate runs them over one tree each.
  const spent = new Map<string, number>();
  const timedRules: AnyRule[] = recommendedPreset.map((rule) => ({
    ...rule,
    check: (...params: Parameters<typeof rule.check>) => {
      const ruleStarted = performance.now();
      const messages = rule.check(...params);
      spent.set(rule.id, (spent.get(rule.id) ?? 0) + performance.now() - ruleStarted);
      return messages;
    },
  }));
  const allStarted = performance.now();
  texts.forEach((text, index) => validateArticleText(text, names[index]!, config, timedRules, context));
  const allMs = performance.now() - allStarted;
  const rulesMs = [...spent.values()].reduce((sum, value) => sum + value, 0);
  rows.push(['(frontmatter + schema + Markdown parse)', allMs - rulesMs]);
  // The two parsers alone over the same files, to show which one that row is made of.
  const timeEach = (parse: (text: string) => unknown) => {
    const partStarted = performance.now();
    for (const text of texts) parse(text);
    return performance.now() - partStarted;
  };
  rows.push(['  of which: YAML frontmatter (js-yaml)', timeEach(parseFrontmatter)]);
  rows.push(['  of which: Markdown tree (Sätteri)', timeEach(parseMarkdown)]);
  const ruleRows = [...spent].sort((a, b) => b[1] - a[1]);
  process.stdout.write('where the time goes, in process (all rules together over all files):\n');
  for (const [name, ms] of [...rows, ...ruleRows]) process.stdout.write(`  ${name.padEnd(44)} ${fmt(ms).padStart(6)} ms\n`);
}
