import { linksOf } from '../markdown-links.ts';
import { cloakedProgramId } from './link-targets.ts';
import { defineRule, type RuleMessage } from './rule.ts';

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
export const affiliateUnknownProgram = defineRule({
  id: 'affiliate/unknown-program',
  version: 2,
  severity: 'error',
  description: 'Affiliate program ids exist in the registry.',
  options: (config) => ({ known: config.affiliates.map((program) => program.id) }),
  check(article, { known }) {
    const hint = `Registered programs: ${known.join(', ') || '(none)'}. Add the program to affiliates in the config, or fix the id.`;
    const messages: RuleMessage[] = [];
    article.frontmatter?.affiliates.forEach((id, index) => {
      if (!known.includes(id)) messages.push({ message: `Unknown affiliate program "${id}"`, hint, path: ['affiliates', index] });
    });
    for (const link of linksOf(article.tree)) {
      const id = cloakedProgramId(link.url);
      if (id !== undefined && !known.includes(id)) messages.push({ message: `Cloaked link to unknown affiliate program "${id}"`, hint, node: link });
    }
    return messages;
  },
});
