import { cloakedProgramId, programForUrl } from './link-targets.ts';
import { linksOf } from './markdown-scan.ts';
import { type Rule } from './rule.ts';

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
export const affiliateRequiredStatement: Rule = {
  id: 'affiliate/required-statement',
  severity: 'error',
  description: 'Programs that require a statement have it on the page.',
  check(article, config) {
    if (!article.frontmatter) return [];
    const listed = new Set(article.frontmatter.affiliates);
    let flat: string | undefined; // only built when a program with a statement is linked
    const reported = new Set<string>();
    const messages = [];
    for (const link of linksOf(article)) {
      const cloaked = cloakedProgramId(link.url);
      const program = cloaked !== undefined ? config.affiliates.find((candidate) => candidate.id === cloaked) : programForUrl(link.url, config);
      if (!program?.statement || listed.has(program.id) || reported.has(program.id)) continue;
      flat ??= article.body.replace(/\s+/g, ' ');
      if (flat.includes(program.statement.replace(/\s+/g, ' '))) continue;
      reported.add(program.id);
      messages.push({
        message: `${program.name} requires its statement where its links appear, and it is missing`,
        hint: `Add "${program.id}" to frontmatter \`affiliates\` (the page then shows "${program.statement}"), or write that statement in the body.`,
        offset: link.offset,
      });
    }
    return messages;
  },
};
