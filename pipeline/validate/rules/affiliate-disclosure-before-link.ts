import type { ResolvedConfig } from '../../config/niche-config.ts';
import { cloakedProgramId, programForUrl } from './link-targets.ts';
import { blocksOf, linksOf } from './markdown-scan.ts';
import { type Rule } from './rule.ts';

/**
 * The affiliate disclosure comes before the first affiliate link.
 *
 * What the site renders decides: when frontmatter `affiliates` lists programs, the article page
 * (site/pages/articles/[...slug].astro) shows the site's disclosure above the body, so every link
 * in the body follows it. Otherwise the body itself must carry a disclosure (the site's wording,
 * a program's own `disclosure`, or a sentence saying the links are affiliate links / earn a
 * commission) before its first affiliate link — that is also what survives in feeds and the
 * newsletter. The FTC asks for a disclosure before the link, not in a footer.
 *
 * ok:     affiliates: [ledgerly], body links to Ledgerly
 * not-ok: no `affiliates`, body links to Ledgerly before (or without) a disclosure
 */
export const affiliateDisclosureBeforeLink: Rule = {
  id: 'affiliate/disclosure-before-link',
  severity: 'error',
  description: 'A disclosure precedes the first affiliate link.',
  check(article, config) {
    if (!article.frontmatter || article.frontmatter.affiliates.length > 0) return [];
    const first = linksOf(article).find((link) => isAffiliateLink(link.url, config));
    if (!first) return [];
    const disclosed = blocksOf(article).some((block) => block.offset < first.offset && isDisclosure(block.text, config));
    if (disclosed) return [];
    return [
      {
        message: 'Affiliate link appears before the disclosure',
        hint: 'List the program in frontmatter `affiliates` (the page then shows the disclosure above the body), or put the disclosure in a paragraph before this link.',
        offset: first.offset,
      },
    ];
  },
};

export function isAffiliateLink(url: string, config: ResolvedConfig): boolean {
  const cloaked = cloakedProgramId(url);
  if (cloaked !== undefined) return config.affiliates.some((program) => program.id === cloaked);
  return programForUrl(url, config) !== undefined;
}

const normalise = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

function isDisclosure(text: string, config: ResolvedConfig): boolean {
  const plain = normalise(text);
  const wordings = [config.site.disclosure, ...config.affiliates.map((program) => program.disclosure ?? '')].filter(Boolean);
  if (wordings.some((wording) => plain.includes(normalise(wording)))) return true;
  return /\baffiliate links?\b|\b(we|i) (may )?earn (a )?(commission|referral fee)|\bcommission\b[^.]*\b(sign up|buy|purchase)/i.test(text);
}
