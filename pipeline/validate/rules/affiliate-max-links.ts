import { cloakedProgramId, programForUrl } from './link-targets.ts';
import { linksOf } from './markdown-scan.ts';
import { type Rule } from './rule.ts';

/**
 * At most `autoLink.maxPerArticle` links to one program per article (registry setting).
 *
 * A page stuffed with the same affiliate link reads as an advert, and search engines treat it as
 * one; the cap also bounds what keyword auto-linking may add.
 *
 * ok:     one link to StakePort (its cap is 1)
 * not-ok: two links to StakePort
 */
export const affiliateMaxLinks: Rule = {
  id: 'affiliate/max-links',
  severity: 'warning',
  description: 'Affiliate links per program stay within the per-article cap.',
  check(article, config) {
    const counts = new Map<string, number>();
    const messages = [];
    for (const link of linksOf(article)) {
      const cloaked = cloakedProgramId(link.url);
      const program = cloaked !== undefined ? config.affiliates.find((candidate) => candidate.id === cloaked) : programForUrl(link.url, config);
      if (!program) continue;
      const count = (counts.get(program.id) ?? 0) + 1;
      counts.set(program.id, count);
      if (count === program.autoLink.maxPerArticle + 1) {
        messages.push({
          message: `More than ${program.autoLink.maxPerArticle} ${program.autoLink.maxPerArticle === 1 ? 'link' : 'links'} to ${program.name} in one article`,
          hint: 'Keep the most useful link and turn the others into plain text (autoLink.maxPerArticle in the registry sets the cap).',
          offset: link.offset,
        });
      }
    }
    return messages;
  },
};
