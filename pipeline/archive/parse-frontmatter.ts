import matter from 'gray-matter';

/** The parts of gray-matter's result that validation uses. */
export interface ParsedFrontmatter {
  /** The parsed YAML (`{}` without frontmatter). */
  data: { [key: string]: any };
  /** The text after the closing fence. */
  content: string;
  /** The raw YAML between the fences; '' without frontmatter, undefined for an empty file. */
  matter: string | undefined;
}

/** gray-matter's own YAML engine (js-yaml's safeLoad), which it exposes as `matter.engines`. */
const yaml = (matter as unknown as { engines: { yaml: { parse(input: string, options?: object): any } } }).engines.yaml;

/**
 * What `matter(text, {})` returns (same fences, same YAML engine, same data, content and errors),
 * without the work validation does not need: gray-matter also encodes every file into a Buffer
 * (`file.orig`) and looks the whole text up in its cache, which cost about a third of the parse
 * over 10,000 articles. The steps below follow gray-matter 4.0.3's parseMatter with default
 * options; anything else (a language named after the opening fence, "---json") goes to gray-matter.
 */
export function parseFrontmatter(text: string): ParsedFrontmatter {
  if (text === '') return { data: {}, content: text, matter: undefined };
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // No opening fence, or a longer run of dashes: no frontmatter.
  if (!content.startsWith('---') || content.charAt(3) === '-') return { data: {}, content, matter: '' };
  let rest = content.slice(3);
  if (rest.slice(0, rest.search(/\r?\n/)).trim() !== '') {
    const parsed = matter(text, {});
    return { data: parsed.data, content: parsed.content, matter: parsed.matter };
  }
  const close = rest.indexOf('\n---');
  const raw = close === -1 ? rest : rest.slice(0, close);
  // A block of comments only is empty frontmatter; otherwise YAML errors throw, as in gray-matter.
  let data = raw.replace(/^\s*#[^\n]+/gm, '').trim() === '' ? {} : (parseSimpleYaml(raw) ?? yaml.parse(raw, {}));
  rest = close === -1 ? '' : rest.slice(close + 4);
  if (rest[0] === '\r') rest = rest.slice(1);
  if (rest[0] === '\n') rest = rest.slice(1);
  // gray-matter's excerpt step replaces null data (a YAML document that is only `~`) with {}.
  data ??= {};
  return { data, content: rest, matter: raw };
}

/**
 * The YAML of ordinary frontmatter, read directly: top-level `key: value` lines, flow lists of
 * plain words, and block lists (indented `- `) of scalars or of one-line `key: value` maps, or
 * such a map itself. Values are double- or single-quoted strings without escapes, plain text
 * starting with a letter, ISO dates and timestamps (UTC), small integers and decimal
 * fractions, null and booleans — resolved as js-yaml's default schema resolves them (dates as
 * in its timestamp type). Returns undefined for anything else (comments, anchors, tags, block
 * scalars, escapes, multi-line scalars, other numbers, duplicate keys, tabs, odd indentation…),
 * which then goes to js-yaml itself.
 *
 * Why: js-yaml's general parser was the largest single cost of validating 10,000 articles
 * (about half a second); this reads the same data in a fraction of that. Tests compare the two.
 */
export function parseSimpleYaml(raw: string): { [key: string]: any } | undefined {
  if (UNSUPPORTED_CHARACTER.test(raw)) return undefined;
  const lines = raw.split('\n');
  const data: { [key: string]: any } = {};
  let index = 0;
  const nextContent = () => {
    while (index < lines.length && isBlank(lines[index]!)) index++;
    return index < lines.length ? lines[index]! : undefined;
  };
  /** A map of one-line `key: value` pairs at `indent`, from its first pair (already consumed). */
  const readMap = (first: RegExpExecArray, indent: number): { [key: string]: any } | typeof UNSUPPORTED => {
    const map: { [key: string]: any } = {};
    for (let pairMatch = first; ; ) {
      const key = pairMatch[1]!;
      const text = stripSpaces(pairMatch[2] ?? '');
      if (!isPlainKey(key) || Object.hasOwn(map, key) || text === '') return UNSUPPORTED;
      const value = scalar(text);
      if (value === UNSUPPORTED) return UNSUPPORTED;
      map[key] = value;
      const following = nextContent();
      if (following === undefined || indentOf(following) !== indent) return map;
      const next = KEY_VALUE.exec(following.slice(indent));
      if (!next) return map;
      pairMatch = next;
      index++;
    }
  };
  for (let line = nextContent(); line !== undefined; line = nextContent()) {
    const pair = KEY_VALUE.exec(line);
    if (!pair || !isPlainKey(pair[1]!) || Object.hasOwn(data, pair[1]!)) return undefined;
    index++;
    const text = stripSpaces(pair[2] ?? '');
    if (text !== '') {
      const value = scalar(text);
      if (value === UNSUPPORTED) return undefined;
      data[pair[1]!] = value;
      continue;
    }
    // No value on the line: a block list or map below, or null.
    const below = nextContent();
    const indent = below === undefined ? 0 : indentOf(below);
    if (indent === 0) {
      data[pair[1]!] = null;
      continue;
    }
    let value: unknown;
    if (below!.startsWith('- ', indent)) {
      const list: unknown[] = [];
      for (let item = nextContent(); item !== undefined && indentOf(item) === indent; item = nextContent()) {
        if (!item.startsWith('- ', indent) || item.charCodeAt(indent + 2) === 0x20) return undefined;
        index++;
        const entry = item.slice(indent + 2);
        const first = KEY_VALUE.exec(entry);
        // A map: its first pair on the `- ` line, the others aligned under it.
        const value = first ? readMap(first, indent + 2) : scalar(stripSpaces(entry));
        if (value === UNSUPPORTED) return undefined;
        list.push(value);
      }
      value = list;
    } else {
      const first = KEY_VALUE.exec(below!.slice(indent));
      if (!first) return undefined;
      index++;
      value = readMap(first, indent);
      if (value === UNSUPPORTED) return undefined;
    }
    const after = nextContent();
    if (after !== undefined && indentOf(after) !== 0) return undefined;
    data[pair[1]!] = value;
  }
  // No pair at all (blank text): js-yaml's answer (undefined) is not an object; leave it to js-yaml.
  return Object.keys(data).length > 0 ? data : undefined;
}

const UNSUPPORTED = Symbol('unsupported');

/**
 * A character the direct reader leaves to js-yaml: tabs, CR and other controls, backslashes
 * (escapes), BOMs, surrogates, and the rest of what js-yaml rejects as non-printable. (One
 * negated class: the regex engine scans it faster than a character loop.)
 */
const UNSUPPORTED_CHARACTER = /[^\n\x20-\x5b\x5d-\x7e\u00a0-\ud7ff\ue000-\ufefe\uff00-\ufffd]/;

/** `key: value` or `key:` (the key starts the line; the value is checked by `scalar`). */
const KEY_VALUE = /^([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$/;

/** Keys that js-yaml would read as something other than their text (null, booleans) or treats specially. */
const isPlainKey = (key: string) => !KEYWORDS.has(key) && key !== '__proto__';

const KEYWORDS = new Map<string, null | boolean>([
  ['null', null], ['Null', null], ['NULL', null],
  ['true', true], ['True', true], ['TRUE', true],
  ['false', false], ['False', false], ['FALSE', false],
]);

const isBlank = (line: string) => line.length === 0 || (line.charCodeAt(0) === 0x20 && /^ *$/.test(line));

/** Leading spaces (only spaces indent YAML). */
function indentOf(line: string): number {
  let indent = 0;
  while (line.charCodeAt(indent) === 0x20) indent++;
  return indent;
}

/** Spaces (YAML's separators here; tabs never get this far) off both ends. */
function stripSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) === 0x20) end--;
  return text.slice(start, end);
}

/** One value, resolved as js-yaml's default schema does, or UNSUPPORTED. */
function scalar(text: string): unknown {
  const first = text.charCodeAt(0);
  if (first === 0x22 /* " */ || first === 0x27 /* ' */) {
    const quote = text[0]!;
    return text.length >= 2 && text.endsWith(quote) && !text.slice(1, -1).includes(quote) ? text.slice(1, -1) : UNSUPPORTED;
  }
  if (first === 0x5b /* [ */) {
    if (!text.endsWith(']')) return UNSUPPORTED;
    const inner = text.slice(1, -1);
    if (/^ *$/.test(inner)) return [];
    const items = inner.split(',').map(stripSpaces);
    return items.every((item) => FLOW_WORD.test(item) && !KEYWORDS.has(item)) ? items : UNSUPPORTED;
  }
  if ((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a)) {
    // Plain text: no ": " or " #" inside and no ":" at the end, which would make it something else.
    if (text.includes(': ') || text.includes(' #') || text.endsWith(':')) return UNSUPPORTED;
    return text.length <= 5 && KEYWORDS.has(text) ? KEYWORDS.get(text) : text;
  }
  if (text === '~') return null;
  const date = DATE.exec(text);
  if (date) {
    const [, year, month, day, hour, minute, second] = date;
    return hour === undefined ? new Date(Date.UTC(+year!, +month! - 1, +day!)) : new Date(Date.UTC(+year!, +month! - 1, +day!, +hour, +minute!, +second!, 0));
  }
  if (/^(?:0|[1-9][0-9]{0,14})$/.test(text)) return Number(text);
  // js-yaml reads a decimal fraction with parseFloat.
  if (/^(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/.test(text)) return Number.parseFloat(text);
  return UNSUPPORTED;
}

/** A word in a flow list: letters, digits, "-" and "_", starting with a letter. */
const FLOW_WORD = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** 2026-10-30, or 2026-10-30T09:00:00Z (UTC, no fraction). */
const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2}):([0-9]{2}):([0-9]{2})Z)?$/;
