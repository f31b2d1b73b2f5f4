import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../pipeline/config/niche-config.ts';
import { adsTxt, splitAfterParagraph } from '../../../site/lib/ads.ts';
import type { Article } from '../../../site/lib/articles.ts';
import { cloakedPath } from '../../../site/lib/markdown-safety.ts';
import { HUB_MIN_ARTICLES, indexTopics, primaryTopic, relatedArticles, tagLabel } from '../../../site/lib/topics.ts';

/** The few fields the topic helpers read, shaped like a collection entry. */
function article(id: string, day: number, tags: string[]): Article {
  return { id, collection: 'articles', data: { tags, publishedAt: new Date(Date.UTC(2026, 9, day)) } } as unknown as Article;
}

// Newest first, as getPublishedArticles() returns them.
const articles = [
  article('e', 30, ['staking', 'risk']),
  article('d', 29, ['lending']),
  article('c', 28, ['staking', 'liquid-staking', 'risk']),
  article('b', 27, ['staking']),
  article('a', 26, ['liquid-staking', 'risk']),
];

describe('topic index', () => {
  const index = indexTopics(articles);

  it('orders topics by article count, keeps each topic newest first, and gives hubs only to clusters', () => {
    expect(index.topics.map((topic) => [topic.tag, topic.articles.map((entry) => entry.id)])).toEqual([
      ['risk', ['e', 'c', 'a']],
      ['staking', ['e', 'c', 'b']],
      ['liquid-staking', ['c', 'a']],
      ['lending', ['d']],
    ]);
    expect(HUB_MIN_ARTICLES).toBe(2);
    expect(index.hubs.map((topic) => topic.tag)).toEqual(['risk', 'staking', 'liquid-staking']);
    expect(tagLabel('liquid-staking')).toBe('Liquid staking');
  });

  it('relates articles by shared tags, most shared first, then newest, never the article itself', () => {
    // c shares two tags with e and with a (e is newer), one with b.
    expect(relatedArticles(articles[2]!, index).map((entry) => entry.id)).toEqual(['e', 'a', 'b']);
    expect(relatedArticles(articles[1]!, index)).toEqual([]);
    expect(relatedArticles(articles[4]!, index, 1).map((entry) => entry.id)).toEqual(['c']);
  });

  it('picks the first tag with a hub as the primary topic', () => {
    expect(primaryTopic(article('x', 1, ['unknown', 'staking']), index)?.tag).toBe('staking');
    expect(primaryTopic(articles[1]!, index)?.tag).toBe('lending');
  });
});

describe('ad placement', () => {
  const body = '<h2>A</h2><p>one</p><ul><li><p>nested</p></li></ul><p>two <br> <em>x</em></p><blockquote><p>q</p></blockquote><p>three</p>';

  it('splits after the n-th top-level paragraph, skipping paragraphs inside lists and quotes', () => {
    expect(splitAfterParagraph(body, 2)).toEqual({
      before: '<h2>A</h2><p>one</p><ul><li><p>nested</p></li></ul><p>two <br> <em>x</em></p>',
      after: '<blockquote><p>q</p></blockquote><p>three</p>',
    });
    expect(splitAfterParagraph(body, 3)?.after).toBe('');
    expect(splitAfterParagraph(body, 4)).toBeUndefined();
  });

  it('writes ads.txt from the config', () => {
    const ads = configSchema.shape.ads.parse({ enabled: true, client: 'ca-pub-1234567890123456', slots: { inArticle: '1' }, adsTxt: ['x.example, 1, RESELLER'] });
    expect(adsTxt(ads).split('\n').filter((line) => line && !line.startsWith('#'))).toEqual([
      'google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0',
      'x.example, 1, RESELLER',
    ]);
    expect(adsTxt(configSchema.shape.ads.parse(undefined))).toMatch(/^#[^\n]*\n$/);
  });

  it('is off by default, and refuses to switch on without a publisher id and a slot', () => {
    expect(configSchema.shape.ads.parse(undefined).enabled).toBe(false);
    const result = configSchema.shape.ads.safeParse({ enabled: true });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('with ads.enabled, set ads.client and ads.slots.inArticle');
  });
});

describe('cloaked affiliate links', () => {
  const cloaked = [{ id: 'ledgerly', url: 'https://shop.ledgerly.example/?ref=yieldfieldnotes' }];

  it('sends the tracked URL of a cloakable program to /go/<id>/ and leaves other links alone', () => {
    expect(cloakedPath('https://shop.ledgerly.example/?ref=yieldfieldnotes', cloaked)).toBe('/go/ledgerly/');
    expect(cloakedPath('https://SHOP.ledgerly.example/?ref=yieldfieldnotes', cloaked)).toBe('/go/ledgerly/');
    expect(cloakedPath('https://shop.ledgerly.example/wallets?ref=yieldfieldnotes', cloaked)).toBeUndefined();
    expect(cloakedPath('/relative', cloaked)).toBeUndefined();
  });
});
