import { readFileSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { displayPath, type ResolvedConfig } from '../config/niche-config.ts';
import { FrontmatterFieldInvalid, FrontmatterMissing, FrontmatterUnclosed, FrontmatterYamlInvalid, LanguageDetectorMissing, ValidatePathMissing } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import type { Archive } from '../archive/archive.ts';
import { markdownFilesIn } from '../archive/markdown-files.ts';
import { FrontmatterSyntaxError, parseFrontmatter } from '../archive/parse-frontmatter.ts';
import { schemaIssues } from '../lib/schema-issues.ts';
import { articleFrontmatterSchema } from '../schema/article.ts';
import { defaultDetectLanguage } from './language-detector.ts';
import { parseMarkdown } from '../lib/markdown-tree.ts';
import { archiveFromSignatures, signature } from './near-duplicates.ts';
import { proseOf } from './prose.ts';
import { recommendedPreset } from './rules/preset.ts';
import { qualityNearDuplicate } from './rules/quality-near-duplicate.ts';
import type { AnyRule, ParsedArticle, RuleContext } from './rules/rule.ts';
import { cacheKey, cachePath, contentHash, loadCache, saveCache, type CachedFile } from './validate-cache.ts';

export interface ValidateResult {
  files: number;
  findings: Finding[];
  counts: Record<string, number>;
}

export interface ValidateOptions {
  /** Threads that check files, this one included (default: one per core, up to 4, from 500 files to check). */
  workers?: number;
  /**
   * The cache under .nichepress/: read and write it (true, the default), only read it ('read': a
   * dry run writes nothing), or neither (false). Rule lists other than the preset never use it.
   */
  cache?: boolean | 'read';
  /** The run's archive: its files are checked as read once this run, instead of reading the folder again. */
  archive?: Archive;
}

/**
 * Checks articles against the shared frontmatter schema and the lint rules. Findings point at
 * `file:line:col`; a file that cannot even be parsed is one finding, never a crash.
 *
 * Each file's findings and near-duplicate signature are cached by its content hash (see
 * ./validate-cache.ts): an unchanged file is not parsed again. Files to check are spread over
 * worker threads when there are many. Near-duplicates are matched over every file's signature
 * at the end, which takes milliseconds.
 */
export async function validatePaths(config: ResolvedConfig, paths: readonly string[] = [], rules: readonly AnyRule[] = recommendedPreset, options: ValidateOptions = {}): Promise<ValidateResult> {
  const findings: Finding[] = [];
  const jobs: Job[] =
    options.archive && paths.length === 0
      ? options.archive.files.map((entry) => ({ path: entry.file, shown: displayPath(config.root, entry.file), text: entry.text }))
      : (await filesToCheck(config, paths, findings)).map((path) => ({ path, shown: displayPath(config.root, path) }));
  const enabled = rules.filter((rule) => config.validate.rules[rule.id] !== 'off');
  if (!defaultDetectLanguage && jobs.length > 0 && enabled.some((rule) => rule.id === 'quality/language-mismatch')) {
    findings.push(findingFrom(LanguageDetectorMissing, [], { severity: 'info' }));
  }
  const perFile = enabled.filter((rule) => rule.id !== qualityNearDuplicate.id);
  const nearDuplicates = enabled.find((rule) => rule.id === qualityNearDuplicate.id);

  const useCache = options.cache !== false && rules === recommendedPreset;
  const key = cacheKey(config, perFile);
  const cached = useCache ? await loadCache(cachePath(config), key) : new Map<string, CachedFile>();
  const { results, toCheck, restamped } = reuseCached(jobs, cached);
  const threads = toCheck.length === 0 ? 0 : rules === recommendedPreset ? (options.workers ?? threadsFor(toCheck.length)) : 1;
  const checked = threads > 1 ? await checkInThreads(config, toCheck, threads) : await checkClaimedChunks(chunked(config, toCheck, 1), perFile);
  for (const [shown, entry] of checked) results.set(shown, entry);
  if (useCache && options.cache !== 'read' && (toCheck.length > 0 || restamped || cached.size !== jobs.length)) await saveCache(cachePath(config), key, new Map(jobs.map((job) => [job.shown, results.get(job.shown)!])));

  const byFile = new Map(jobs.map((job) => [job.shown, results.get(job.shown)!.findings]));
  if (nearDuplicates) addNearDuplicates(config, jobs, results, nearDuplicates, byFile);
  for (const job of jobs) findings.push(...byFile.get(job.shown)!);
  return summarise(jobs.length, findings, { checked: toCheck.length, threads });
}

/** The Markdown files under the given paths (default: the articles folder), sorted; a missing path is a finding. */
async function filesToCheck(config: ResolvedConfig, paths: readonly string[], findings: Finding[]): Promise<string[]> {
  const targets = paths.length > 0 ? paths.map((path) => resolve(config.root, path)) : [config.resolved.articles];
  const files: string[] = [];
  for (const target of targets) {
    const found = await markdownFiles(target, paths.length === 0);
    if (found === undefined) {
      findings.push(findingFrom(ValidatePathMissing, [displayPath(config.root, target)], { file: displayPath(config.root, target) }));
      continue;
    }
    files.push(...found);
  }
  return files.sort();
}

/**
 * The cache entries still valid for these files, and the files to check. A file whose size and
 * modification time are the ones it had when hashed is not read again (as version control
 * indexes do); any other is read and its content hash compared — equal content only gets its
 * entry restamped.
 */
function reuseCached(jobs: readonly Job[], cached: ReadonlyMap<string, CachedFile>): { results: Map<string, CachedFile>; toCheck: Job[]; restamped: boolean } {
  const results = new Map<string, CachedFile>();
  const toCheck: Job[] = [];
  let restamped = false;
  for (const job of jobs) {
    const entry = cached.get(job.shown);
    const info = entry && statSync(job.path);
    if (entry && info && info.size === entry.size && info.mtimeMs === entry.mtimeMs) {
      results.set(job.shown, entry);
    } else if (entry && info && entry.hash === contentHash((job.text ??= readFileSync(job.path, 'utf8')))) {
      results.set(job.shown, { ...entry, size: info.size, mtimeMs: info.mtimeMs });
      restamped = true;
    } else {
      toCheck.push(job);
    }
  }
  return { results, toCheck, restamped };
}

/** Below this many files to check, starting threads costs more than it saves. */
const WORKER_THRESHOLD = 500;

/**
 * Threads that check files: one per core, at most 4. Not fewer when other work keeps the cores
 * busy: the scheduler shares the cores between all the threads that want them, so two threads
 * beside another busy process get more of the machine than one, and a thread costs little
 * besides (start-up ~0.3 s of CPU; 10,000 articles on two cores shared with other work: one
 * thread 15.6 s, two 9.9 s). The load average was no guide either: it counts the work this very
 * process did a minute ago.
 */
function threadsFor(files: number): number {
  if (files < WORKER_THRESHOLD) return 1;
  return Math.min(availableParallelism(), 4);
}

export interface Job {
  path: string;
  shown: string;
  /** The file's text once read (the run's archive hands it in): no file is read twice. */
  text?: string;
}

/** Reads and checks files with the per-file rules, as cache entries by shown path. */
function checkJobs(config: ResolvedConfig, jobs: readonly Job[], rules: readonly AnyRule[]): Array<[string, CachedFile]> {
  const context: RuleContext = { detectLanguage: defaultDetectLanguage };
  return jobs.map((job) => {
    // A file drafted in a dry run is in the archive but not on disk: no stamp, so never reused.
    const info = statSync(job.path, { throwIfNoEntry: false });
    const text = job.text ?? readFileSync(job.path, 'utf8');
    const { findings, article } = validateArticleText(text, job.shown, config, rules, context);
    const sig = article ? signature(proseOf(article.tree).text) : undefined;
    const publishedAt = article?.frontmatter?.publishedAt.getTime();
    return [job.shown, { hash: contentHash(text), size: info?.size ?? -1, mtimeMs: info?.mtimeMs ?? -1, findings, signature: sig ? [...sig] : null, publishedAt: publishedAt ?? null }];
  });
}

/** What a worker thread is handed: the jobs and a shared counter to claim chunks of them from. */
export interface WorkerInput {
  config: ResolvedConfig;
  jobs: Job[];
  chunk: number;
  /** [0] is the next chunk to claim (Atomics.add). */
  cursor: Int32Array;
}

/** The jobs cut into chunks for `threads` threads to claim. */
function chunked(config: ResolvedConfig, jobs: Job[], threads: number): WorkerInput {
  return {
    config,
    jobs,
    // Small enough that threads finish within a chunk of each other, large enough that claiming costs nothing.
    chunk: Math.max(1, Math.min(32, Math.ceil(jobs.length / (threads * 16)))),
    cursor: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)),
  };
}

/**
 * Claims chunks of jobs until none are left, with the preset's rules unless others are given (a
 * worker is handed data, not functions); runs in this thread and in each worker
 * (validate-worker.ts). The event loop turns between chunks: the parser hands each tree over in
 * a native buffer that a finalizer frees, and finalizers only run then — in one uninterrupted
 * loop, 10,000 files held ~230 MB of such buffers to the end.
 */
export async function checkClaimedChunks(input: WorkerInput, rules: readonly AnyRule[] = presetRules(input.config)): Promise<Array<[string, CachedFile]>> {
  const out: Array<[string, CachedFile]> = [];
  for (;;) {
    const start = Atomics.add(input.cursor, 0, 1) * input.chunk;
    if (start >= input.jobs.length) return out;
    out.push(...checkJobs(input.config, input.jobs.slice(start, start + input.chunk), rules));
    await setImmediate();
  }
}

/** The per-file rules of the preset that the config leaves on. */
function presetRules(config: ResolvedConfig): AnyRule[] {
  return recommendedPreset.filter((rule) => rule.id !== qualityNearDuplicate.id && config.validate.rules[rule.id] !== 'off');
}

async function checkInThreads(config: ResolvedConfig, jobs: Job[], threads: number): Promise<Array<[string, CachedFile]>> {
  const input = chunked(config, jobs, threads);
  const workers = Array.from({ length: threads - 1 }, () => new Worker(new URL('./validate-worker.ts', import.meta.url), { workerData: input }));
  const results = workers.map(
    (worker) =>
      new Promise<Array<[string, CachedFile]>>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`a validate worker thread stopped (exit code ${code}) before it finished`)));
      }),
  );
  try {
    const own = await checkClaimedChunks(input);
    return [...own, ...(await Promise.all(results)).flat()];
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** Matches every file's signature and adds the near-duplicate findings of the files that have a match. */
function addNearDuplicates(config: ResolvedConfig, jobs: readonly Job[], results: ReadonlyMap<string, CachedFile>, rule: AnyRule, byFile: Map<string, Finding[]>): void {
  const entries = jobs.map((job) => {
    const entry = results.get(job.shown)!;
    return { file: job.shown, signature: entry.signature ? Uint32Array.from(entry.signature) : undefined, publishedAt: entry.publishedAt ?? undefined };
  });
  const archive = archiveFromSignatures(entries, config.validate.duplicateThreshold);
  const matched = archive.matches();
  for (const job of jobs) {
    if (!matched.has(job.shown)) continue;
    // Only the few matched files are parsed again, for the rule's message and position.
    const extra = validateArticleText(job.text ?? readFileSync(job.path, 'utf8'), job.shown, config, [rule], { archive }).findings.filter((finding) => finding.rule === rule.id);
    byFile.set(job.shown, sortFindings([...byFile.get(job.shown)!, ...extra]));
  }
}

/** `checked`: files checked in this run (the others' results came from the cache); `threads`: threads that checked them. */
export function summarise(files: number, findings: Finding[], work: { checked: number; threads: number }): ValidateResult {
  return {
    files,
    findings,
    counts: {
      files,
      errors: findings.filter((finding) => finding.severity === 'error').length,
      warnings: findings.filter((finding) => finding.severity === 'warning').length,
      checked: work.checked,
      threads: work.threads,
    },
  };
}

/** Validates one article's text. `file` is the path shown in findings. */
export function validateArticleText(
  text: string,
  file: string,
  config: ResolvedConfig,
  rules: readonly AnyRule[] = recommendedPreset,
  context: RuleContext = { detectLanguage: defaultDetectLanguage },
): { findings: Finding[]; article: ParsedArticle | undefined } {
  const findings: Finding[] = [];
  let parsed;
  try {
    parsed = parseFrontmatter(text);
  } catch (error) {
    if (!(error instanceof FrontmatterSyntaxError)) throw error;
    const at = { file, line: error.line, column: error.column };
    findings.push(error.kind === 'unclosed' ? findingFrom(FrontmatterUnclosed, [], at) : findingFrom(FrontmatterYamlInvalid, [error.message], at));
    return { findings, article: undefined };
  }
  if (!parsed.matter && Object.keys(parsed.data).length === 0) {
    findings.push(findingFrom(FrontmatterMissing, [], { file, line: 1, column: 1 }));
    return { findings, article: undefined };
  }
  const result = articleFrontmatterSchema.safeParse(parsed.data);
  if (!result.success) {
    for (const issue of schemaIssues(result.error)) {
      findings.push(findingFrom(FrontmatterFieldInvalid, [issue.dottedPath, issue.message], { file, ...parsed.locate(issue.path), rule: 'frontmatter/schema' }));
    }
  }

  const article: ParsedArticle = { file, text, frontmatter: result.success ? result.data : undefined, tree: parseMarkdown(text) };
  const overrides = config.validate.rules;
  for (const rule of rules) {
    const override = overrides[rule.id];
    if (override === 'off') continue;
    const severity = override === 'warn' ? 'warning' : override === 'error' ? 'error' : rule.severity;
    for (const message of rule.check(article, rule.options?.(config), context)) {
      const start = message.node?.position?.start;
      const position = message.path ? parsed.locate(message.path) : (message.point ?? (start ? { line: start.line, column: start.column } : { line: parsed.bodyLine, column: 1 }));
      const finding: Finding = { severity, rule: rule.id, message: message.message, file, line: position.line, column: position.column };
      if (message.hint) finding.hint = message.hint;
      findings.push(finding);
    }
  }
  return { findings: sortFindings(findings), article };
}

/**
 * Findings of one file in reading order; at one position, schema findings first, then rules in
 * preset order — so findings added later (near-duplicates) print where a single pass would.
 */
export function sortFindings(findings: Finding[]): Finding[] {
  const rank = (finding: Finding) => (finding.rule === undefined || finding.rule === 'frontmatter/schema' ? -1 : (RULE_ORDER.get(finding.rule) ?? RULE_ORDER.size));
  return findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || rank(a) - rank(b));
}

const RULE_ORDER = new Map(recommendedPreset.map((rule, index) => [rule.id, index]));

/** Markdown files under a path, or undefined when the path does not exist. */
async function markdownFiles(target: string, allowMissingFolder: boolean): Promise<string[] | undefined> {
  let info;
  try {
    info = await stat(target);
  } catch {
    return allowMissingFolder ? [] : undefined;
  }
  if (info.isFile()) return [target];
  return markdownFilesIn(target);
}
