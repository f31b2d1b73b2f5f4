import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import { displayPath, type ResolvedConfig } from '../config/niche-config.ts';
import { FrontmatterFieldInvalid, FrontmatterMissing, FrontmatterYamlInvalid, LanguageDetectorMissing, ValidatePathMissing } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { defaultDetectLanguage } from './language-detector.ts';
import { mapLimit } from '../lib/map-limit.ts';
import type { Archive } from '../archive/archive.ts';
import { markdownFilesIn } from '../archive/markdown-files.ts';
import { archiveFromSignatures, buildDuplicateArchive, SIGNATURE_LENGTH, signInto } from './near-duplicates.ts';
import { parseFrontmatter, type ParsedFrontmatter } from '../archive/parse-frontmatter.ts';
import { schemaIssues } from '../lib/schema-issues.ts';
import { parseYamlSource, type YamlSource } from '../lib/yaml-source.ts';
import { recommendedPreset } from './rules/preset.ts';
import { qualityNearDuplicate } from './rules/quality-near-duplicate.ts';
import type { ParsedArticle, Rule, RuleContext } from './rules/rule.ts';
import { articleFrontmatterSchema } from '../schema/article.ts';

export interface ValidateResult {
  files: number;
  findings: Finding[];
  counts: Record<string, number>;
}

/**
 * Checks articles against the shared frontmatter schema and the lint rules. Findings point at
 * `file:line:col`; a file that cannot even be parsed is one finding, never a crash.
 */
export async function validatePaths(
  config: ResolvedConfig,
  paths: readonly string[] = [],
  rules: readonly Rule[] = recommendedPreset,
  /**
   * `workers`: threads that validate, this one included (default: one per core up to 4 from 1,500
   * files, else 1). `archive`: the run's articles, already read — validated as they are in memory
   * (in this thread) instead of reading the folder again.
   */
  options: { workers?: number; archive?: Archive } = {},
): Promise<ValidateResult> {
  if (options.archive && paths.length === 0) {
    const { files } = options.archive;
    return validateTexts(config, files.map((entry) => entry.text), files.map((entry) => displayPath(config.root, entry.file)), rules);
  }
  const targets = paths.length > 0 ? paths.map((path) => resolve(config.root, path)) : [config.resolved.articles];
  const findings: Finding[] = [];
  const files: string[] = [];
  for (const target of targets) {
    const found = await markdownFiles(target, paths.length === 0);
    if (found === undefined) {
      findings.push(findingFrom(ValidatePathMissing, [displayPath(config.root, target)], { file: displayPath(config.root, target) }));
      continue;
    }
    files.push(...found);
  }
  files.sort();
  const shown = files.map((file) => displayPath(config.root, file));
  const wantsArchive = rules.some((rule) => rule.id === 'quality/near-duplicate') && config.validate.rules['quality/near-duplicate'] !== 'off';
  if (!defaultDetectLanguage && files.length > 0 && rules.some((rule) => rule.id === 'quality/language-mismatch') && config.validate.rules['quality/language-mismatch'] !== 'off') {
    findings.push(findingFrom(LanguageDetectorMissing, [], { severity: 'info' }));
  }
  // Large archives are split over threads (the rules are CPU-bound): this one and worker threads
  // claim chunks of files from a shared counter. Workers load the preset themselves, so a custom
  // rule list always runs here.
  const threads = options.workers ?? (files.length >= WORKER_THRESHOLD ? Math.min(availableParallelism(), 4) : 1);
  if (threads > 1 && rules === recommendedPreset) {
    findings.push(...(await validateInThreads(config, files, shown, threads, wantsArchive)));
    return summarise(files.length, findings);
  }
  return validateTexts(config, await mapLimit(files, 16, (file) => readFile(file, 'utf8')), shown, rules, findings);
}

async function validateTexts(config: ResolvedConfig, texts: string[], shown: string[], rules: readonly Rule[], findings: Finding[] = []): Promise<ValidateResult> {
  const wantsArchive = rules.some((rule) => rule.id === 'quality/near-duplicate') && config.validate.rules['quality/near-duplicate'] !== 'off';
  const context: RuleContext = { detectLanguage: defaultDetectLanguage };
  // The archive for near-duplicates is every article of this run (the whole folder by default):
  // duplicates need all bodies before any article can be judged.
  if (wantsArchive) {
    context.archive = buildDuplicateArchive(
      texts.map((text, index) => ({ file: shown[index]!, body: bodyOf(text), publishedAt: publishedAtOf(text) })),
      config.validate.duplicateThreshold,
    );
  }
  texts.forEach((text, index) => findings.push(...validateArticleText(text, shown[index]!, config, rules, context).findings));
  return summarise(texts.length, findings);
}

/** Below this many files, starting threads costs more than it saves. */
const WORKER_THRESHOLD = 1500;

/**
 * What the threads of one validate run share. Typed arrays over SharedArrayBuffers are shared
 * between threads, not copied: the chunk counter, and the near-duplicate signatures each thread
 * writes for the files it validates.
 */
export interface SharedValidation {
  config: ResolvedConfig;
  /** Paths to read, and the paths shown in findings, in report order. */
  files: string[];
  shown: string[];
  /** Files per claim. */
  chunk: number;
  /** [0] is the next chunk to claim (Atomics.add). */
  cursor: Int32Array;
  /** Present when near-duplicates are checked: SIGNATURE_LENGTH slots per file… */
  signatures?: Uint32Array;
  /** …1 where the file has a signature (long enough to compare)… */
  signed?: Uint8Array;
  /** …and its publishedAt in ms (NaN when it has none). */
  publishedAt?: Float64Array;
}

/** Findings of the files that have any, by file index. */
export type FindingsByFile = Array<[number, Finding[]]>;

/**
 * Claims chunks of files until none are left: reads each file, signs it for the near-duplicate
 * index and checks it with every rule but the near-duplicate one (which needs every signature).
 * Runs in this thread and in each worker (validate-worker.ts); chunks balance
 * the load, whatever each thread's speed or start-up time.
 */
export function validateClaimedChunks(shared: SharedValidation): FindingsByFile {
  const context: RuleContext = { detectLanguage: defaultDetectLanguage };
  const rules = recommendedPreset.filter((rule) => rule.id !== qualityNearDuplicate.id);
  const found: FindingsByFile = [];
  for (;;) {
    const start = Atomics.add(shared.cursor, 0, 1) * shared.chunk;
    if (start >= shared.files.length) return found;
    const end = Math.min(start + shared.chunk, shared.files.length);
    for (let index = start; index < end; index++) {
      // Synchronous reads: the files are small, and a promise per read costs more CPU than the read.
      const text = readFileSync(shared.files[index]!, 'utf8');
      if (shared.signatures) {
        shared.signed![index] = signInto(bodyOf(text), shared.signatures, index * SIGNATURE_LENGTH) ? 1 : 0;
        shared.publishedAt![index] = publishedAtOf(text) ?? Number.NaN;
      }
      const { findings } = validateArticleText(text, shared.shown[index]!, shared.config, rules, context);
      if (findings.length > 0) found.push([index, findings]);
    }
  }
}

/**
 * Validates `files` in this thread and `threads − 1` worker threads, which all claim chunks of
 * files (validateClaimedChunks). Then this thread matches the signatures of all files and adds
 * the near-duplicate findings, and returns the findings in file order — the same as one thread.
 */
async function validateInThreads(config: ResolvedConfig, files: string[], shown: string[], threads: number, wantsArchive: boolean): Promise<Finding[]> {
  const shared: SharedValidation = {
    config,
    files,
    shown,
    // Small enough that threads finish within a chunk of each other, large enough that claiming costs nothing.
    chunk: Math.max(1, Math.min(64, Math.ceil(files.length / (threads * 16)))),
    cursor: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)),
  };
  if (wantsArchive) {
    shared.signatures = new Uint32Array(new SharedArrayBuffer(files.length * SIGNATURE_LENGTH * Uint32Array.BYTES_PER_ELEMENT));
    shared.signed = new Uint8Array(new SharedArrayBuffer(files.length));
    shared.publishedAt = new Float64Array(new SharedArrayBuffer(files.length * Float64Array.BYTES_PER_ELEMENT));
  }
  // Workers start first: loading their modules overlaps with this thread's first chunks.
  const workers = Array.from({ length: threads - 1 }, () => new Worker(new URL('./validate-worker.ts', import.meta.url), { workerData: shared }));
  const results = workers.map(
    (worker) =>
      new Promise<FindingsByFile>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`a validate worker thread stopped (exit code ${code}) before it finished`)));
      }),
  );
  try {
    const byFile = new Map<number, Finding[]>(validateClaimedChunks(shared));
    for (const result of await Promise.all(results)) for (const [index, found] of result) byFile.set(index, found);
    if (wantsArchive) addNearDuplicates(config, shared, byFile);
    return [...byFile.keys()].sort((a, b) => a - b).flatMap((index) => byFile.get(index)!);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** Matches every file's signature and adds the near-duplicate findings of the files that have a match. */
function addNearDuplicates(config: ResolvedConfig, shared: SharedValidation, byFile: Map<number, Finding[]>): void {
  const entries = shared.files.map((_, index) => {
    const publishedAt = shared.publishedAt![index]!;
    return {
      file: shared.shown[index]!,
      signature: shared.signed![index] ? shared.signatures!.subarray(index * SIGNATURE_LENGTH, (index + 1) * SIGNATURE_LENGTH) : undefined,
      publishedAt: Number.isNaN(publishedAt) ? undefined : publishedAt,
    };
  });
  const archive = archiveFromSignatures(entries, config.validate.duplicateThreshold);
  const matched = archive.matches();
  if (matched.size === 0) return;
  const context: RuleContext = { detectLanguage: defaultDetectLanguage, archive };
  shared.shown.forEach((file, index) => {
    if (!matched.has(file)) return;
    // Only the few matched files are read again, and checked with the near-duplicate rule alone.
    const text = readFileSync(shared.files[index]!, 'utf8');
    const extra = validateArticleText(text, file, config, [qualityNearDuplicate], context).findings.filter((finding) => finding.rule === qualityNearDuplicate.id);
    if (extra.length > 0) byFile.set(index, sortFindings([...(byFile.get(index) ?? []), ...extra]));
  });
}

export function summarise(files: number, findings: Finding[]): ValidateResult {
  return {
    files,
    findings,
    counts: {
      files,
      errors: findings.filter((finding) => finding.severity === 'error').length,
      warnings: findings.filter((finding) => finding.severity === 'warning').length,
    },
  };
}

/** Validates one article's text. `file` is the path shown in findings. */
export function validateArticleText(
  text: string,
  file: string,
  config: ResolvedConfig,
  rules: readonly Rule[] = recommendedPreset,
  context: RuleContext = { detectLanguage: defaultDetectLanguage },
): { findings: Finding[]; article: ParsedArticle | undefined } {
  const findings: Finding[] = [];
  // Fast path: gray-matter's parse (its YAML engine, without its other work). Source positions
  // are only needed when something is wrong, so the slower position-keeping parser runs for
  // failing files alone.
  let parsed: ParsedFrontmatter;
  try {
    parsed = parseFrontmatter(text);
  } catch {
    const source = frontmatterSource(text);
    const error = source?.error;
    findings.push(findingFrom(FrontmatterYamlInvalid, [error?.message ?? 'the YAML cannot be parsed'], { file, line: error?.line ?? 1, column: error?.column ?? 1 }));
    return { findings, article: undefined };
  }

  const bodyStart = text.length - parsed.content.length;
  const bodyLine = countLines(text, bodyStart);

  if (!parsed.matter && Object.keys(parsed.data).length === 0) {
    findings.push(findingFrom(FrontmatterMissing, [], { file, line: 1, column: 1 }));
    return { findings, article: undefined };
  }

  const result = articleFrontmatterSchema.safeParse(parsed.data);
  if (!result.success) {
    const source = frontmatterSource(text);
    for (const issue of schemaIssues(result.error)) {
      const position = source?.locate(issue.path) ?? { line: 1, column: 1 };
      findings.push(findingFrom(FrontmatterFieldInvalid, [issue.dottedPath, issue.message], { file, ...position, rule: 'frontmatter/schema' }));
    }
  }

  const article: ParsedArticle = { file, frontmatter: result.success ? result.data : undefined, body: parsed.content, bodyLine };
  const overrides = config.validate.rules;
  let source: YamlSource | undefined | null = null;
  for (const rule of rules) {
    const override = overrides[rule.id];
    if (override === 'off') continue;
    const severity = override === 'warn' ? 'warning' : override === 'error' ? 'error' : rule.severity;
    for (const message of rule.check(article, config, context)) {
      let position: { line: number; column: number };
      if (message.path) {
        // Frontmatter messages point at the key's own line (positions computed only when needed).
        if (source === null) source = frontmatterSource(text);
        position = source?.locate(message.path) ?? { line: 1, column: 1 };
      } else {
        const body = positionOf(article.body, message.offset ?? 0);
        position = { line: bodyLine + body.line - 1, column: body.column };
      }
      const finding: Finding = {
        severity,
        rule: rule.id,
        message: message.message,
        file,
        line: position.line,
        column: position.column,
      };
      if (message.hint) finding.hint = message.hint;
      findings.push(finding);
    }
  }
  return { findings: sortFindings(findings), article };
}

/**
 * Findings of one file in reading order; at one position, schema findings first, then rules in
 * preset order — so the worker threads, which add near-duplicates last, print the same as here.
 */
export function sortFindings(findings: Finding[]): Finding[] {
  const rank = (finding: Finding) => (finding.rule === undefined || finding.rule === 'frontmatter/schema' ? -1 : (RULE_ORDER.get(finding.rule) ?? RULE_ORDER.size));
  return findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || rank(a) - rank(b));
}

const RULE_ORDER = new Map(recommendedPreset.map((rule, index) => [rule.id, index]));

function positionOf(text: string, offset: number): { line: number; column: number } {
  const line = countLines(text, offset);
  const column = offset - text.lastIndexOf('\n', offset - 1);
  return { line, column };
}

/** 1-based line number of `offset`. */
function countLines(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line++;
  return line;
}

/** The frontmatter parsed with source positions (line numbers of the whole file), if there is one. */
function frontmatterSource(text: string): YamlSource | undefined {
  const match = /^\uFEFF?---[^\S\n]*\r?\n([\s\S]*?)^---[^\S\n]*$/m.exec(text);
  if (!match || match.index !== 0) return undefined;
  return parseYamlSource(match[1] ?? '', countLines(text, text.indexOf('\n') + 1) - 1);
}

/** The body after the frontmatter, cut without parsing the YAML (the archive only needs words). */
export function bodyOf(text: string): string {
  const match = /^\uFEFF?---[^\S\n]*\r?\n[\s\S]*?^---[^\S\n]*$/m.exec(text);
  return match && match.index === 0 ? text.slice(match[0].length) : text;
}

export function publishedAtOf(text: string): number | undefined {
  const match = /^publishedAt:\s*["']?([^"'\n]+)/m.exec(text);
  const time = match ? Date.parse(match[1]!.trim()) : Number.NaN;
  return Number.isNaN(time) ? undefined : time;
}

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
