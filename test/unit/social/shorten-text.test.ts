import { describe, expect, it } from 'vitest';
import { shortenProse } from '../../../pipeline/social/shorten-text.ts';

const within = (max: number) => (text: string) => text.length <= max;

describe('shortenProse', () => {
  const text = 'First sentence is here. Second one, with a clause, follows. Third.';

  it('keeps whole sentences while they fit', () => {
    expect(shortenProse(text, within(200))).toBe(text);
    expect(shortenProse(text, within(60))).toBe('First sentence is here. Second one, with a clause, follows.');
    expect(shortenProse(text, within(30))).toBe('First sentence is here.');
  });

  it('cuts one long sentence at its last clause that fits, marked with an ellipsis', () => {
    const long = 'Rates fell sharply this week, as deposits left the market, according to three reports.';
    expect(shortenProse(long, within(60))).toBe('Rates fell sharply this week, as deposits left the market…');
    expect(shortenProse(long, within(35))).toBe('Rates fell sharply this week…');
  });

  it('gives up rather than cutting inside a clause', () => {
    expect(shortenProse('One clause without any break at all in it.', within(10))).toBeUndefined();
  });
});
