/**
 * The articles' RSS feed (/rss.xml), written by @astrojs/rss: the newest FEED_SIZE published
 * articles (drafts and future-dated ones are never in the collection's published list).
 */
import rss from '@astrojs/rss';
import type { APIRoute } from 'astro';
import { getPublishedArticles } from '../lib/articles.ts';
import { articlePath, niche } from '../lib/niche.ts';

const FEED_SIZE = 50;

export const GET: APIRoute = async (context) => {
  const articles = (await getPublishedArticles()).slice(0, FEED_SIZE);
  return rss({
    title: niche.site.title,
    description: niche.site.description,
    site: context.site ?? niche.site.url,
    trailingSlash: true,
    customData: `<language>${niche.site.language}</language>`,
    items: articles.map((article) => ({
      title: article.data.title,
      description: article.data.description,
      pubDate: article.data.publishedAt,
      link: articlePath(article.id),
      categories: article.data.tags,
    })),
  });
};
