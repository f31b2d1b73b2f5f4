import { citationsOf } from '../citations.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * Every citation marker `[n]` points at a listed source, and a cited link goes to that source.
 *
 * A citation without a source is an unsupported claim; a citation whose link differs from the
 * listed source misleads the reader about where a fact comes from.
 *
 * ok:     Rates rose [[1]](https://defiledger.example/a) — with sources[0].url that URL.
 * not-ok: Rates rose [3] — with only two sources listed.
 */
export const citationsResolve = defineRule({
  id: 'citations/resolve',
  version: 2,
  severity: 'error',
  description: 'Citation markers refer to listed sources.',
  check(article) {
    const sources = article.frontmatter?.sources;
    if (!sources) return [];
    const messages: RuleMessage[] = [];
    for (const citation of citationsOf(article.tree)) {
      const source = sources[citation.number - 1];
      if (!source) {
        messages.push({
          message: `Citation [${citation.number}] has no source: the article lists ${sources.length}`,
          hint: 'Add the source to `sources` in the frontmatter, or remove the citation.',
          node: citation.node,
        });
      } else if (citation.url !== undefined && citation.url !== source.url) {
        messages.push({
          message: `Citation [${citation.number}] links to ${citation.url.slice(0, 60)}, not to source ${citation.number} (${source.url.slice(0, 60)})`,
          hint: 'Point the citation at the listed source, or fix the order of `sources`.',
          node: citation.node,
        });
      }
    }
    return messages;
  },
});
