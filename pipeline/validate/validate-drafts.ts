import type { ResolvedConfig } from '../config/niche-config.ts';
import type { Archive, LoadedArticle } from '../archive/archive.ts';
import type { Draft } from '../draft/draft-topics.ts';
import type { Finding } from '../errors/finding.ts';
import { defaultDetectLanguage } from './language-detector.ts';
import { buildDuplicateArchive } from './near-duplicates.ts';
import { recommendedPreset } from './rules/preset.ts';
import type { RuleContext } from './rules/rule.ts';
import { validateArticleText } from './validate.ts';

export interface CheckedDraft extends Draft {
  /** Every finding of the rules and the schema; error-level ones keep the draft off the site. */
  validation: Finding[];
}

/**
 * Checks drafts as published articles are checked, near-duplicates of the archive included: a
 * copy of an existing article is kept aside as a draft instead of breaking the next build.
 */
export function validateDrafts(config: ResolvedConfig, archive: Archive, drafts: readonly Draft[]): CheckedDraft[] {
  if (drafts.length === 0) return [];
  const rules: RuleContext = { detectLanguage: defaultDetectLanguage, archive: duplicatesAmong(config, archive.articles) };
  return drafts.map((draft) => ({
    ...draft,
    validation: [
      // What drafting found wrong with the answer itself holds the draft back like a rule does.
      ...draft.findings.filter((finding) => finding.severity === 'error'),
      // Named apart from the archive's files: the draft's slug may equal an existing article's.
      ...validateArticleText(draft.article.text, `${draft.article.slug}.md (draft)`, config, recommendedPreset, rules).findings,
    ],
  }));
}

/** The near-duplicate index of these articles, for checking a text that is not one of them. */
export function duplicatesAmong(config: ResolvedConfig, articles: readonly LoadedArticle[]) {
  return buildDuplicateArchive(
    articles.map((article) => ({ file: `${article.slug}.md`, body: article.body, publishedAt: article.frontmatter.publishedAt.getTime() })),
    config.validate.duplicateThreshold,
  );
}
