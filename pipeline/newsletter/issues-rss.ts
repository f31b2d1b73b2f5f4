import type { ResolvedConfig } from '../config/niche-config.ts';
import { escapeHtml } from './escape-html.ts';
import { padIssue, type NewsletterIssue } from './issue-source.ts';

/**
 * RSS 2.0 for the newsletter archive (/newsletter/rss.xml): one item per issue, newest first,
 * linking to the issue's page on the site. Small enough to write by hand: no dependency, and
 * every value is escaped as XML text.
 */
export interface RssIssue {
  issue: NewsletterIssue;
  /** Titles of the issue's articles, in the issue's order. */
  articleTitles: string[];
}

export function renderIssuesRss(entries: RssIssue[], config: ResolvedConfig): string {
  const site = config.site.url.endsWith('/') ? config.site.url : `${config.site.url}/`;
  const archive = new URL('newsletter/', site).href;
  const title = `${config.newsletter.title ?? config.site.title} newsletter`;
  const newest = [...entries].sort((a, b) => b.issue.issue - a.issue.issue);
  const items = newest.map(({ issue, articleTitles }) => {
    const link = new URL(`newsletter/${padIssue(issue.issue)}/`, site).href;
    const description = [issue.intro, ...articleTitles.map((articleTitle) => `• ${articleTitle}`)].filter(Boolean).join('\n');
    return [
      '    <item>',
      `      <title>${xml(issue.subject)}</title>`,
      `      <link>${xml(link)}</link>`,
      `      <guid isPermaLink="true">${xml(link)}</guid>`,
      `      <pubDate>${issue.date.toUTCString()}</pubDate>`,
      `      <description>${xml(description)}</description>`,
      '    </item>',
    ].join('\n');
  });
  const lastBuild = newest[0] ? `\n    <lastBuildDate>${newest[0].issue.date.toUTCString()}</lastBuildDate>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${xml(title)}</title>
    <link>${xml(archive)}</link>
    <description>${xml(`Every issue of the ${title}. ${config.site.description}`)}</description>
    <language>${xml(config.site.language)}</language>
    <atom:link href="${xml(new URL('rss.xml', archive).href)}" rel="self" type="application/rss+xml"/>${lastBuild}
${items.join('\n')}
  </channel>
</rss>
`;
}

/** XML text: the HTML escape covers it; control characters XML 1.0 forbids are dropped. */
function xml(text: string): string {
  return escapeHtml(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ''));
}
