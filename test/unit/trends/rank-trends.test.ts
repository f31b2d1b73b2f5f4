import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../pipeline/schema/feed-item.ts';
import { rankTrends } from '../../../pipeline/trends/rank-trends.ts';
import { sampleConfig } from '../../helpers/context.ts';

const config = await sampleConfig();
const anchor = Date.parse('2026-10-31T12:00:00Z');
let counter = 0;

function item(feed: string, daysAgo: number, title: string, summary = ''): FeedItem {
  counter++;
  return {
    id: `item-${counter}`,
    title,
    url: `https://${feed.toLowerCase().replace(/\s+/g, '')}.example/${counter}`,
    summary,
    publishedAt: new Date(anchor - daysAgo * 86_400_000).toISOString(),
    feed,
    publisher: feed,
  };
}

/** Six weeks of steady background from four feeds, so every window has history. */
function background(): FeedItem[] {
  const feeds = ['Alpha', 'Beta', 'Gamma', 'Delta'];
  const items: FeedItem[] = [];
  for (let day = 1; day <= 55; day += 3) {
    const feed = feeds[day % 4]!;
    items.push(item(feed, day, `Weekly look at ethereum staking yields and stablecoin lending`, 'Steady numbers again.'));
  }
  return items;
}

describe('rankTrends', () => {
  it('ranks the rising topic first and ignores steady background subjects', () => {
    const items = [
      ...background(),
      item('Alpha', 2, 'Harborfi launches restaking vaults for smaller holders'),
      item('Beta', 3, 'What Harborfi restaking vaults change for depositors'),
      item('Gamma', 4, 'Risks in the new Harborfi restaking vaults'),
    ];
    const { topics } = rankTrends(items, config, { covered: new Set() });
    expect(topics[0]?.key).toMatch(/harborfi restaking|restaking vaults/);
    expect(topics[0]?.parts.sources).toBe(3);
    expect(topics.map((topic) => topic.key)).not.toContain('ethereum staking');
    // The three stories are one topic with three sources, not three topics.
    expect(topics.filter((topic) => topic.items.some((entry) => entry.title.includes('Harborfi')))).toHaveLength(1);
    expect(topics[0]?.items).toHaveLength(3);
  });

  it('drops a topic we already covered', () => {
    const items = [
      ...background(),
      item('Alpha', 2, 'Harborfi launches restaking vaults'),
      item('Beta', 3, 'Harborfi restaking vaults reviewed'),
      item('Gamma', 2, 'Blob fees climb for rollups'),
      item('Delta', 3, 'Rollups absorb higher blob fees'),
    ];
    const before = rankTrends(items, config, { covered: new Set() }).topics.map((topic) => topic.key);
    expect(before).toContain('blob fees');
    const after = rankTrends(items, config, { covered: new Set(['blob fees']) }).topics.map((topic) => topic.key);
    expect(after).not.toContain('blob fees');
    const byTitle = rankTrends(items, config, { covered: new Set(), coveredTitles: ['Blob fees explained: what rollups pay'] });
    expect(byTitle.topics.map((topic) => topic.key)).not.toContain('blob fees');
  });

  it('treats another phrase for stories we already wrote about as covered', () => {
    const items = [
      ...background(),
      item('Alpha', 2, 'Fernway caps lending rates on its stablecoin markets'),
      item('Beta', 3, 'What lending rate caps mean for stablecoin markets'),
    ];
    const open = rankTrends(items, config, { covered: new Set() }).topics.map((topic) => topic.key);
    expect(open).toContain('stablecoin markets');
    const sourced = new Set(items.slice(-2).map((entry) => entry.url));
    const after = rankTrends(items, config, { covered: new Set(), coveredSources: sourced }).topics;
    expect(after).toEqual([]);
  });

  it('does not let one noisy feed beat a topic many feeds mention', () => {
    const items = [
      ...background(),
      ...Array.from({ length: 8 }, (_unused, index) => item('Alpha', 1 + index, `Quayline token unlock schedule part ${index + 1}`)),
      item('Beta', 2, 'Validator exit queue grows to nine days'),
      item('Gamma', 3, 'Why the validator exit queue is longer'),
      item('Delta', 4, 'Stakers wait in the validator exit queue'),
    ];
    const { topics } = rankTrends(items, config, { covered: new Set() });
    expect(topics[0]?.key).toBe('validator exit queue');
    expect(topics.map((topic) => topic.key)).not.toContain('quayline token');
  });

  it('never makes stop words, "crypto" or the site name a topic, and is reproducible', () => {
    const items = [
      ...background(),
      item('Alpha', 2, 'Of the crypto week: Yield Field Notes readers ask'),
      item('Beta', 2, 'Of the crypto week: Yield Field Notes readers ask again'),
    ];
    const first = rankTrends(items, config, { covered: new Set() });
    for (const topic of first.topics) expect(topic.key).not.toMatch(/^(of|the)\b|crypto|yield field|field notes/);
    expect(rankTrends([...items].reverse(), config, { covered: new Set() })).toEqual(first);
  });

  it('explains each score and lets affiliate fit and the weights decide between equals', () => {
    const items = [
      ...background(),
      item('Alpha', 2, 'Hardware wallet makers add restaking support', 'Self-custody users can now sign restaking deposits from a hardware wallet.'),
      item('Beta', 2, 'Why hardware wallet makers add restaking', 'Self-custody gets new features.'),
      item('Gamma', 2, 'Rollup sequencers share fee revenue', 'Sequencers now split fees with stakers.'),
      item('Delta', 2, 'Rollup sequencers share fee revenue at last', 'A change for fee revenue.'),
    ];
    const { topics } = rankTrends(items, config, { covered: new Set() });
    const wallet = topics.find((topic) => topic.key.includes('hardware wallet'))!;
    const rollup = topics.find((topic) => topic.key.includes('rollup sequencers') || topic.key.includes('fee revenue'))!;
    expect(wallet.affiliates).toContain('ledgerly');
    expect(wallet.parts.fit).toBeGreaterThan(0);
    expect(rollup.parts.fit).toBe(0);
    for (const topic of [wallet, rollup]) {
      expect(topic.parts).toMatchObject({ recent: 2, before: 0, sources: 2, gap: 1 });
      expect(topic.parts.velocity).toBeGreaterThan(0);
      expect(topic.parts.recency).toBeGreaterThan(0.5);
      expect(topic.series!.counts.reduce((sum, count) => sum + count, 0)).toBe(topic.parts.recent + topic.parts.before);
    }
    expect(wallet.score).toBeGreaterThan(rollup.score);

    const noFit = { ...config, trends: { ...config.trends, weights: { ...config.trends.weights, fit: 0 } } };
    const plain = rankTrends(items, noFit, { covered: new Set() }).topics;
    expect(plain.find((topic) => topic.key === wallet.key)!.score).toBeLessThan(wallet.score);
  });

  it('never lets a topic rise by recency alone: a steady subject stays out however fresh', () => {
    const items = [...background(), item('Alpha', 0, 'Weekly look at ethereum staking yields and stablecoin lending')];
    expect(rankTrends(items, config, { covered: new Set() }).topics.map((topic) => topic.key)).toEqual([]);
  });
});
