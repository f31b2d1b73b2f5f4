import { matchesIn, proseOf, textBlocks } from '../prose.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * Machine-written articles claim no first-hand experience and quote no invented testimonials.
 *
 * "I tested it for three months", "in my experience", "we've been using it since 2021" and
 * reviews signed by made-up readers are endorsements that consumer-protection rules forbid when
 * they are not true — and a model never had the experience. Only human articles, written by
 * someone who did, may speak that way.
 *
 * ok:     generator: human — "I tested the wallet for a month."
 * not-ok: generator: openai — "I've personally used StakePort for two years."
 */
export const complianceNoExperienceClaims = defineRule({
  id: 'compliance/no-experience-claims',
  version: 2,
  severity: 'error',
  description: 'Generated articles do not claim experience or quote invented testimonials.',
  check(article) {
    if (!article.frontmatter || article.frontmatter.generator === 'human') return [];
    const messages: RuleMessage[] = [];
    for (const block of textBlocks(article.tree)) {
      const prose = proseOf(block);
      for (const match of matchesIn(prose.text, EXPERIENCE)) {
        messages.push({
          message: `First-person experience claim: "${match[0].trim()}"`,
          hint: 'Attribute experience to a cited source ("DeFi Ledger tested…") or remove it; the article was not written by someone who had it.',
          point: prose.pointAt(match.index),
        });
      }
      if (TESTIMONIAL.test(prose.text)) {
        messages.push({
          message: 'Testimonial with no source: a quote signed by a reader or customer',
          hint: 'Quote only what a listed source published, with a citation; never invent a reader or customer.',
          node: block,
        });
      }
    }
    return messages;
  },
});

const EXPERIENCE = new RegExp(
  [
    String.raw`\b(I|we)(['’]ve| have)? (personally )?(tested|tried|used|been using|reviewed|bought|staked|deposited|invested|switched|lost|earned|made)\b`,
    String.raw`\bin (my|our) (own )?(experience|testing|tests|portfolio)\b`,
    String.raw`\b(my|our) (own )?(results|returns|earnings|wallet|portfolio|experience)\b`,
    String.raw`\bI (personally|recommend|swear by|love)\b`,
    String.raw`\bhands-on (test|testing|review)\b`,
  ].join('|'),
  'g',
);

/** A quoted line signed like a review: `— Sarah K., verified buyer`, `– Mark, a reader from Ohio`. */
const TESTIMONIAL = /^[“"][^”"\n]{10,}[”"]\s*(?:[—–-]{1,2})\s*[A-Z][a-z]+(?: [A-Z]\.?)?,?\s*(?:[a-z]+ )*(?:buyer|customer|user|reader|investor|member|client|trader)\b/m;
