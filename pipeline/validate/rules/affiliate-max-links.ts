import { linksOf } from '../markdown-links.ts';
import { programOfLink } from './link-targets.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * At most `autoLink.maxPerArticle` links to one program per article (registry setting).
 *
 * A page stuffed with the same affiliate link reads as an advert, and search engines treat it as
 * one; the cap also bounds what keyword auto-linking may add.
 *
 * ok:     one link to StakePort (its cap is 1)
 * not-ok: two links to StakePort
 */
export const affiliateMaxLinks = defineRule({
  id: 'affiliate/max-links',
  version: 2,
  severity: 'warning',
  description: 'Affiliate links per program stay within the per-article cap.',
  options: (config) => ({ affiliates: config.affiliates }),
  check(article, { affiliates }) {
    const counts = new Map<string, number>();
    const messages: RuleMessage[] = [];
    for (const link of linksOf(article.tree)) {
      if (link.type === 'definition') continue;
      const program = programOfLink(link.url, affiliates);
      if (!program) continue;
      const count = (counts.get(program.id) ?? 0) + 1;
      counts.set(program.id, count);
      const cap = program.autoLink.maxPerArticle;
      if (count === cap + 1) {
        messages.push({
          message: `More than ${cap} ${cap === 1 ? 'link' : 'links'} to ${program.name} in one article`,
          hint: 'Keep the most useful link and turn the others into plain text (autoLink.maxPerArticle in the registry sets the cap).',
          node: link,
        });
      }
    }
    return messages;
  },
});
