import type { AffiliateProgram } from '../../schema/affiliate.ts';
import { linksOf } from '../markdown-links.ts';
import { cloakedProgramId, programForUrl } from './link-targets.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * Links to a merchant go through the registry: they carry the program's tracking parameters with
 * the registered values (or use its link template), and cloaked `/go/<id>/` links are only used
 * for programs that allow cloaking.
 *
 * An untagged merchant link earns nothing; a tag with another value pays someone else (a model
 * may copy a link it saw in a source); cloaking a program that forbids it can void the account.
 *
 * ok:     [Ledgerly](https://shop.ledgerly.example/nano?ref=yieldfieldnotes)
 * not-ok: [Ledgerly](https://shop.ledgerly.example/nano)
 */
export const affiliateUntrackedLink = defineRule({
  id: 'affiliate/untracked-link',
  version: 2,
  severity: 'error',
  description: 'Merchant links carry the registered tracking parameters.',
  options: (config) => ({ affiliates: config.affiliates }),
  check(article, { affiliates }) {
    const messages: RuleMessage[] = [];
    for (const link of linksOf(article.tree)) {
      const cloaked = cloakedProgramId(link.url);
      if (cloaked !== undefined) {
        const program = affiliates.find((candidate) => candidate.id === cloaked);
        if (program && !program.cloak) {
          messages.push({
            message: `${program.name} does not allow cloaked links, but this one goes through /go/${program.id}/`,
            hint: `Link to the program's tracked URL instead: ${program.url}`,
            node: link,
          });
        }
        continue;
      }
      const program = programForUrl(link.url, affiliates);
      const problem = program && trackingProblem(link.url, program);
      if (program && problem) {
        messages.push({
          message: `Link to ${program.name} ${problem}`,
          hint: `Build merchant links from the registry: ${program.url}${program.linkTemplate ? ` or ${program.linkTemplate}` : ''}`,
          node: link,
        });
      }
    }
    return messages;
  },
});

/** Why a merchant URL is not a tracked link of the program, or undefined when it is. */
export function trackingProblem(url: string, program: AffiliateProgram): string | undefined {
  const link = new URL(url);
  const template = program.linkTemplate ? new URL(program.linkTemplate.replace('{url}', 'x')) : undefined;
  // A link made from the template: same host and path, and its fixed parameters kept.
  if (template && link.hostname === template.hostname && link.pathname === template.pathname) {
    for (const [key, value] of template.searchParams) {
      if (value !== 'x' && link.searchParams.get(key) !== value) return `lost the parameter ${key}=${value} of the link template`;
    }
    return undefined;
  }
  const registered = new URL(program.url);
  for (const param of program.trackingParams) {
    const wanted = registered.searchParams.get(param);
    const actual = link.searchParams.get(param);
    if (actual === null) return `has no tracking parameter "${param}"`;
    if (wanted !== null && actual !== wanted) return `has ${param}=${actual}, not the registered ${param}=${wanted}`;
  }
  return undefined;
}
