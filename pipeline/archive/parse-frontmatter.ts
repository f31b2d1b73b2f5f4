import { parseYamlSource, type YamlPath, type YamlPosition } from '../lib/yaml-source.ts';

/** An article file split into its YAML frontmatter and its Markdown body. */
export interface ParsedFrontmatter {
  /** The parsed YAML (`{}` without frontmatter). */
  data: { [key: string]: any };
  /** The text after the closing fence. */
  content: string;
  /** The raw YAML between the fences; '' without frontmatter, undefined for an empty file. */
  matter: string | undefined;
  /** 1-based line of the file where `content` starts. */
  bodyLine: number;
  /** Line and column (1-based, of the whole file) of the YAML node at `path`, or of its deepest ancestor. */
  locate(path: YamlPath): YamlPosition;
}

/** Why a file's frontmatter cannot be read: an opening fence without a closing one, or a YAML error. */
export class FrontmatterSyntaxError extends Error {
  readonly kind: 'unclosed' | 'yaml';
  /** Line and column of the file where the problem is. */
  readonly line: number;
  readonly column: number;

  constructor(kind: 'unclosed' | 'yaml', message: string, line: number, column: number) {
    super(message);
    this.name = 'FrontmatterSyntaxError';
    this.kind = kind;
    this.line = line;
    this.column = column;
  }
}

/** `---` alone on the first line (after an optional byte order mark). */
const OPENING_FENCE = /^\uFEFF?---[ \t]*\r?\n/;
/** `---` (or YAML's document end `...`) alone on a line. */
const CLOSING_FENCE = /^(?:---|\.\.\.)[ \t]*\r?$/m;

/**
 * Splits a Markdown file into frontmatter and body and parses the YAML (../lib/yaml-source.ts:
 * YAML 1.2 core schema, so dates stay strings, which the article schema coerces; positions are
 * found only when a finding needs one). Throws a FrontmatterSyntaxError for an unclosed block or
 * invalid YAML, with the line where it is.
 */
export function parseFrontmatter(text: string): ParsedFrontmatter {
  const opening = OPENING_FENCE.exec(text);
  if (!opening) {
    const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    return { data: {}, content, matter: text === '' ? undefined : '', bodyLine: 1, locate: () => ({ line: 1, column: 1 }) };
  }
  const yamlStart = opening[0].length;
  const rest = text.slice(yamlStart);
  const closing = CLOSING_FENCE.exec(rest);
  if (!closing) throw unclosed();
  const raw = rest.slice(0, closing.index);
  let bodyStart = yamlStart + closing.index + closing[0].length;
  if (text[bodyStart] === '\n') bodyStart++;
  const bodyLine = lineAt(text, bodyStart);

  // The YAML starts on the file's second line.
  const yaml = parseYamlSource(raw, 1);
  if (yaml.error) {
    // A block that runs into Markdown headings was never closed: the "---" that ended it is a
    // horizontal rule further down the article.
    if (/\n[ \t]*\n#{1,6}[ \t]+\S/.test(raw)) throw unclosed();
    throw new FrontmatterSyntaxError('yaml', yaml.error.message, yaml.error.line, yaml.error.column);
  }
  return { data: (yaml.value ?? {}) as ParsedFrontmatter['data'], content: text.slice(bodyStart), matter: raw, bodyLine, locate: yaml.locate };
}

const unclosed = () => new FrontmatterSyntaxError('unclosed', 'the frontmatter block opened on line 1 is never closed with a line of ---', 1, 1);

/** 1-based line number of `offset`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line++;
  return line;
}
