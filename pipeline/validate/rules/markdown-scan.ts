/**
 * Views of a Markdown body that several rules share (code ranges, links, blocks, heading lines),
 * read with regular expressions and computed once per article.
 */
import type { ParsedArticle } from './rule.ts';

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

export function memoOf(article: ParsedArticle) {
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

