import type { Rule, RuleContext } from './rule.ts';

/**
 * An article is not a near-duplicate of an older one (estimated Jaccard similarity of 5-word
 * shingles at or above `validate.duplicateThreshold`; see ../near-duplicates.ts).
 *
 * Two pages saying the same thing compete for the same searches (keyword cannibalisation) and
 * look like spun content. The newer of the pair is flagged; the older one is the original.
 *
 * ok:     an article unlike the rest of the archive
 * not-ok: a light rewrite of an existing article
 */
export const qualityNearDuplicate: Rule = {
  id: 'quality/near-duplicate',
  severity: 'error',
  description: 'The article is not a near-duplicate of an existing one.',
  check(article, config, context: RuleContext) {
    const match = context.archive?.duplicateOf(article.file, article.body);
    if (!match) return [];
    const firstText = article.body.search(/\S/);
    return [
      {
        message: `The article is ${Math.round(match.similarity * 100)}% similar to ${match.file}`,
        hint: `Merge it into ${match.file} or rewrite it around a different angle (threshold: validate.duplicateThreshold = ${config.validate.duplicateThreshold}).`,
        offset: Math.max(0, firstText),
      },
    ];
  },
};
