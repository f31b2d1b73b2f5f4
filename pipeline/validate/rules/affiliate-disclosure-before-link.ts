import type { AffiliateProgram } from '../../schema/affiliate.ts';
import { linksOf } from '../markdown-links.ts';
import { proseOf, textBlocks } from '../prose.ts';
import { programOfLink } from './link-targets.ts';
import { defineRule } from './rule.ts';

/**
 * The affiliate disclosure comes before the first affiliate link.
 *
 * What the site renders decides: when frontmatter `affiliates` lists programs, the article page
 * shows the site's disclosure above the body, so every link in the body follows it. Otherwise
 * the body itself must carry a disclosure (the site's wording, a program's own `disclosure`, or
 * a sentence saying the links are affiliate links / earn a commission) before its first
 * affiliate link — that is also what survives in feeds and the newsletter. Disclosure rules ask
 * for it before the link, not in a footer.
 *
 * ok:     affiliates: [ledgerly], body links to Ledgerly
 * not-ok: no `affiliates`, body links to Ledgerly before (or without) a disclosure
 */
export const affiliateDisclosureBeforeLink = defineRule({
  id: 'affiliate/disclosure-before-link',
  version: 2,
  severity: 'error',
  description: 'A disclosure precedes the first affiliate link.',
  options: (config) => ({ affiliates: config.affiliates, disclosure: config.site.disclosure }),
  check(article, options) {
    if (!article.frontmatter || article.frontmatter.affiliates.length > 0) return [];
    const first = linksOf(article.tree).find((link) => link.type !== 'definition' && programOfLink(link.url, options.affiliates));
    const firstOffset = first?.position?.start.offset;
    if (!first || firstOffset === undefined) return [];
    const disclosed = textBlocks(article.tree).some((block) => (block.position?.start.offset ?? Infinity) < firstOffset && isDisclosure(proseOf(block).text, options));
    if (disclosed) return [];
    return [
      {
        message: 'Affiliate link appears before the disclosure',
        hint: 'List the program in frontmatter `affiliates` (the page then shows the disclosure above the body), or put the disclosure in a paragraph before this link.',
        node: first,
      },
    ];
  },
});

const normalise = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

function isDisclosure(text: string, options: { affiliates: readonly AffiliateProgram[]; disclosure: string }): boolean {
  const plain = normalise(text);
  const wordings = [options.disclosure, ...options.affiliates.map((program) => program.disclosure ?? '')].filter(Boolean);
  if (wordings.some((wording) => plain.includes(normalise(wording)))) return true;
  return /\baffiliate links?\b|\b(we|i) (may )?earn (a )?(commission|referral fee)|\bcommission\b[^.]*\b(sign up|buy|purchase)/i.test(text);
}
