import { cloakedProgramId } from './link-targets.ts';
import { linksOf } from './markdown-scan.ts';
import { type Rule, type RuleMessage } from './rule.ts';

/**
 * Every affiliate program an article names exists in the registry (content/niche.yaml
 * `affiliates`): in frontmatter `affiliates`, and in cloaked links `/go/<id>/`.
 *
 * An unknown id renders no disclosure statement and a cloaked link to it is a 404 that earns
 * nothing; usually it is a typo or a program that was removed.
 *
 * ok:     affiliates: [ledgerly]  and  [Ledgerly](/go/ledgerly/)
 * not-ok: affiliates: [ledgerlyy]  or  [Ledgerly](/go/nope/)
 */
export const affiliateUnknownProgram: Rule = {
  id: 'affiliate/unknown-program',
  severity: 'error',
  description: 'Affiliate program ids exist in the registry.',
  check(article, config) {
    const known = new Set(config.affiliates.map((program) => program.id));
    const hint = `Registered programs: ${[...known].join(', ') || '(none)'}. Add the program to affiliates in the config, or fix the id.`;
    const messages: RuleMessage[] = [];
    article.frontmatter?.affiliates.forEach((id, index) => {
      if (!known.has(id)) messages.push({ message: `Unknown affiliate program "${id}"`, hint, path: ['affiliates', index] });
    });
    for (const link of linksOf(article)) {
      const id = cloakedProgramId(link.url);
      if (id !== undefined && !known.has(id)) messages.push({ message: `Cloaked link to unknown affiliate program "${id}"`, hint, offset: link.offset });
    }
    return messages;
  },
};
