import { describe, expect, it } from 'vitest';
import { wordCount } from '../../../site/lib/word-count.ts';

describe('wordCount', () => {
  it('counts the words a reader sees', () => {
    expect(wordCount('<p>Restaking pools pay <a href="/go/x/">points</a>, not yield.</p>')).toBe(6);
    expect(wordCount("<p>Don't re-stake 4.1% of ETH’s supply</p>")).toBe(6);
    expect(wordCount('<p>a<b>b</b>c</p><script>var x = 1</script><style>p { color: red }</style>')).toBe(3);
    expect(wordCount('Zürich, 東京 and 𝐀𝐁 count; <> and 1 < 2 are not tags')).toBe(11);
    expect(wordCount('')).toBe(0);
  });
});
