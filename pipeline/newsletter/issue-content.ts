import type { ResolvedConfig } from '../config/niche-config.ts';
import type { LoadedArticle } from '../archive/archive.ts';
import { readerDateFormatter } from '../lib/reader-date.ts';
import { withUtm, type UtmTags } from '../lib/utm.ts';
import { padIssue, type NewsletterIssue } from './issue-source.ts';

/**
 * What one issue says, computed once and rendered four ways (HTML, text, markdown, MIME), so
 * the email's HTML and text parts can never disagree about a link, the disclosure or the order.
 * Every URL here is absolute and already UTM-tagged.
 */
export interface IssueContent {
  number: number;
  /** `0003`: the issue's folder and URL segment. */
  padded: string;
  /** The issue's date as the site shows dates (../lib/reader-date.ts). */
  date: string;
  subject: string;
  /** The inbox preview line: the first words of the intro. */
  preheader: string;
  intro: string;
  language: string;
  siteTitle: string;
  siteUrl: string;
  /** The issue on the site (`/newsletter/0003/`). */
  webUrl: string;
  /** Shown before the first affiliate link; undefined when the issue has none. */
  disclosure: string | undefined;
  /** Each linked program's own disclosure and statement, shown with the disclosure. */
  programNotices: Array<{ id: string; name: string; text: string }>;
  items: IssueItem[];
  /** Shown when an article of the issue is YMYL (the site shows it on those articles too). */
  riskDisclaimer: string | undefined;
  /** The unsubscribe merge tag (e.g. `{{unsubscribe_url}}`), left for the email service to fill. */
  unsubscribeUrl: string;
}

export interface IssueItem {
  slug: string;
  title: string;
  description: string;
  url: string;
  /** Registered affiliate programs the article links to, with their tracked URLs intact. */
  affiliates: Array<{ id: string; name: string; url: string }>;
}

const PREHEADER_MAX = 110;

export function issueContent(issue: NewsletterIssue, articles: LoadedArticle[], config: ResolvedConfig): IssueContent {
  const tags: UtmTags = {
    source: config.newsletter.utmSource,
    medium: config.newsletter.utmMedium,
    campaign: `issue-${issue.issue}`,
  };
  const site = config.site.url.endsWith('/') ? config.site.url : `${config.site.url}/`;
  const absolute = (path: string) => new URL(path, site).href;
  const padded = padIssue(issue.issue);
  const items: IssueItem[] = articles.map((article) => ({
    slug: article.slug,
    title: article.frontmatter.title,
    description: article.frontmatter.description,
    url: withUtm(absolute(`articles/${article.slug}/`), tags),
    affiliates: [...new Set(article.frontmatter.affiliates)].flatMap((id) => {
      const program = config.affiliates.find((candidate) => candidate.id === id);
      // The registry's URL, never one from the article text: it carries the tracking id.
      return program ? [{ id, name: program.name, url: withUtm(program.url, tags) }] : [];
    }),
  }));
  const linked = new Set(items.flatMap((item) => item.affiliates.map((program) => program.id)));
  const programNotices = config.affiliates.flatMap((program) => {
    const text = [program.disclosure, program.statement].filter(Boolean).join(' ');
    return linked.has(program.id) && text ? [{ id: program.id, name: program.name, text }] : [];
  });
  return {
    number: issue.issue,
    padded,
    date: readerDateFormatter(config.site.language, config.schedule.timezone)(issue.date),
    subject: issue.subject,
    preheader: preheaderOf(issue.intro),
    intro: issue.intro,
    language: config.site.language,
    siteTitle: config.site.title,
    siteUrl: withUtm(site, tags),
    webUrl: withUtm(absolute(`newsletter/${padded}/`), tags),
    disclosure: linked.size > 0 ? config.site.disclosure : undefined,
    programNotices,
    items,
    riskDisclaimer: articles.some((article) => article.frontmatter.ymyl) && config.site.riskDisclaimer ? config.site.riskDisclaimer : undefined,
    unsubscribeUrl: config.newsletter.unsubscribeUrl,
  };
}

/** Every link the issue carries, in reading order: the text part must carry all of them. */
export function issueLinks(content: IssueContent): string[] {
  return [
    content.webUrl,
    ...content.items.flatMap((item) => [item.url, ...item.affiliates.map((program) => program.url)]),
    content.siteUrl,
    content.unsubscribeUrl,
  ];
}

function preheaderOf(intro: string): string {
  const text = intro.replace(/\s+/g, ' ').trim();
  if (text.length <= PREHEADER_MAX) return text;
  const cut = text.slice(0, PREHEADER_MAX);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 60)).replace(/[,;:.\s]+$/, '')}…`;
}
