import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wordCount } from '../../../site/lib/word-count.ts';

/** The regexes wordCount replaced: the oracle. */
function earlierWordCount(html: string): number {
  const text = html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ');
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu)?.length ?? 0;
}

describe('wordCount', () => {
  it('counts the words a reader sees', () => {
    expect(wordCount('<p>Restaking pools pay <a href="/go/x/">points</a>, not yield.</p>')).toBe(6);
    expect(wordCount("<p>Don't re-stake 4.1% of ETH’s supply</p>")).toBe(6);
    expect(wordCount('<p>a<b>b</b>c</p><script>var x = 1</script><style>p { color: red }</style>')).toBe(3);
    expect(wordCount('Zürich, 東京 and 𝐀𝐁 count; <> and 1 < 2 are not tags')).toBe(11);
    expect(wordCount('')).toBe(0);
  });

  it('counts what the earlier regexes counted, whatever the input', () => {
    const piece = fc.oneof(
      fc.constantFrom('<p>', '</p>', '<a href="x">', '<', '>', '<>', '<script>x y</script>', '<STYLE>a</style>', "'", '’', '.', '-', ' ', '\n', 'é', 'Ω', '𝐀', '東', '٣', '\ud800', 'word', '4.1', 'a-b', "don't"),
      fc.string({ unit: 'grapheme', maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const html = pieces.join('');
        expect(wordCount(html)).toBe(earlierWordCount(html));
      }),
      { numRuns: 3000 },
    );
  });
});
