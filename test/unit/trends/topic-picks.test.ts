import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../pipeline/schema/feed-item.ts';
import { rankTrends } from '../../../pipeline/trends/rank-trends.ts';
import { sampleConfig } from '../../helpers/context.ts';

// Better picks: the label is the phrase the stories share, breadth counts publishers, and an
// affiliate program fits only a topic that is about what the program is for.

const sample = await sampleConfig();
const config = {
  ...sample,
  site: { ...sample.site, title: 'Crema Bench' },
  trends: { ...sample.trends, ignore: ['espresso', 'coffee'] },
  affiliates: [
    {
      id: 'grindhouse',
      name: 'Grindhouse grinders',
      domains: ['grindhouse.example'],
      url: 'https://grindhouse.example/?ref=crema',
      trackingParams: ['ref'],
      keywords: ['grinder', 'burr'],
      cloak: false,
    },
    {
      id: 'beanbox',
      name: 'Beanbox roaster subscriptions',
      domains: ['beanbox.example'],
      url: 'https://beanbox.example/?ref=crema',
      trackingParams: ['ref'],
      keywords: ['light roast', 'subscription'],
      cloak: false,
    },
  ],
} as typeof sample;

const anchor = Date.parse('2026-10-31T12:00:00Z');
let counter = 0;
function item(feed: string, daysAgo: number, title: string, summary = '', publisher = feed): FeedItem {
  counter++;
  return {
    id: `item-${counter}`,
    title,
    url: `https://${feed.toLowerCase().replace(/\s+/g, '')}.example/${counter}`,
    summary,
    publishedAt: new Date(anchor - daysAgo * 86_400_000).toISOString(),
    feed,
    publisher,
  };
}

/** Six weeks of steady background, so every window has history. */
function background(): FeedItem[] {
  const feeds = ['Alpha', 'Beta', 'Gamma', 'Delta'];
  const items: FeedItem[] = [];
  for (let day = 1; day <= 55; day += 3) items.push(item(feeds[day % 4]!, day, 'Morning routine notes from the bar', 'Same beans, same water.'));
  return items;
}

describe('topic picks', () => {
  it('labels a story by the phrase its sources share, not a broader phrase one of them also uses', () => {
    const items = [
      ...background(),
      item('Alpha', 1, 'Flow profiling comes to light roasts', 'Light roasts respond to a slow start.'),
      item('Beta', 2, 'Why flow profiling needs a paddle', 'Home machines get flow profiling kits.'),
      item('Gamma', 3, 'Flow profiling without a pressure gauge'),
      // A different story that happens to share the broad phrase.
      item('Delta', 2, 'Light roasts sell out at small roasters', 'Light roasts are this autumn’s favourite.'),
    ];
    const { topics } = rankTrends(items, config, { covered: new Set() });
    const flow = topics.find((topic) => topic.items.some((entry) => entry.title.startsWith('Why flow profiling')));
    expect(flow?.label).toBe('Flow profiling');
    expect(flow?.parts.sources).toBe(3);
    // The broad phrase's other story is not carried as a source of the flow-profiling topic.
    expect(flow?.items.map((entry) => entry.title)).not.toContain('Light roasts sell out at small roasters');
  });

  it('keeps the story’s label when a broader phrase ranks higher and shares most of its stories', () => {
    const items = [
      ...background(),
      item('Alpha', 1, 'Flow profiling for light roasts', 'Light roasts open up.'),
      item('Beta', 1, 'Flow profiling, explained', 'Light roasts are where it shows.'),
      item('Gamma', 2, 'Flow profiling on a lever'),
    ];
    const { topics } = rankTrends(items, config, { covered: new Set() });
    const top = topics.find((topic) => topic.items.length === 3);
    expect(top?.key).toBe('flow profiling');
    expect(topics.filter((topic) => topic.items.some((entry) => entry.title === 'Flow profiling on a lever'))).toHaveLength(1);
  });

  it('counts breadth in publishers: two feeds of one publisher are one voice', () => {
    const items = [
      ...background(),
      item('Crema Daily news', 1, 'Pressure profiling kits arrive', '', 'Crema Daily'),
      item('Crema Daily reviews', 2, 'Reviewed: pressure profiling kits', '', 'Crema Daily'),
    ];
    expect(rankTrends(items, config, { covered: new Set() }).topics.map((topic) => topic.key)).not.toContain('pressure profiling');
    const broad = [...items, item('Beta', 2, 'Are pressure profiling kits worth it')];
    const topic = rankTrends(broad, config, { covered: new Set() }).topics.find((entry) => entry.key === 'pressure profiling' || entry.key === 'pressure profiling kits');
    expect(topic?.parts.sources).toBe(2);
  });

  it('fits an affiliate program only to a topic about what it is for, and says why', () => {
    const items = [
      ...background(),
      // About grinders: the keyword is in every headline.
      item('Alpha', 1, 'Flat burr grinder prices fall', 'A cheaper grinder for home bars.'),
      item('Beta', 2, 'Which flat burr grinder to buy now'),
      item('Gamma', 2, 'Flat burr grinder roundup'),
      // About water: "grinder" appears once, in passing, in one summary.
      item('Alpha', 1, 'Water hardness guides for home baristas', 'Clean your grinder too.'),
      item('Beta', 2, 'Water hardness and scale: what to test'),
      item('Delta', 3, 'Water hardness maps by region'),
    ];
    const { topics } = rankTrends(items, config, { covered: new Set() });
    const grinders = topics.find((topic) => topic.key.includes('flat burr'))!;
    const water = topics.find((topic) => topic.key.includes('water hardness'))!;
    expect(grinders.affiliates).toEqual(['grindhouse']);
    expect(grinders.affiliateReasons).toEqual([
      expect.objectContaining({ program: 'grindhouse', keyword: 'grinder', where: 'topic', summary: '“grinder” names the topic' }),
    ]);
    expect(grinders.parts.fit).toBe(1);
    expect(water.affiliates).toEqual([]);
    expect(water.affiliateReasons).toEqual([]);
    expect(water.parts.fit).toBe(0);
  });

  it('fits a program whose keyword is in most headlines, with the count as the reason', () => {
    const items = [
      ...background(),
      item('Alpha', 1, 'Cafe menus add a bean subscription'),
      item('Beta', 2, 'Cafe menus and the subscription question'),
      item('Gamma', 2, 'Cafe menus get shorter'),
    ];
    const { topics } = rankTrends(items, config, { covered: new Set() });
    const menus = topics.find((topic) => topic.key === 'cafe menus');
    expect(menus?.affiliateReasons?.[0]).toMatchObject({ program: 'beanbox', where: 'headlines', matches: 2, of: 3 });
    expect(menus?.affiliateReasons?.[0]?.summary).toMatch(/is in 2 of 3 headlines$/);
  });
});
