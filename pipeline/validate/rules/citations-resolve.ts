import { codeOf, inRanges } from './markdown-scan.ts';
import { type Rule } from './rule.ts';

/**
 * Every citation marker `[n]` points at a listed source, and a cited link goes to that source.
 *
 * A citation without a source is an unsupported claim; a citation whose link differs from the
 * listed source misleads the reader about where a fact comes from.
 *
 * ok:     Rates rose [[1]](https://defiledger.example/a) — with sources[0].url that URL.
 * not-ok: Rates rose [3] — with only two sources listed.
 */
export const citationsResolve: Rule = {
  id: 'citations/resolve',
  severity: 'error',
  description: 'Citation markers refer to listed sources.',
  check(article) {
    const sources = article.frontmatter?.sources;
    if (!sources) return [];
    const code = codeOf(article);
    const messages = [];
    for (const match of article.body.matchAll(/(?<![\\\w])\[\[?(\d{1,3})\]?\](?:\(([^)\s]+)\))?/g)) {
      if (inRanges(match.index, code)) continue;
      const number = Number(match[1]);
      const source = sources[number - 1];
      if (!source) {
        messages.push({
          message: `Citation [${number}] has no source: the article lists ${sources.length}`,
          hint: 'Add the source to `sources` in the frontmatter, or remove the citation.',
          offset: match.index,
        });
      } else if (match[2] && match[2] !== source.url) {
        messages.push({
          message: `Citation [${number}] links to ${match[2].slice(0, 60)}, not to source ${number} (${source.url.slice(0, 60)})`,
          hint: 'Point the citation at the listed source, or fix the order of `sources`.',
          offset: match.index,
        });
      }
    }
    return messages;
  },
};
