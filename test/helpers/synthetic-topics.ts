import type { Topic } from '../../pipeline/schema/feed-item.ts';

const WORDS = ['staking', 'lending', 'liquidity', 'restaking', 'bridge', 'vault', 'oracle', 'rollup', 'stablecoin', 'validator', 'treasury', 'perpetual', 'governance', 'custody', 'airdrop', 'sequencer', 'collateral', 'insurance', 'options', 'savings'];

/**
 * Ranked topics as trends would hand them to the draft stage: three sourced items each, worded
 * differently per topic so every drafted article is its own (the near-duplicate rule would
 * otherwise flag them). For stage tests and the draft benchmark.
 */
export function syntheticTopics(count: number): Topic[] {
  return Array.from({ length: count }, (_, index) => {
    const word = WORDS[index % WORDS.length]!;
    const label = `${word} report ${index + 1}`;
    return {
      key: label,
      label: label.charAt(0).toUpperCase() + label.slice(1),
      score: 10 - index / 10,
      parts: { recent: 5, before: 1, sources: 3, fit: 0 },
      affiliates: [],
      items: [1, 2, 3].map((n) => ({
        id: `${index}-${n}`,
        title: `${word} desk note ${n} on topic ${index + 1}`,
        url: `https://bench-${n}.example/${word}/${index + 1}`,
        summary:
          `Report ${n} on ${word} number ${index + 1} describes how the ${word} market moved ${n * 3 + index}% over the week, which providers changed their terms, ` +
          `and what users with deposits in ${word} products saw in fees, queues and rates. It lists the risks the desk sees for item ${n}: contract bugs, ` +
          `withdrawal delays of up to ${n + index} days and rule changes announced for the ${word} sector in week ${index + n}.`,
        publishedAt: new Date(Date.UTC(2026, 9, 20 + n)).toISOString(),
        feed: `Bench ${n}`,
        publisher: `Bench Desk ${n}`,
      })),
    };
  });
}
