import { hostMatches, httpHost, programForUrl } from './link-targets.ts';
import { linksOf } from './markdown-scan.ts';
import { type Rule } from './rule.ts';

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
export const linksUnsourcedDomain: Rule = {
  id: 'links/unsourced-domain',
  severity: 'error',
  description: 'External links point at a source, a registered program or the site.',
  check(article, config) {
    if (!article.frontmatter) return [];
    const allowed = new Set<string>();
    for (const source of article.frontmatter.sources) {
      const host = httpHost(source.url);
      if (host) allowed.add(host.replace(/^www\./, ''));
    }
    const site = httpHost(config.site.url);
    if (site) allowed.add(site.replace(/^www\./, ''));
    const messages = [];
    for (const link of linksOf(article)) {
      const host = httpHost(link.url);
      if (!host || programForUrl(link.url, config)) continue;
      if (matchesAny(host, allowed)) continue;
      messages.push({
        message: `Link to ${host}, which is neither a source of this article nor a registered program`,
        hint: 'Add the page to `sources` if the article relies on it, register the program if it is one, or remove the link.',
        offset: link.offset,
      });
    }
    return messages;
  },
};

function matchesAny(host: string, domains: ReadonlySet<string>): boolean {
  for (const domain of domains) if (hostMatches(host, domain)) return true;
  return false;
}
