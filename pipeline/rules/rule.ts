import type { ResolvedConfig } from '../config.ts';
import type { YamlPath } from '../lib/yaml-source.ts';
import type { AffiliateProgram } from '../schema/affiliate.ts';
import type { ArticleFrontmatter } from '../schema/article.ts';

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
}

/** Inline links, images and reference definitions outside code, in body order. */
export function bodyLinks(body: string, code: Array<[number, number]> = codeRanges(body)): BodyLink[] {
  const links: BodyLink[] = [];
  for (const match of body.matchAll(/(!?)\[((?:[^\]\\]|\\.|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)/g)) {
    if (inRanges(match.index, code)) continue;
    links.push({ label: match[2] ?? '', url: match[3] ?? '', offset: match.index, image: match[1] === '!' });
  }
  for (const match of body.matchAll(/^ {0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s|$)/gm)) {
    if (inRanges(match.index, code)) continue;
    links.push({ label: match[1] ?? '', url: match[2] ?? '', offset: match.index, image: false });
  }
  return links.sort((a, b) => a.offset - b.offset);
}

const hostCache = new Map<string, string | undefined>();

/** Lower-case host of an absolute http(s) URL, or undefined. Cached: the same URLs recur across rules and articles. */
export function httpHost(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  if (hostCache.has(url)) return hostCache.get(url);
  if (hostCache.size > 50_000) hostCache.clear();
  const host = URL.canParse(url) ? new URL(url).hostname.toLowerCase().replace(/\.$/, '') : undefined;
  hostCache.set(url, host);
  return host;
}

/** `host` is `domain` or one of its subdomains. */
export function hostMatches(host: string, domain: string): boolean {
  const wanted = domain.toLowerCase();
  return host === wanted || host.endsWith(`.${wanted}`);
}

/** The registered program whose merchant domains include the URL's host. */
export function programForUrl(url: string, config: ResolvedConfig): AffiliateProgram | undefined {
  const host = httpHost(url);
  if (!host) return undefined;
  return config.affiliates.find((program) => program.domains.some((domain) => hostMatches(host, domain)));
}

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

/** Offsets of regex matches in the body outside code. */
export function matchesOutsideCode(body: string, pattern: RegExp, code: Array<[number, number]> = codeRanges(body)): RegExpExecArray[] {
  return [...body.matchAll(pattern)].filter((match) => !inRanges(match.index, code));
}

// Several rules need the same views of a body (code ranges, links, blocks); each is computed once
// per article and shared, which keeps 25 rules over 10,000 articles within the time budget.
const memo = new WeakMap<ParsedArticle, { code?: Array<[number, number]>; links?: BodyLink[]; blocks?: Block[]; lower?: string }>();

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

/** True when the lower-cased body contains any of the phrases: the pattern behind them may match. */
export function mentionsAny(article: ParsedArticle, phrases: readonly string[]): boolean {
  let pattern = gatePatterns.get(phrases);
  if (!pattern) {
    // One scan for all phrases: a literal alternation beats a dozen includes() over 7 kB bodies.
    pattern = new RegExp(phrases.map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
    gatePatterns.set(phrases, pattern);
  }
  return pattern.test(lowerOf(article));
}

const gatePatterns = new WeakMap<readonly string[], RegExp>();

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
