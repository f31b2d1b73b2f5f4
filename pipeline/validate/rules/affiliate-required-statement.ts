import { proseOf } from '../prose.ts';
import { linksOf } from '../markdown-links.ts';
import { programOfLink } from './link-targets.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * A program that requires a statement ("As an Amazon Associate I earn from qualifying
 * purchases") gets it wherever its links appear.
 *
 * The site shows the statement of every program listed in frontmatter `affiliates` with the
 * disclosure, so listing the program satisfies the rule; a body that links to such a program
 * without listing it must carry the statement itself. Programs terminate accounts over this.
 *
 * ok:     affiliates: [stakeport], body links to StakePort
 * not-ok: body links to StakePort, the program is not listed and the statement is not in the body
 */
export const affiliateRequiredStatement = defineRule({
  id: 'affiliate/required-statement',
  version: 2,
  severity: 'error',
  description: 'Programs that require a statement have it on the page.',
  options: (config) => ({ affiliates: config.affiliates }),
  check(article, { affiliates }) {
    if (!article.frontmatter) return [];
    const listed = new Set(article.frontmatter.affiliates);
    // The body's text, made when a link's program needs its statement (most articles have none).
    let flat: string | undefined;
    const reported = new Set<string>();
    const messages: RuleMessage[] = [];
    for (const link of linksOf(article.tree)) {
      const program = programOfLink(link.url, affiliates);
      if (!program?.statement || listed.has(program.id) || reported.has(program.id)) continue;
      flat ??= flatten(proseOf(article.tree).text);
      if (flat.includes(flatten(program.statement))) continue;
      reported.add(program.id);
      messages.push({
        message: `${program.name} requires its statement where its links appear, and it is missing`,
        hint: `Add "${program.id}" to frontmatter \`affiliates\` (the page then shows "${program.statement}"), or write that statement in the body.`,
        node: link,
      });
    }
    return messages;
  },
});

const flatten = (text: string) => text.replace(/\s+/g, ' ');
