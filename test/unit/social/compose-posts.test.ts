import { describe, expect, it } from 'vitest';
import { loadArticles } from '../../../pipeline/archive/archive.ts';
import { composePost } from '../../../pipeline/social/compose-posts.ts';
import { fits } from '../../../pipeline/social/post-length.ts';
import { newsletterNiche } from '../../helpers/newsletter-niche.ts';

const NETWORKS = ['x', 'bluesky', 'mastodon', 'linkedin'] as const;

describe('composePost', () => {
  it('writes a post per network with a UTM-tagged link and the niche hashtags', async () => {
    const niche = await newsletterNiche();
    await niche.addArticle('staking-yields');
    const [article] = await loadArticles(niche.config.resolved.articles);
    for (const network of NETWORKS) {
      const outcome = composePost(article!, network, niche.config);
      if (!outcome.ok) throw new Error(`${network} did not fit`);
      const { post } = outcome;
      const url = new URL(post.url);
      expect(url.pathname).toBe('/articles/staking-yields/');
      expect(Object.fromEntries(url.searchParams)).toEqual({ utm_source: network, utm_medium: 'social', utm_campaign: 'staking-yields' });
      expect(post.text).toContain(post.url);
      expect(post.text).toContain('#DeFi #Staking #CryptoResearch');
      expect(post.text).toContain(article!.frontmatter.title);
      expect(fits(network, post.text)).toBe(true);
      expect(post.length).toBeLessThanOrEqual(post.limit);
    }
    const linkedin = composePost(article!, 'linkedin', niche.config);
    if (!linkedin.ok) throw new Error('linkedin');
    // Takeaways without the article's citation markers.
    expect(linkedin.post.text).toContain('• Rewards are variable and can fall to zero.');
    expect(linkedin.post.text).not.toMatch(/\[\d\]/);
  });

  it('shortens a long article to fit each limit, never cutting the link', async () => {
    const niche = await newsletterNiche();
    const title = `${'Very long restaking headline with 利率 and emoji 👩🏽‍💻 '.repeat(2)}`.trim().slice(0, 118);
    await niche.addArticle('long-one', { title, description: `${'A description that goes on and on about risk. '.repeat(4)}`.slice(0, 199) });
    const [article] = await loadArticles(niche.config.resolved.articles);
    const config = { ...niche.config, social: { ...niche.config.social, hashtags: ['Decentralised_Finance', 'LiquidStakingTokens', 'Research'] } };
    for (const network of ['x', 'bluesky'] as const) {
      const outcome = composePost(article!, network, config);
      if (!outcome.ok) throw new Error(`${network} did not fit`);
      expect(fits(network, outcome.post.text)).toBe(true);
      expect(outcome.post.text).toContain(outcome.post.url);
    }
  });

  it('reports a post that cannot fit instead of cutting the link', async () => {
    const niche = await newsletterNiche({ yamlSuffix: '' });
    await niche.addArticle('x', { title: 'Supercalifragilistic'.repeat(5).slice(0, 100) });
    const [article] = await loadArticles(niche.config.resolved.articles);
    // A site URL so long the link alone is over Bluesky's limit.
    const config = { ...niche.config, site: { ...niche.config.site, url: `https://${'a'.repeat(250)}.example` } };
    const outcome = composePost(article!, 'bluesky', config);
    expect(outcome.ok).toBe(false);
  });
});
