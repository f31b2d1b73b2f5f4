import type { ResolvedConfig } from '../config.ts';
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
  offset: number;
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
  check(article: ParsedArticle, config: ResolvedConfig): RuleMessage[];
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
