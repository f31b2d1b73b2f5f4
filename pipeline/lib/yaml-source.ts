import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

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
 * Parses YAML keeping source positions, so a schema error can point at `file:line:col` of the
 * offending key instead of printing a path the user has to find by hand. `lineOffset` shifts
 * positions for YAML embedded in a larger file (frontmatter starts on line 2).
 */
export function parseYamlSource(text: string, lineOffset = 0): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const toPosition = (offset: number): YamlPosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + lineOffset, column: col };
  };

  const firstError = document.errors[0];
  if (firstError) {
    const position = toPosition(errorOffset(text, firstError.code, firstError.pos[0]));
    return {
      value: undefined,
      error: { message: firstError.message.split('\n')[0] ?? firstError.message, ...position },
      locate: () => position,
    };
  }

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

  return { value: document.toJS({ maxAliasCount: 100 }), locate };
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
