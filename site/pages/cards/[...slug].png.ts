/**
 * /cards/<article id>.png: each published article's card (lib/article-card.ts), its Open Graph
 * image and its picture on the site's lists. Drawn once per distinct content, then read from the
 * cache on later builds.
 */
import type { APIRoute, GetStaticPaths, InferGetStaticPropsType } from 'astro';
import { cachedCard, type CardText } from '../../lib/article-card.ts';
import { getPublishedArticles, getTopicIndex } from '../../lib/articles.ts';
import { articleCardCache, niche } from '../../lib/niche.ts';
import { primaryTopic } from '../../lib/topics.ts';

export const getStaticPaths = (async () => {
  const [articles, topics] = await Promise.all([getPublishedArticles(), getTopicIndex()]);
  const host = new URL(niche.site.url).host;
  return articles.map((article) => {
    const card: CardText = { title: article.data.title, topic: primaryTopic(article, topics)?.label, siteTitle: niche.site.title, host };
    return { params: { slug: article.id }, props: { card } };
  });
}) satisfies GetStaticPaths;

type Props = InferGetStaticPropsType<typeof getStaticPaths>;

export const GET: APIRoute<Props> = async ({ props }) => {
  const png = await cachedCard(props.card, articleCardCache);
  return new Response(new Uint8Array(png), { headers: { 'content-type': 'image/png' } });
};
