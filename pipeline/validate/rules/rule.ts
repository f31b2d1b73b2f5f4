import type { ResolvedConfig } from '../../config/niche-config.ts';
import { MAX_PHRASE_LISTS, phraseScanner, type PhraseScanner } from './phrase-scanner.ts';
import type { YamlPath } from '../../lib/yaml-source.ts';
import type { AffiliateProgram } from '../../schema/affiliate.ts';
import type { ArticleFrontmatter } from '../../schema/article.ts';

export type RuleSeverity = 'error' | 'warning' | 'off';

/** An article as the rules see it: parsed frontmatter and the markdown body with its position. */
export interface ParsedArticle {
  /** Path shown in findings (relative to the project root). */
  file: string;
  /** Undefined when the frontmatter did not validate: rules that need it skip the file. */
  frontmatter: ArticleFrontmatter | undefined;
  body: string;
  /** 1-based line of the file where the body starts. */
  bodyLine: number;
}

export interface RuleMessage {
  message: string;
  hint?: string;
  /** Offset into the body; converted to file line and column by the runner. */
  offset?: number;
  /** A frontmatter key the message is about (e.g. ['affiliates', 0]); the runner points at its YAML line. */
  path?: YamlPath;
}

/** What a rule may need beyond the article itself; absent parts make the rules that need them skip. */
export interface RuleContext {
  /** Similar articles already known (the other files validated in the same run, or the archive). */
  archive?: DuplicateLookup;
  /** A language detector: ISO 639-1 code of a text, or undefined when unsure. */
  detectLanguage?: (text: string) => string | undefined;
}

export interface DuplicateLookup {
  /** The most similar other article at or above the threshold, or undefined. */
  duplicateOf(file: string, body: string): { file: string; similarity: number } | undefined;
}

/**
 * A lint rule, in the style of remark-lint: a stable id (`area/what-it-checks`), a default
 * severity, a description, and a check that returns messages. Each rule's documented examples
 * live in test/fixtures/rules/<id>/{ok,not-ok}.md and are its tests.
 */
export interface Rule {
  id: string;
  severity: Exclude<RuleSeverity, 'off'>;
  description: string;
  check(article: ParsedArticle, config: ResolvedConfig, context: RuleContext): RuleMessage[];
}

/** Offsets of fenced code blocks and inline code spans, which rules about links/HTML ignore. */
export function codeRanges(body: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const match of body.matchAll(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^\1[^\n]*$|(?![\s\S]))/gm)) {
    ranges.push([match.index, match.index + match[0].length]);
  }
  for (const match of body.matchAll(/(`+)[^`\n][\s\S]*?\1/g)) {
    ranges.push([match.index, match.index + match[0].length]);
  }
  return ranges;
}

export function inRanges(offset: number, ranges: Array<[number, number]>): boolean {
  return ranges.some(([start, end]) => offset >= start && offset < end);
}

/** A markdown link or image in the body, with the offset of its `[`. */
export interface BodyLink {
  label: string;
  url: string;
  offset: number;
  image: boolean;
  /** A reference definition (`[label]: url`) rather than an inline link or image. */
  reference?: boolean;
}

/** Inline links, images and reference definitions outside code, in body order. */
export function bodyLinks(body: string, code: Array<[number, number]> = codeRanges(body)): BodyLink[] {
  const links: BodyLink[] = [];
  for (const match of body.matchAll(/(!?)\[((?:[^\]\\]|\\.|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)/g)) {
    if (inRanges(match.index, code)) continue;
    links.push({ label: match[2] ?? '', url: match[3] ?? '', offset: match.index, image: match[1] === '!' });
  }
  // Reference definitions are rare, and the pattern tries every line: it runs only when "]:" occurs.
  if (body.includes(']:')) {
    for (const match of body.matchAll(/^ {0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s|$)/gm)) {
      if (inRanges(match.index, code)) continue;
      links.push({ label: match[1] ?? '', url: match[2] ?? '', offset: match.index, image: false, reference: true });
    }
  }
  return links.sort((a, b) => a.offset - b.offset);
}

const hostCache = new Map<string, string | undefined>();

/** Lower-case host of an absolute http(s) URL, or undefined. Cached: the same URLs recur across rules and articles. */
export function httpHost(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  const cached = hostCache.get(url);
  if (cached !== undefined || hostCache.has(url)) return cached;
  if (hostCache.size > 50_000) hostCache.clear();
  // The common case read off the text: a lower-case scheme and a host of lower-case ASCII labels
  // ending in a letter label (no IPv4 forms, ports, credentials, escapes, "xn--" or trailing
  // dot), which the URL parser leaves as written. Anything else goes to the URL parser.
  const plain = PLAIN_HOST.exec(url);
  const host = plain ? plain[1]! : URL.parse(url)?.hostname.toLowerCase().replace(/\.$/, '');
  hostCache.set(url, host);
  return host;
}

const PLAIN_HOST = /^https?:\/\/((?!xn--)[a-z0-9-]+(?:\.(?!xn--)[a-z0-9-]+)*\.[a-z]+)(?=[/?#]|$)/;

/** `host` is `domain` or one of its subdomains. */
export function hostMatches(host: string, domain: string): boolean {
  if (host === domain) return true;
  const wanted = domain.toLowerCase();
  return host === wanted || host.endsWith(`.${wanted}`);
}

/** The registered program whose merchant domains include the URL's host. */
export function programForUrl(url: string, config: ResolvedConfig): AffiliateProgram | undefined {
  const host = httpHost(url);
  if (!host) return undefined;
  // Cached per host and registry: several rules ask for every link of every article.
  let byHost = programsByHost.get(config.affiliates);
  if (!byHost) programsByHost.set(config.affiliates, (byHost = new Map()));
  if (byHost.has(host)) return byHost.get(host);
  if (byHost.size > 50_000) byHost.clear();
  const program = config.affiliates.find((candidate) => candidate.domains.some((domain) => hostMatches(host, domain)));
  byHost.set(host, program);
  return program;
}

const programsByHost = new WeakMap<readonly AffiliateProgram[], Map<string, AffiliateProgram | undefined>>();

/** The program a site-relative cloaked link `/go/<id>/…` names, by id (whether or not it exists). */
export function cloakedProgramId(url: string): string | undefined {
  return /^\/go\/([^/?#]+)/.exec(url)?.[1];
}

/** A block of prose: a paragraph, list item run or heading, with its body offset. */
export interface Block {
  text: string;
  offset: number;
}

/** Blank-line separated blocks outside fenced code, in order. */
export function bodyBlocks(body: string, code: Array<[number, number]> = codeRanges(body)): Block[] {
  const blocks: Block[] = [];
  const push = (from: number, to: number) => {
    const raw = body.slice(from, to);
    const text = raw.trim();
    if (!text) return;
    const offset = from + raw.length - raw.trimStart().length;
    if (code.length === 0 || !inRanges(offset, code)) blocks.push({ text, offset });
  };
  // Split on blank lines (newline, optional spaces or tabs, newline) with an indexOf loop: a
  // regex over every character costs a few hundred ms across 10,000 bodies.
  let start = 0;
  for (let newline = body.indexOf('\n'); newline !== -1; newline = body.indexOf('\n', newline + 1)) {
    let next = newline + 1;
    while (next < body.length && (body.charCodeAt(next) === 0x20 || body.charCodeAt(next) === 0x09 || body.charCodeAt(next) === 0x0d)) next++;
    if (body.charCodeAt(next) !== 0x0a) continue;
    push(start, newline);
    start = next + 1;
    newline = next;
  }
  push(start, body.length);
  return blocks;
}

/** Visible words of markdown: link targets, markup and code dropped. */
export function plainWords(markdown: string): string {
  return markdown
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[*_#>|~\[\]()]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Matches of a multiline pattern that can only match where a line starts with up to three
 * spaces and "#" (an ATX heading), outside code — the same matches as `matchesOutsideCode`.
 * Instead of trying every position of the body, the pattern (sticky, `my`) is tried only at
 * those line starts, found from the "#" characters; matches that overlap are skipped as
 * `matchAll` skips them. The pattern must begin with `^ {0,3}#`.
 */
export function matchesAtHeadingLines(article: ParsedArticle, sticky: RegExp, code: Array<[number, number]> = codeOf(article)): RegExpExecArray[] {
  const body = article.body;
  const out: RegExpExecArray[] = [];
  let resume = 0;
  for (const start of headingLineStartsOf(article)) {
    if (start < resume) continue;
    sticky.lastIndex = start;
    const match = sticky.exec(body);
    if (!match) continue;
    resume = start + match[0].length;
    if (!inRanges(match.index, code)) out.push(match);
  }
  return out;
}

/** Line starts (after \n, \r, U+2028 or U+2029, or the body start) followed by up to three spaces and "#". */
function headingLineStartsOf(article: ParsedArticle): number[] {
  const entry = memoOf(article);
  if (entry.headingLines) return entry.headingLines;
  const body = article.body;
  const starts: number[] = [];
  for (let hash = body.indexOf('#'); hash !== -1; hash = body.indexOf('#', hash + 1)) {
    let start = hash;
    while (start > 0 && hash - start < 3 && body.charCodeAt(start - 1) === 0x20) start--;
    const before = start === 0 ? -1 : body.charCodeAt(start - 1);
    if (before === -1 || before === 0x0a || before === 0x0d || before === 0x2028 || before === 0x2029) starts.push(start);
  }
  return (entry.headingLines = starts);
}

/** Offsets of regex matches in the body outside code. */
export function matchesOutsideCode(body: string, pattern: RegExp, code: Array<[number, number]> = codeRanges(body)): RegExpExecArray[] {
  return [...body.matchAll(pattern)].filter((match) => !inRanges(match.index, code));
}

// Several rules need the same views of a body (code ranges, links, blocks); each is computed once
// per article and shared, which keeps 25 rules over 10,000 articles within the time budget.
const memo = new WeakMap<ParsedArticle, { code?: Array<[number, number]>; links?: BodyLink[]; blocks?: Block[]; lower?: string; gates?: number; gateLists?: number; headingLines?: number[] }>();

function memoOf(article: ParsedArticle) {
  let entry = memo.get(article);
  if (!entry) memo.set(article, (entry = {}));
  return entry;
}

export function codeOf(article: ParsedArticle): Array<[number, number]> {
  const entry = memoOf(article);
  return (entry.code ??= article.body.includes('`') || article.body.includes('~~~') ? codeRanges(article.body) : []);
}

export function linksOf(article: ParsedArticle): BodyLink[] {
  const entry = memoOf(article);
  return (entry.links ??= bodyLinks(article.body, codeOf(article)));
}

export function blocksOf(article: ParsedArticle): Block[] {
  const entry = memoOf(article);
  return (entry.blocks ??= bodyBlocks(article.body, codeOf(article)));
}

/** The body in lower case, for cheap `includes` gates before costly patterns. */
export function lowerOf(article: ParsedArticle): string {
  const entry = memoOf(article);
  return (entry.lower ??= article.body.toLowerCase());
}

/**
 * True when the lower-cased body contains any of the phrases: the pattern behind them may match.
 * Every list a rule asks about joins one automaton (phrase-scanner.ts), so one pass
 * over each body answers them all; a list first seen later rebuilds it (that happens on the
 * first articles only).
 */
export function mentionsAny(article: ParsedArticle, phrases: readonly string[]): boolean {
  let bit = gateBits.get(phrases);
  if (bit === undefined) {
    // More lists than one automaton answers for (none of the rules here come close): search each phrase.
    if (gateLists.length === MAX_PHRASE_LISTS) return phrases.some((phrase) => lowerOf(article).includes(phrase));
    bit = gateLists.length;
    gateLists.push(phrases);
    gateBits.set(phrases, bit);
    gateScanner = undefined;
  }
  const entry = memoOf(article);
  if (entry.gates === undefined || entry.gateLists !== gateLists.length) {
    gateScanner ??= phraseScanner(gateLists);
    entry.gates = gateScanner.scan(lowerOf(article));
    entry.gateLists = gateLists.length;
  }
  return (entry.gates & (1 << bit)) !== 0;
}

const gateLists: Array<readonly string[]> = [];
const gateBits = new WeakMap<readonly string[], number>();
let gateScanner: PhraseScanner | undefined;

/** A case-insensitive pattern, also compiled lower-case without the `i` flag (see matchesIgnoringCase). */
export interface FoldedPattern {
  original: RegExp;
  lower: RegExp;
}

export function foldCase(pattern: RegExp): FoldedPattern {
  // Lower-casing the source must not turn \S, \W, \D or \B into their opposites.
  if (/\\[SWDB]/.test(pattern.source)) throw new Error(`foldCase: ${pattern} has an upper-case escape`);
  return { original: pattern, lower: new RegExp(pattern.source.toLowerCase(), pattern.flags.replace('i', '')) };
}

/**
 * Matches of a case-insensitive pattern outside code, with the text as written in the body.
 * Runs the lower-case pattern over the lower-cased body (shared by the rules): V8's `i` flag
 * disables its fast literal scans, which costs seconds over 10,000 articles. When lower-casing
 * changed the length (rare letters like "İ"), offsets would drift, so the `i` pattern runs instead.
 */
export function matchesIgnoringCase(article: ParsedArticle, pattern: FoldedPattern, code: Array<[number, number]> = codeOf(article)): Array<{ index: number; text: string }> {
  const lower = lowerOf(article);
  const [text, regex] = lower.length === article.body.length ? [lower, pattern.lower] : [article.body, pattern.original];
  const out: Array<{ index: number; text: string }> = [];
  for (const match of text.matchAll(regex)) {
    if (!inRanges(match.index, code)) out.push({ index: match.index, text: article.body.slice(match.index, match.index + match[0].length) });
  }
  return out;
}
