import type { ResolvedConfig } from '../../config/niche-config.ts';
import type { YamlPath } from '../../lib/yaml-source.ts';
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

