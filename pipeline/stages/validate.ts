import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import matter from 'gray-matter';
import { displayPath, type ResolvedConfig } from '../config.ts';
import { FrontmatterFieldInvalid, FrontmatterMissing, FrontmatterYamlInvalid, ValidatePathMissing } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { mapLimit } from '../lib/map-limit.ts';
import { schemaIssues } from '../lib/schema-issues.ts';
import { parseYamlSource, type YamlSource } from '../lib/yaml-source.ts';
import { recommendedPreset } from '../rules/preset.ts';
import type { ParsedArticle, Rule } from '../rules/rule.ts';
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
export async function validatePaths(config: ResolvedConfig, paths: readonly string[] = [], rules: readonly Rule[] = recommendedPreset): Promise<ValidateResult> {
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
  // Reads overlap with checking (the file system is the slow part); findings keep file order.
  const perFile = await mapLimit(files, 16, async (file) => validateArticleText(await readFile(file, 'utf8'), displayPath(config.root, file), config, rules).findings);
  for (const fileFindings of perFile) findings.push(...fileFindings);
  return summarise(files.length, findings);
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
  for (const rule of rules) {
    const override = overrides[rule.id];
    if (override === 'off') continue;
    const severity = override === 'warn' ? 'warning' : override === 'error' ? 'error' : rule.severity;
    for (const message of rule.check(article, config)) {
      const position = positionOf(article.body, message.offset);
      const finding: Finding = {
        severity,
        rule: rule.id,
        message: message.message,
        file,
        line: bodyLine + position.line - 1,
        column: position.column,
      };
      if (message.hint) finding.hint = message.hint;
      findings.push(finding);
    }
  }
  findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { findings, article };
}

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
