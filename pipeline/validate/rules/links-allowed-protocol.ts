import { isSafeUrl } from '../../lib/sanitize-markdown.ts';
import { linksOf } from './markdown-scan.ts';
import { type Rule } from './rule.ts';

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
    const messages = [];
    // The inline links and images outside code (the shared view; reference definitions are not checked).
    for (const link of linksOf(article)) {
      if (link.reference || isSafe(link.url)) continue;
      messages.push({
        message: `Link to "${link.url.slice(0, 60)}" uses a scheme that is not allowed`,
        hint: 'Use an https:// address, a mailto: address, or a site-relative path.',
        offset: link.offset,
      });
    }
    return messages;
  },
};

/**
 * isSafeUrl, answered without its clean-up for the commonest URLs: one that starts with "http:",
 * "https:" or "/" has that scheme (or none) whatever isSafeUrl strips after its first characters.
 */
function isSafe(url: string): boolean {
  return url.startsWith('https:') || url.startsWith('http:') || url.startsWith('/') || isSafeUrl(url);
}
