import { linksOf } from '../markdown-links.ts';
import { hostMatches, httpHost, programForUrl } from './link-targets.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * External links go only to the article's sources or to registered affiliate programs (or to
 * the site itself).
 *
 * A link to anywhere else is either a hallucinated URL, an unvetted site the publisher now
 * vouches for, or an untracked commercial link; the drafting stage strips such links from model
 * output, and this rule keeps hand edits and imports to the same standard.
 *
 * ok:     [the report](https://defiledger.example/other-page) with a source on defiledger.example
 * not-ok: [a site](https://random-blog.example/post) that is no source and no program
 */
export const linksUnsourcedDomain = defineRule({
  id: 'links/unsourced-domain',
  version: 2,
  severity: 'error',
  description: 'External links point at a source, a registered program or the site.',
  options: (config) => ({ affiliates: config.affiliates, siteUrl: config.site.url }),
  check(article, { affiliates, siteUrl }) {
    if (!article.frontmatter) return [];
    const allowed = [...article.frontmatter.sources.map((source) => source.url), siteUrl]
      .map((url) => httpHost(url)?.replace(/^www\./, ''))
      .filter((host): host is string => host !== undefined);
    const messages: RuleMessage[] = [];
    for (const link of linksOf(article.tree)) {
      const host = httpHost(link.url);
      if (!host || programForUrl(link.url, affiliates) || allowed.some((domain) => hostMatches(host, domain))) continue;
      messages.push({
        message: `Link to ${host}, which is neither a source of this article nor a registered program`,
        hint: 'Add the page to `sources` if the article relies on it, register the program if it is one, or remove the link.',
        node: link,
      });
    }
    return messages;
  },
});
