import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import matter from 'gray-matter';
import { displayPath, type ResolvedConfig } from '../config.ts';
import { FrontmatterFieldInvalid, FrontmatterMissing, FrontmatterYamlInvalid, ValidatePathMissing } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
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
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    findings.push(...validateArticleText(text, displayPath(config.root, file), config, rules).findings);
  }
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
  let source: YamlSource | undefined;
  let parsed: matter.GrayMatterFile<string>;
  try {
    // Our own YAML engine keeps positions, so schema errors can point at the failing key.
    parsed = matter(text, {
      engines: {
        yaml: (yaml: string) => {
          // gray-matter hands over the text right after the opening ---, newline included, so
          // YAML line 1 is the --- line itself: no offset needed.
          source = parseYamlSource(yaml, 0);
          return (source.value ?? {}) as object;
        },
      },
    });
  } catch (error) {
    findings.push(findingFrom(FrontmatterYamlInvalid, [(error as Error).message], { file, line: 1, column: 1 }));
    return { findings, article: undefined };
  }

  const bodyStart = text.length - parsed.content.length;
  const bodyLine = text.slice(0, bodyStart).split('\n').length;

  if (!source) {
    findings.push(findingFrom(FrontmatterMissing, [], { file, line: 1, column: 1 }));
    return { findings, article: undefined };
  }
  if (source.error) {
    findings.push(findingFrom(FrontmatterYamlInvalid, [source.error.message], { file, line: source.error.line, column: source.error.column }));
    return { findings, article: undefined };
  }

  const yamlSource: YamlSource = source;
  const result = articleFrontmatterSchema.safeParse(parsed.data);
  if (!result.success) {
    for (const issue of schemaIssues(result.error)) {
      const position = yamlSource.locate(issue.path);
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
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
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
