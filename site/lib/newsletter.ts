/**
 * Newsletter issues for the site's archive (/newsletter/): the same issue sources the pipeline
 * renders into emails (content/newsletter/<NNNN>.md), read through the pipeline's own loader,
 * so the archive and the emails cannot disagree. Issues dated after the build clock are left
 * out, like articles.
 */
import { loadIssues, padIssue, type NewsletterIssue } from '../../pipeline/newsletter/issue-source.ts';
import { buildClock, niche } from './niche.ts';

export type { NewsletterIssue };

let issues: Promise<NewsletterIssue[]> | undefined;

/** Published issues, newest first (loaded once per build). */
export function getIssues(): Promise<NewsletterIssue[]> {
  issues ??= loadIssues(niche).then(({ issues: all }) =>
    all.filter((issue) => issue.date.getTime() <= buildClock.getTime()).sort((a, b) => b.issue - a.issue),
  );
  return issues;
}

export function issuePath(issue: Pick<NewsletterIssue, 'issue'>): string {
  return `/newsletter/${padIssue(issue.issue)}/`;
}

export const NEWSLETTER_RSS_PATH = '/newsletter/rss.xml';
