import { availableParallelism } from 'node:os';
import { readdir, readFile, stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { join, resolve } from 'node:path';
import matter from 'gray-matter';
import { displayPath, type ResolvedConfig } from '../config.ts';
import { FrontmatterFieldInvalid, FrontmatterMissing, FrontmatterYamlInvalid, LanguageDetectorMissing, ValidatePathMissing } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { defaultDetectLanguage } from '../lib/language-detector.ts';
import { mapLimit } from '../lib/map-limit.ts';
import { archiveFromSignatures, buildDuplicateArchive } from '../lib/near-duplicates.ts';
import { schemaIssues } from '../lib/schema-issues.ts';
import { parseYamlSource, type YamlSource } from '../lib/yaml-source.ts';
import { recommendedPreset } from '../rules/preset.ts';
import type { ParsedArticle, Rule, RuleContext } from '../rules/rule.ts';
import type { WorkerMessage } from './validate-worker.ts';
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
  options: { workers?: number } = {},
): Promise<ValidateResult> {
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
  // Large archives are split over worker threads (the rules are CPU-bound). Workers load the
  // preset themselves, so a custom rule list always runs here.
  const workers = options.workers ?? (files.length >= WORKER_THRESHOLD ? Math.min(availableParallelism(), 4) : 1);
  if (workers > 1 && rules === recommendedPreset) {
    findings.push(...(await validateInWorkers(config, files, shown, workers, wantsArchive)));
    return summarise(files.length, findings);
  }
  const texts = await mapLimit(files, 16, (file) => readFile(file, 'utf8'));
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
  return summarise(files.length, findings);
}

/** Below this many files, starting threads costs more than it saves. */
const WORKER_THRESHOLD = 1500;

/**
 * Validates contiguous slices of `files` in worker threads (pipeline/stages/validate-worker.ts).
 * Each worker signs its files for the near-duplicate index; this thread matches the signatures
 * of all files and hands each worker the matches, then collects findings in file order.
 */
async function validateInWorkers(config: ResolvedConfig, files: string[], shown: string[], count: number, wantsArchive: boolean): Promise<Finding[]> {
  const size = Math.ceil(files.length / count);
  const slices = Array.from({ length: count }, (_, index) => files.slice(index * size, (index + 1) * size).map((path, offset) => ({ path, shown: shown[index * size + offset]! })));
  const workers = slices.filter((slice) => slice.length > 0).map((slice) => new Worker(new URL('./validate-worker.ts', import.meta.url), { workerData: { config, files: slice, signatures: wantsArchive } }));
  try {
    const next = (worker: Worker) =>
      new Promise<WorkerMessage>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        worker.once('error', onError);
        worker.once('message', (message: WorkerMessage) => {
          worker.off('error', onError);
          resolve(message);
        });
      });
    const signed = await Promise.all(workers.map(next));
    let matches: Array<[string, { file: string; similarity: number }]> | undefined;
    if (wantsArchive) {
      const entries = signed.flatMap((message) => (message.type === 'signed' ? message.entries : []));
      matches = [...archiveFromSignatures(entries, config.validate.duplicateThreshold).matches()];
    }
    const done = Promise.all(workers.map(next));
    for (const worker of workers) worker.postMessage({ matches });
    return (await done).flatMap((message) => (message.type === 'done' ? message.findings : []));
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
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
  // Fast path: gray-matter's own YAML parser. Source positions are only needed when something is
  // wrong, so the slower position-keeping parser runs for failing files alone.
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(text, {});
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
  const entries = await readdir(target, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.md$/i.test(entry.name) && !entry.name.startsWith('.'))
    .map((entry) => join(entry.parentPath, entry.name));
}
