/**
 * YAML read for its value, with source positions when something is wrong with it.
 *
 * The value comes from js-yaml with its core schema: YAML 1.2's plain scalars (true/false, null
 * and ~, decimal, 0o and 0x numbers, .inf), timestamps left as strings for the schemas to coerce,
 * `<<` an ordinary key, duplicate keys an error, an alias the same value again rather than a copy
 * (so an alias bomb costs nothing to read). The positions come from the `yaml` package's document,
 * which keeps every node's place in the source, and it is built only when asked: by `locate` (a
 * schema error pointing at a key) and for the line of a syntax error. Why two parsers: keeping
 * positions costs several times the plain read (about 0.3 ms against 0.04 ms for an article's
 * frontmatter), and nearly every file read is valid — a cold validate reads thousands.
 * The one shape they read differently is a 0b binary number, which js-yaml takes as a number and
 * YAML 1.2's core schema as a string; either way a schema that wants text reports it.
 */
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

export type YamlPath = readonly PropertyKey[];

export interface YamlPosition {
  line: number;
  column: number;
}

export interface YamlSource {
  /** The parsed value, or undefined when the YAML has errors. */
  value: unknown;
  /** The first syntax error with its position, if any. */
  error?: { message: string; line: number; column: number };
  /** Position of the node at `path` (its key when it has one), or of the deepest ancestor that exists. */
  locate(path: YamlPath): YamlPosition;
}

/**
 * Parses YAML so that a schema error can point at `file:line:col` of the offending key instead of
 * printing a path the user has to find by hand. `lineOffset` shifts positions for YAML embedded in
 * a larger file (frontmatter starts on line 2).
 */
export function parseYamlSource(text: string, lineOffset = 0): YamlSource {
  let positioned: Positioned | undefined;
  const positions = () => (positioned ??= positionedDocument(text, lineOffset));
  let value: unknown;
  try {
    value = load(text, { schema: CORE_SCHEMA });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    // The error as the positioned parser words and places it; js-yaml's own when only it objects.
    const found = positions().error ?? { message: error.reason, line: error.mark.line + 1 + lineOffset, column: error.mark.column + 1 };
    return { value: undefined, error: found, locate: () => ({ line: found.line, column: found.column }) };
  }
  return { value, locate: (path) => positions().locate(path) };
}

interface Positioned {
  error: { message: string; line: number; column: number } | undefined;
  locate(path: YamlPath): YamlPosition;
}

/** The `yaml` package's document of the text: its first error where a writer would look, and the place of each node. */
function positionedDocument(text: string, lineOffset: number): Positioned {
  const lineCounter = new LineCounter();
  const document: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const toPosition = (offset: number): YamlPosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + lineOffset, column: col };
  };
  const firstError = document.errors[0];
  const error = firstError && { message: firstError.message.split('\n')[0] ?? firstError.message, ...toPosition(errorOffset(text, firstError.code, firstError.pos[0])) };

  const locate = (path: YamlPath): YamlPosition => {
    let node: unknown = document.contents;
    let best = toPosition((document.contents as Node | null)?.range?.[0] ?? 0);
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) break;
        const keyNode = pair.key as Node;
        if (keyNode.range) best = toPosition(keyNode.range[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined;
        if (!item) break;
        if (item.range) best = toPosition(item.range[0]);
        node = item;
      } else {
        break;
      }
    }
    return best;
  };
  return { error, locate };
}

/**
 * Where a YAML error is, as a writer would point at it. The parser notices an unclosed quote only
 * where it gives up (often the end of the text); the line that opened the quote is the one to fix.
 */
function errorOffset(text: string, code: string, offset: number): number {
  if (code !== 'MISSING_CHAR' && code !== 'BAD_SCALAR_START' && code !== 'UNEXPECTED_TOKEN' && code !== 'BAD_INDENT') return offset;
  let at = 0;
  for (const line of text.split('\n')) {
    if (at > offset) break;
    const opening = /^\s*(?:-\s+)?(?:[^\s:#'"][^:#]*:\s+)?(["'])/.exec(line);
    if (opening && !closesOnLine(line.slice(opening[0].length), opening[1]!)) return at + opening[0].length - 1;
    at += line.length + 1;
  }
  return offset;
}

/** Whether a quoted scalar whose opening quote came just before `rest` ends on the same line. */
function closesOnLine(rest: string, quote: string): boolean {
  // In double quotes a backslash escapes; in single quotes '' is an escaped quote.
  return quote === '"' ? /^(?:[^"\\]|\\.)*"/.test(rest) : /^(?:[^']|'')*'(?!')/.test(rest);
}
