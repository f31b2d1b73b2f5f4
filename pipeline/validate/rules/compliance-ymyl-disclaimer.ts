import { proseOf } from '../prose.ts';
import { defineRule } from './rule.ts';

/**
 * Financial (your-money-or-your-life) articles carry the risk disclaimer.
 *
 * The article page renders the site's `riskDisclaimer` above the body when frontmatter `ymyl` is
 * true (the default). An article that talks about money — yields, staking, loans, investing,
 * taxes — but sets `ymyl: false` loses the disclaimer, unless its body carries one itself.
 * Regulators and search engines hold financial pages to a higher standard.
 *
 * ok:     ymyl left at its default (true)
 * not-ok: `ymyl: false` on an article about staking yields, without a disclaimer in the body
 */
export const complianceYmylDisclaimer = defineRule({
  id: 'compliance/ymyl-disclaimer',
  version: 2,
  severity: 'error',
  description: 'Financial articles carry the risk disclaimer.',
  options: (config) => ({ riskDisclaimer: config.site.riskDisclaimer }),
  check(article, { riskDisclaimer }) {
    if (!article.frontmatter || article.frontmatter.ymyl) return [];
    const body = proseOf(article.tree).text;
    const financial = `${article.frontmatter.title}\n${body}`.match(FINANCE)?.length ?? 0;
    if (financial < 3) return [];
    const flat = body.replace(/\s+/g, ' ').toLowerCase();
    const own = riskDisclaimer.replace(/\s+/g, ' ').toLowerCase();
    if (flat.includes(own) || /not (financial|investment) advice/.test(flat)) return [];
    return [
      {
        message: 'The article is about money but sets ymyl: false, so the page shows no risk disclaimer',
        hint: 'Remove `ymyl: false` (the page then shows the risk disclaimer), or add a disclaimer to the body.',
        path: ['ymyl'],
      },
    ];
  },
});

const FINANCE = /\b(yields?|apy|apr|staking|stake|lending|loans?|borrow\w*|invest\w*|returns?|interest rates?|deposits?|tax(es)?|crypto\w*|defi|tokens?|income|profits?|trading)\b/gi;
