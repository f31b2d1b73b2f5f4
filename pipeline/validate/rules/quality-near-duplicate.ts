import { proseOf } from '../prose.ts';
import { defineRule } from './rule.ts';

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
export const qualityNearDuplicate = defineRule({
  id: 'quality/near-duplicate',
  version: 2,
  severity: 'error',
  description: 'The article is not a near-duplicate of an existing one.',
  options: (config) => ({ threshold: config.validate.duplicateThreshold }),
  check(article, { threshold }, context) {
    const match = context.archive?.duplicateOf(article.file, proseOf(article.tree).text);
    if (!match) return [];
    return [
      {
        message: `The article is ${Math.round(match.similarity * 100)}% similar to ${match.file}`,
        hint: `Merge it into ${match.file} or rewrite it around a different angle (threshold: validate.duplicateThreshold = ${threshold}).`,
        node: article.tree.children.find((node) => node.type !== 'yaml') ?? article.tree,
      },
    ];
  },
});
