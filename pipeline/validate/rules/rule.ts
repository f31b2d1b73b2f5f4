import type { Nodes, Root } from 'mdast';
import type { ResolvedConfig } from '../../config/niche-config.ts';
import type { YamlPath } from '../../lib/yaml-source.ts';
import type { ArticleFrontmatter } from '../../schema/article.ts';

export type RuleSeverity = 'error' | 'warning' | 'off';

/** An article as the rules see it: its frontmatter and the mdast tree of the whole file. */
export interface ParsedArticle {
  /** Path shown in findings (relative to the project root). */
  file: string;
  /** The whole file, for the few checks that need the source as written (entity references). */
  text: string;
  /** Undefined when the frontmatter did not validate: rules that need it skip the file. */
  frontmatter: ArticleFrontmatter | undefined;
  /** The file as an mdast tree; positions are lines and columns of the file. */
  tree: Root;
}

export interface RuleMessage {
  message: string;
  hint?: string;
  /** The node the message is about: the finding points at its first line. */
  node?: Nodes;
  /** A place inside a node, when the message is about part of it (see ../prose.ts). */
  point?: { line: number; column: number };
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
  duplicateOf(file: string, text: string): { file: string; similarity: number } | undefined;
}

/**
 * A lint rule: a stable id (`area/what-it-checks`), a default
 * severity, a description, its own options read from the config, and a check that visits the
 * article's tree and returns messages. Each rule's documented examples live in
 * test/fixtures/rules/<id>/{ok,not-ok}.md and are its tests. `version` changes whenever what the
 * rule reports changes, so cached results of the earlier version are not reused.
 */
export interface Rule<Options = undefined> {
  id: string;
  version: number;
  severity: Exclude<RuleSeverity, 'off'>;
  description: string;
  /** The part of the config this rule reads (also hashed into the cache key). */
  options?: (config: ResolvedConfig) => Options;
  check(article: ParsedArticle, options: Options, context: RuleContext): RuleMessage[];
}

/** Any rule, whatever its options. */
export type AnyRule = Rule<any>;

/** A rule with its options, typed at the definition. */
export function defineRule<Options = undefined>(rule: Rule<Options>): Rule<Options> {
  return rule;
}
