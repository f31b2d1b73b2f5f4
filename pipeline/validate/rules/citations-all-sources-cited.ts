import { codeOf, inRanges } from './markdown-scan.ts';
import { type Rule, type RuleMessage } from './rule.ts';

/**
 * Every listed source is cited in the body (a marker `[n]` or a link to its URL).
 *
 * A source nobody cites is padding: it makes the article look better researched than it is,
 * and it usually means the claim that used it was cut or never written.
 *
 * ok:     two sources, cited [1] and [2]
 * not-ok: three sources, only [1] and [2] cited
 */
export const citationsAllSourcesCited: Rule = {
  id: 'citations/all-sources-cited',
  severity: 'warning',
  description: 'Every listed source is cited in the body.',
  check(article) {
    const sources = article.frontmatter?.sources;
    if (!sources || sources.length === 0) return [];
    const code = codeOf(article);
    const cited = new Set<number>();
    for (const match of article.body.matchAll(/(?<![\\\w])\[\[?(\d{1,3})\]?\]/g)) {
      if (!inRanges(match.index, code)) cited.add(Number(match[1]));
    }
    const messages: RuleMessage[] = [];
    sources.forEach((source, index) => {
      if (cited.has(index + 1) || article.body.includes(`](${source.url}`)) return;
      messages.push({
        message: `Source ${index + 1} ("${source.title.slice(0, 50)}") is never cited`,
        hint: `Cite it with [${index + 1}] where the article uses it, or remove it from \`sources\`.`,
        path: ['sources', index],
      });
    });
    return messages;
  },
};
