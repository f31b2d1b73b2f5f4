import { citationsOf } from '../citations.ts';
import { linksOf } from '../markdown-links.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * Every listed source is cited in the body (a marker `[n]` or a link to its URL).
 *
 * A source nobody cites is padding: it makes the article look better researched than it is,
 * and it usually means the claim that used it was cut or never written.
 *
 * ok:     two sources, cited [1] and [2]
 * not-ok: three sources, only [1] and [2] cited
 */
export const citationsAllSourcesCited = defineRule({
  id: 'citations/all-sources-cited',
  version: 2,
  severity: 'warning',
  description: 'Every listed source is cited in the body.',
  check(article) {
    const sources = article.frontmatter?.sources;
    if (!sources || sources.length === 0) return [];
    const cited = new Set(citationsOf(article.tree).map((citation) => citation.number));
    const linked = new Set(linksOf(article.tree).map((link) => link.url));
    const messages: RuleMessage[] = [];
    sources.forEach((source, index) => {
      if (cited.has(index + 1) || linked.has(source.url)) return;
      messages.push({
        message: `Source ${index + 1} ("${source.title.slice(0, 50)}") is never cited`,
        hint: `Cite it with [${index + 1}] where the article uses it, or remove it from \`sources\`.`,
        path: ['sources', index],
      });
    });
    return messages;
  },
});
