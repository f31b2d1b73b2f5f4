import { isSafeUrl } from '../lib/sanitize-markdown.ts';
import { codeOf, inRanges, type Rule } from './rule.ts';

/**
 * Links and images may only use http(s), mailto, or site-relative paths.
 *
 * `javascript:` and `data:` URLs run code or smuggle content into a page; other schemes break
 * for readers. Model output and hand edits are both checked.
 *
 * ok:     [the report](https://defiledger.example/report)
 * not-ok: [click](javascript:alert(1))
 */
export const linksAllowedProtocol: Rule = {
  id: 'links/allowed-protocol',
  severity: 'error',
  description: 'Links use http(s), mailto or site-relative URLs only.',
  check(article) {
    const code = codeOf(article);
    const messages = [];
    for (const match of article.body.matchAll(/!?\[(?:[^\]\\]|\\.|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)/g)) {
      const url = match[1] ?? '';
      if (inRanges(match.index, code) || isSafeUrl(url)) continue;
      messages.push({
        message: `Link to "${url.slice(0, 60)}" uses a scheme that is not allowed`,
        hint: 'Use an https:// address, a mailto: address, or a site-relative path.',
        offset: match.index,
      });
    }
    return messages;
  },
};
