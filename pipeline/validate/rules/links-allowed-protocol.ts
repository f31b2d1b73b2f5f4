import { isSafeUrl } from '../../lib/sanitize-markdown.ts';
import { linksOf } from '../markdown-links.ts';
import { defineRule } from './rule.ts';

/**
 * Links and images may only use http(s), mailto, or site-relative paths.
 *
 * `javascript:` and `data:` URLs run code or smuggle content into a page; other schemes break
 * for readers. Model output and hand edits are both checked.
 *
 * ok:     [the report](https://defiledger.example/report)
 * not-ok: [click](javascript:alert(1))
 */
export const linksAllowedProtocol = defineRule({
  id: 'links/allowed-protocol',
  version: 2,
  severity: 'error',
  description: 'Links use http(s), mailto or site-relative URLs only.',
  check(article) {
    return linksOf(article.tree)
      .filter((link) => !isSafeUrl(link.url))
      .map((link) => ({
        message: `Link to "${link.url.slice(0, 60)}" uses a scheme that is not allowed`,
        hint: 'Use an https:// address, a mailto: address, or a site-relative path.',
        node: link,
      }));
  },
});
