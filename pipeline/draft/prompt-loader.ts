import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PromptInvalid } from '../errors/catalogue.ts';
import { NichepressError } from '../errors/nichepress-error.ts';
import { schemaIssues } from '../lib/schema-issues.ts';
import { parseYamlSource } from '../lib/yaml-source.ts';

/**
 * Prompt templates live in prompts/ as files, so wording changes are reviewed like code and every
 * article records which prompt version wrote it (name + content hash).
 *
 * A prompt file is markdown with YAML frontmatter:
 *
 *     ---
 *     name: article
 *     version: 1
 *     temperature: 0.3
 *     variables: [topic, sources]
 *     ---
 *     ## system
 *     …instructions…
 *     ## user
 *     …the request, with {{topic}} and {{sources}}…
 *
 * `## system` and `## user` (level-2 headings, exactly once each, in that order) split the body
 * into the two chat messages. HTML comments (`<!-- … -->`) are notes for the prompt's
 * maintainers and are never sent to the model.
 */
export interface Prompt {
  /** The path the prompt was loaded from, as given. */
  file: string;
  name: string;
  version: string;
  temperature: number;
  /** Declared variables, in the order of the frontmatter. */
  variables: string[];
  /** Template of the system message, with `{{variable}}` placeholders. */
  system: string;
  /** Template of the user message, with `{{variable}}` placeholders. */
  user: string;
  /** First 12 hex digits of the sha256 of the whole file: changes whenever the prompt does. */
  hash: string;
}

export interface RenderedPrompt {
  system: string;
  user: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `{{ name }}`; spaces inside the braces are allowed. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
/** Any `{{` that does not open a well-formed placeholder, e.g. `{{ bad-name }}` or `{{topic}`. */
const MALFORMED_PLACEHOLDER = /\{\{(?!\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\})/;
const SECTION_HEADING = /^##[ \t]+(system|user)[ \t]*$/gim;
const HTML_COMMENT = /<!--[\s\S]*?-->/g;

const frontmatterSchema = z.strictObject({
  name: z.string().min(1, 'a prompt needs a name'),
  version: z.union([z.string().min(1), z.number()]).transform(String),
  temperature: z.number().min(0).max(2),
  variables: z
    .array(z.string().regex(IDENTIFIER, 'a variable name is letters, digits and _ (not starting with a digit)'))
    .refine((names) => new Set(names).size === names.length, 'a variable is listed twice'),
});

export async function loadPrompt(file: string): Promise<Prompt> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw invalid(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, undefined, error);
  }
  return parsePrompt(text, file);
}

/** Parses and checks a prompt's text; `file` is only used in messages. */
export function parsePrompt(text: string, file: string): Prompt {
  const { yaml, body, bodyLine } = splitFrontmatter(text, file);
  const meta = parseFrontmatter(yaml, file);
  const { system, user } = splitSections(body, bodyLine, file);
  checkPlaceholders(text, body, bodyLine, meta.variables, file);
  return {
    file,
    name: meta.name,
    version: meta.version,
    temperature: meta.temperature,
    variables: meta.variables,
    system,
    user,
    hash: createHash('sha256').update(text).digest('hex').slice(0, 12),
  };
}

/**
 * Fills the placeholders in one pass, so a value that itself contains `{{…}}` (feed text can)
 * is inserted literally and never expanded. Variables the prompt does not declare are ignored:
 * the caller offers everything it knows, and a prompt may choose to use less.
 */
export function render(prompt: Prompt, vars: Readonly<Record<string, string>>): RenderedPrompt {
  const missing = prompt.variables.filter((name) => typeof vars[name] !== 'string');
  if (missing.length) {
    throw invalid(prompt.file, `no value given for ${missing.map((name) => `{{${name}}}`).join(', ')}`);
  }
  const fill = (template: string) => template.replace(PLACEHOLDER, (_match, name: string) => vars[name] as string);
  return { system: fill(prompt.system), user: fill(prompt.user) };
}

function invalid(file: string, reason: string, line?: number, cause?: unknown): NichepressError {
  const location = line === undefined ? { file } : { file, line, column: 1 };
  return NichepressError.from(PromptInvalid, [file, reason], { location, cause });
}

function splitFrontmatter(text: string, file: string): { yaml: string; body: string; bodyLine: number } {
  const match = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?\r?\n)?---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) throw invalid(file, 'no frontmatter: the file must start with a --- line, YAML fields and a closing --- line', 1);
  const yaml = match[1] ?? '';
  return { yaml, body: text.slice(match[0].length), bodyLine: lineAt(match[0], match[0].length) };
}

function parseFrontmatter(yaml: string, file: string): z.infer<typeof frontmatterSchema> {
  // Frontmatter starts on line 2 of the file, after the opening ---.
  const source = parseYamlSource(yaml, 1);
  if (source.error) throw invalid(file, `frontmatter is not valid YAML: ${source.error.message}`, source.error.line);
  const result = frontmatterSchema.safeParse(source.value ?? {});
  if (result.success) return result.data;
  const [first] = schemaIssues(result.error);
  if (!first) throw invalid(file, 'invalid frontmatter', 2);
  throw invalid(file, `frontmatter ${first.dottedPath}: ${first.message}`, source.locate(first.path).line);
}

function splitSections(body: string, bodyLine: number, file: string): RenderedPrompt {
  const headings = [...body.matchAll(SECTION_HEADING)];
  const names = headings.map((heading) => (heading[1] ?? '').toLowerCase());
  if (names.length !== 2 || names[0] !== 'system' || names[1] !== 'user') {
    const found = names.length ? names.map((name) => `## ${name}`).join(', ') : 'none';
    throw invalid(file, `the body needs exactly one "## system" heading followed by one "## user" heading (found: ${found})`, bodyLine);
  }
  const [systemHeading, userHeading] = headings as [RegExpExecArray, RegExpExecArray];
  // Text above "## system" would silently never reach the model; make the author place it.
  const preamble = stripComments(body.slice(0, systemHeading.index)).trim();
  if (preamble) throw invalid(file, 'text before "## system" is not sent to the model; move it under a heading or into an <!-- comment -->', bodyLine);
  const system = stripComments(body.slice(systemHeading.index + systemHeading[0].length, userHeading.index)).trim();
  const user = stripComments(body.slice(userHeading.index + userHeading[0].length)).trim();
  if (!system) throw invalid(file, 'the "## system" section is empty', bodyLine + lineAt(body, systemHeading.index) - 1);
  if (!user) throw invalid(file, 'the "## user" section is empty', bodyLine + lineAt(body, userHeading.index) - 1);
  return { system, user };
}

function checkPlaceholders(text: string, body: string, bodyLine: number, declared: string[], file: string): void {
  const visible = stripComments(body);
  const malformed = MALFORMED_PLACEHOLDER.exec(visible);
  if (malformed) {
    const snippet = visible.slice(malformed.index, malformed.index + 24).split('\n')[0];
    throw invalid(file, `malformed placeholder "${snippet}…": write {{name}} with a declared variable name`, lineOf(text, snippet ?? '{{'));
  }
  const used = new Set<string>();
  for (const match of visible.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    used.add(name);
    if (!declared.includes(name)) {
      throw invalid(file, `{{${name}}} is used but not declared under "variables:"`, bodyLine + lineAt(visible, match.index) - 1);
    }
  }
  const unused = declared.filter((name) => !used.has(name));
  if (unused.length) {
    throw invalid(file, `declared variable${unused.length > 1 ? 's' : ''} ${unused.join(', ')} never used in the body`, 2);
  }
}

function stripComments(text: string): string {
  // Keep the newlines so line numbers computed on the stripped text stay right.
  return text.replace(HTML_COMMENT, (comment) => comment.replace(/[^\n]/g, ''));
}

/** 1-based line of `offset` in `text`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < text.length; index++) if (text.charCodeAt(index) === 10) line++;
  return line;
}

function lineOf(text: string, needle: string): number | undefined {
  const index = text.indexOf(needle);
  return index < 0 ? undefined : lineAt(text, index);
}

const BUNDLED_PROMPTS = fileURLToPath(new URL('../../prompts/', import.meta.url));

/** The project's own prompts/<name> when it has one, otherwise the prompt bundled with nichepress. */
export function resolvePromptFile(root: string, name: string): string {
  const own = join(root, 'prompts', name);
  return existsSync(own) ? own : join(BUNDLED_PROMPTS, name);
}

/**
 * JSON for the data blocks of a prompt. `<` and `>` are written as \u escapes (still the
 * same JSON value), so feed text cannot close the `<sources>` block early with a literal
 * `</sources>` and smuggle instructions outside the data.
 */
export function dataJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
}
