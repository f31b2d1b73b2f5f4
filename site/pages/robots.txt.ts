/**
 * robots.txt: everything may be crawled except the cloaked affiliate redirects (/go/) and the
 * publisher's trends page; points at the sitemap written by @astrojs/sitemap.
 */
import type { APIRoute } from 'astro';
import { niche } from '../lib/niche.ts';

export const GET: APIRoute = (context) => {
  const sitemap = new URL('/sitemap-index.xml', context.site ?? niche.site.url).href;
  const body = ['User-agent: *', 'Allow: /', 'Disallow: /go/', 'Disallow: /trends/', '', `Sitemap: ${sitemap}`, ''].join('\n');
  return new Response(body, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
};
