import { describe, expect, it } from 'vitest';
import { createDraftProgress, statusLine } from '../../../pipeline/draft/draft-progress.ts';

function clock(times: number[]): () => number {
  let index = 0;
  return () => times[Math.min(index++, times.length - 1)]!;
}

describe('draft progress', () => {
  it('prints one plain line per topic with tokens, cost and an ETA from the average so far', () => {
    const lines: string[] = [];
    const progress = createDraftProgress({ total: 4, log: (line) => lines.push(line), now: clock([0, 2000, 4000, 9000, 10_000]) });
    progress.topicDone('written content/articles/a.md', { inputTokens: 1000, outputTokens: 500, costUsd: 0.0012 });
    progress.topicDone('failed "b"', { inputTokens: 2000, outputTokens: 1000, costUsd: 0.0024 });
    progress.topicDone('written content/articles/c.md', { inputTokens: 9000, outputTokens: 3400, costUsd: undefined });
    progress.topicDone('written content/articles/d.md', { inputTokens: 9000, outputTokens: 3400, costUsd: undefined });
    progress.finish();
    expect(lines).toEqual([
      'draft 1/4 · 1,500 tokens · $0.0012 · ETA 6s · written content/articles/a.md',
      'draft 2/4 · 3,000 tokens · $0.0024 · ETA 4s · failed "b"',
      'draft 3/4 · 12,400 tokens · ETA 3s · written content/articles/c.md',
      'draft 4/4 · 12,400 tokens · ETA 0s · written content/articles/d.md',
    ]);
  });

  it('on a terminal, redraws one status line and logs each finished topic above it', () => {
    const events: string[] = [];
    const progress = createDraftProgress({
      total: 2,
      log: (line) => events.push(`log ${line}`),
      status: (line) => events.push(`status ${line}`),
      now: clock([0, 65_000, 130_000]),
    });
    progress.topicDone('written a.md', { inputTokens: 10, outputTokens: 5, costUsd: 0 });
    progress.topicDone('written b.md', { inputTokens: 20, outputTokens: 10, costUsd: 0 });
    progress.finish();
    expect(events).toEqual([
      'status draft 0/2',
      'status ',
      'log draft 1/2: written a.md',
      'status draft 1/2 · 15 tokens · $0.0000 · ETA 1m05s',
      'status ',
      'log draft 2/2: written b.md',
      'status ',
    ]);
  });

  it('formats the status line, without spending for the offline provider', () => {
    expect(statusLine(3, 20, { inputTokens: 123_456, outputTokens: 1, costUsd: 1.5 }, 42_400)).toBe('draft 3/20 · 123,457 tokens · $1.5000 · ETA 42s');
    expect(statusLine(3, 20, undefined, 1000)).toBe('draft 3/20 · ETA 1s');
  });
});
