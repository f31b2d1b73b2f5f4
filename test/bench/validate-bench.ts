/**
 * Benchmarks `nichepress validate` with every offline rule (near-duplicate detection included)
 * over a synthetic corpus, next to its floor measured in the same run: gray-matter + the zod
 * frontmatter schema alone over the same files (quote ratios: these machines are
 * noisy). Both run as child processes under GNU time, so wall time and peak resident memory are
 * measured the same way for both. A per-rule table (in this process) shows where the time goes.
 *
 * Usage: npm run bench:validate [-- --count 10000] [--runs 3] [--seed 1] [--no-rules-table]
 * Target: 10,000 articles in under 5 s and under 1 GB peak.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import matter from 'gray-matter';
import { loadConfig } from '../../pipeline/config/niche-config.ts';
import { defaultDetectLanguage } from '../../pipeline/validate/language-detector.ts';
import { buildDuplicateArchive } from '../../pipeline/validate/near-duplicates.ts';
import { recommendedPreset } from '../../pipeline/validate/rules/preset.ts';
import type { RuleContext } from '../../pipeline/validate/rules/rule.ts';
import { articleFrontmatterSchema } from '../../pipeline/schema/article.ts';
import { validateArticleText } from '../../pipeline/validate/validate.ts';
import { generateCorpus } from './generate-corpus.ts';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(PACKAGE_ROOT, 'pipeline', 'bin.mjs');
const SELF = fileURLToPath(import.meta.url);
const GNU_TIME = '/usr/bin/time';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    'no-rules-table': { type: 'boolean', default: false },
    /** Internal: the floor, run as a child process over a folder. */
    floor: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (args.floor) {
  // The floor child: read every file, gray-matter, zod. Prints "<ms> <files> <invalid>".
  const started = performance.now();
  const names = (await readdir(args.floor)).filter((name) => name.endsWith('.md')).sort();
  let invalid = 0;
  for (const name of names) {
    // An options object turns off gray-matter's cache, which would make repeat runs free.
    const { data } = matter(readFileSync(join(args.floor, name), 'utf8'), {});
    if (!articleFrontmatterSchema.safeParse(data).success) invalid += 1;
  }
  process.stdout.write(`${Math.round(performance.now() - started)} ${names.length} ${invalid}\n`);
  process.exit(0);
}

if (args.help) {
  process.stdout.write('Usage: npm run bench:validate [-- --count 10000] [--runs 3] [--seed 1] [--no-rules-table]\n');
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
  stdout: string;
  code: number | null;
}

/** Runs a child under GNU time (when present) and returns its wall time and peak RSS. */
function measure(command: string[], cwd: string): Promise<Measure> {
  const timed = existsSync(GNU_TIME);
  const argv = timed ? [GNU_TIME, '-f', 'NPBENCH %e %M', ...command] : command;
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env: { ...process.env, NO_COLOR: '1', OPENAI_API_KEY: '', OPENAI_BASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const match = /NPBENCH [\d.]+ (\d+)/.exec(stderr);
      resolve({ wallMs, peakMB: match ? Number(match[1]) / 1024 : undefined, stdout, code });
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

// ── validate vs floor, interleaved so drift on a noisy machine hits both ─────────────────────
const validateRuns: Measure[] = [];
const floorRuns: Measure[] = [];
let stageMs: number[] = [];
let verdict = '';
for (let run = 0; run < runs; run++) {
  const validate = await measure([process.execPath, BIN, 'validate', '--json', '--dry-run'], project);
  validateRuns.push(validate);
  try {
    const report = JSON.parse(validate.stdout) as { stages: Array<{ durationMs: number; counts: Record<string, number> }> };
    const stage = report.stages[0]!;
    stageMs.push(stage.durationMs);
    verdict = `files ${stage.counts.files}, errors ${stage.counts.errors}, warnings ${stage.counts.warnings}, exit ${validate.code}`;
  } catch {
    verdict = `unreadable report (exit ${validate.code})`;
  }
  floorRuns.push(await measure([process.execPath, SELF, '--floor', articles], project));
}
const floorMs = floorRuns.map((run) => Number(run.stdout.split(' ')[0]));
const peak = (list: Measure[]) => {
  const peaks = list.map((run) => run.peakMB).filter((value): value is number => value !== undefined);
  return peaks.length ? `${fmt(median(peaks))} MB` : '? (no /usr/bin/time)';
};

const validateWall = median(validateRuns.map((run) => run.wallMs));
const floorWall = median(floorRuns.map((run) => run.wallMs));
process.stdout.write(
  [
    `nichepress validate, ${fmt(count)} articles, ${recommendedPreset.length} rules (median of ${runs}):`,
    `  validate (child process)   wall ${fmt(validateWall)} ms · stage ${fmt(median(stageMs))} ms · peak ${peak(validateRuns)} · ${verdict}`,
    `  floor: gray-matter + zod   wall ${fmt(floorWall)} ms · parse ${fmt(median(floorMs))} ms · peak ${peak(floorRuns)}`,
    `  ratio (wall)               ${(validateWall / floorWall).toFixed(2)}×`,
    `  target                     < 5,000 ms and < 1,024 MB: ${validateWall < 5000 && (validateRuns[0]?.peakMB ?? 0) < 1024 ? 'met' : 'NOT met'}`,
    '',
  ].join('\n'),
);

// ── where the time goes: each rule alone over the parsed corpus, in this process ─────────────
if (!args['no-rules-table']) {
  const config = await loadConfig({ root: project });
  const names = (await readdir(articles)).filter((name) => name.endsWith('.md')).sort();
  const texts = await Promise.all(names.map((name) => readFile(join(articles, name), 'utf8')));
  const started = performance.now();
  const archive = buildDuplicateArchive(
    texts.map((text, index) => ({ file: names[index]!, body: text.slice(text.indexOf('\n---', 3) + 4) })),
    config.validate.duplicateThreshold,
  );
  const archiveMs = performance.now() - started;
  const context: RuleContext = { archive, detectLanguage: defaultDetectLanguage };
  const rows: Array<[string, number]> = [['(near-duplicate index: MinHash + LSH)', archiveMs]];
  // Every rule's check wrapped in a timer, run together as validate runs them (they share the
  // per-article views such as code ranges and links, so timing a rule alone would mislead).
  const spent = new Map<string, number>();
  const timedRules = recommendedPreset.map((rule) => ({
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
  rows.push(['(frontmatter parse + schema + positions)', allMs - rulesMs]);
  for (const [id, ms] of spent) rows.push([id, ms]);
  process.stdout.write('where the time goes, in process (all rules together over all files):\n');
  for (const [name, ms] of rows.sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${name.padEnd(44)} ${fmt(ms).padStart(6)} ms\n`);
}
