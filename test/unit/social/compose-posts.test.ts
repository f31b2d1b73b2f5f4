import { describe, expect, it } from 'vitest';
import { loadArticles } from '../../../pipeline/archive/archive.ts';
import { composePost } from '../../../pipeline/social/compose-posts.ts';
import { fits } from '../../../pipeline/social/post-length.ts';
import { newsletterNiche } from '../../helpers/newsletter-niche.ts';

const NETWORKS = ['x', 'bluesky', 'mastodon', 'linkedin'] as const;

describe('composePost', () => {
  it('writes a post per network with a UTM-tagged link, the article\'s own sentences and hashtags from its tags', async () => {
    const niche = await newsletterNiche();
    await niche.addArticle('staking-yields', { tags: ['liquid-staking', 'validator-exits', 'risk'] });
    const [article] = await loadArticles(niche.config.resolved.articles);
    for (const network of NETWORKS) {
      const outcome = composePost(article!, network, niche.config);
      if (!outcome.ok) throw new Error(`${network} did not fit`);
      const { post } = outcome;
      const url = new URL(post.url);
      expect(url.pathname).toBe('/articles/staking-yields/');
      expect(Object.fromEntries(url.searchParams)).toEqual({ utm_source: network, utm_medium: 'social', utm_campaign: 'staking-yields' });
      expect(post.text).toContain(post.url);
      // The article's tags, not the niche's fixed list (the sample config's #DeFi is not this article's).
      expect(post.text).toContain('#LiquidStaking #ValidatorExits');
      expect(post.text).not.toContain('#DeFi');
      expect(post.text).toContain(article!.frontmatter.title);
      // The lead is the article's first takeaway, whole, not its meta description.
      if (network !== 'linkedin') expect(post.text).toContain('Rewards are variable and can fall to zero.');
      expect(post.text).not.toMatch(/risks come first|not financial advice/i);
      expect(fits(network, post.text)).toBe(true);
      expect(post.length).toBeLessThanOrEqual(post.limit);
    }
    const linkedin = composePost(article!, 'linkedin', niche.config);
    if (!linkedin.ok) throw new Error('linkedin');
    // Takeaways without the article's citation markers.
    expect(linkedin.post.text).toContain('• Rewards are variable and can fall to zero.');
    expect(linkedin.post.text).not.toMatch(/\[\d\]/);
    expect(linkedin.post.text).toContain('Every claim in the article links to its source (2 sources).');
    expect(linkedin.post.text).toContain('#LiquidStaking #ValidatorExits #Risk');
  });

  it('uses the niche\'s hashtags only for an article without tags', async () => {
    const niche = await newsletterNiche();
    await niche.addArticle('untagged', { tags: [] });
    const [article] = await loadArticles(niche.config.resolved.articles);
    const outcome = composePost(article!, 'mastodon', niche.config);
    if (!outcome.ok) throw new Error('mastodon');
    expect(outcome.post.text).toContain('#DeFi #Staking #CryptoResearch');
  });

  it('shortens by whole sentences, then by clause, never mid-sentence', async () => {
    const niche = await newsletterNiche();
    const first = 'Blob fees rose about tenfold on Saturday as a token claim and a popular game posted data at the same time.';
    const second = 'Two lending markets cut deposit incentives, citing costs that the subsidies of their host chains no longer cover in full.';
    await niche.addArticle('blob-fees', { title: 'Blob fees: what recent reporting says about the weekend spike and the costs for rollups', keyTakeaways: [`${first} ${second} [1]`], tags: ['blob-fees', 'layer-2'] });
    const [article] = await loadArticles(niche.config.resolved.articles);
    const bluesky = composePost(article!, 'bluesky', niche.config);
    if (!bluesky.ok) throw new Error('bluesky');
    // Both sentences do not fit in 300 graphemes with the title and the full link: the second goes whole.
    expect(bluesky.post.text).toContain(first);
    expect(bluesky.post.text).not.toContain('Two lending markets');
    const mastodon = composePost(article!, 'mastodon', niche.config);
    if (!mastodon.ok) throw new Error('mastodon');
    expect(mastodon.post.text).toContain(`${first} ${second}`);
    // Every paragraph of every post ends a sentence (or a clause, marked …), a link or hashtags.
    for (const text of [bluesky.post.text, mastodon.post.text]) {
      for (const paragraph of text.split('\n\n')) expect(paragraph).toMatch(/([.!?…]|\S+\/[^\s]*|#\w+|says about the weekend spike and the costs for rollups)$/);
    }
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
