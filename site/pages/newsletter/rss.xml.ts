/**
 * The newsletter archive's RSS feed (/newsletter/rss.xml), built from the same issue sources as
 * the emails. The XML is written by pipeline/newsletter/issues-rss.ts (no dependency needed).
 */
import type { APIRoute } from 'astro';
import { getPublishedArticles } from '../../lib/articles.ts';
import { getIssues } from '../../lib/newsletter.ts';
import { niche } from '../../lib/niche.ts';
import { renderIssuesRss } from '../../../pipeline/newsletter/issues-rss.ts';

export const GET: APIRoute = async () => {
  const titles = new Map((await getPublishedArticles()).map((article) => [article.id, article.data.title]));
  const entries = (await getIssues()).map((issue) => ({
    issue,
    articleTitles: issue.articles.flatMap((slug) => {
      const title = titles.get(slug);
      return title ? [title] : [];
    }),
  }));
  return new Response(renderIssuesRss(entries, niche), {
    headers: { 'Content-Type': 'application/rss+xml; charset=utf-8' },
  });
};
