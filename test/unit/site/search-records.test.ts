import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { articleUrl, lastModifiedOf, markdownToSearchText, publishedArticle, recordOf } from '../../../site/lib/search-records.ts';

const clock = new Date('2026-11-01T09:00:00Z');
const options = { clock, language: 'en' };

/** What the search child makes of one file: its record and last change, or undefined when not published. */
function searchRecord(text: string, relativePath: string, { clock, language }: typeof options) {
  const published = publishedArticle(text, clock);
  return published && { record: recordOf(published, relativePath, language), lastModified: lastModifiedOf(published.data) };
}

function article(frontmatter: string, body = 'Restaking pools pay points, not yield.'): string {
  return `---\n${frontmatter}\ngenerator: human\n---\n\n${body}\n`;
}

const valid = [
  'title: Restaking points explained',
  'description: What restaking points are, how pools count them, and what they are worth today.',
  'publishedAt: 2026-10-20T08:00:00Z',
  'keyTakeaways: ["Points are not tokens [1]"]',
  'faq:',
  '  - question: Can points be sold?',
  '    answer: Not before a token exists.',
].join('\n');

describe('searchRecord', () => {
  it('indexes what a reader sees: title, description, takeaways, body and FAQ', () => {
    const { record, lastModified } = searchRecord(article(valid), 'restaking-points.md', options)!;
    expect(lastModified).toBe('2026-10-20T08:00:00.000Z');
    expect(searchRecord(article(`${valid}\nupdatedAt: 2026-10-25T10:00:00Z`), 'a.md', options)!.lastModified).toBe('2026-10-25T10:00:00.000Z');
    expect(record.url).toBe('/articles/restaking-points/');
    expect(record.meta.title).toBe('Restaking points explained');
    expect(record.language).toBe('en');
    for (const words of ['What restaking points are', 'Points are not tokens', 'Restaking pools pay points', 'Can points be sold?', 'Not before a token exists.']) {
      expect(record.content).toContain(words);
    }
    expect(record.content).not.toContain('[1]');
    expect(record.content).not.toContain('generator');
  });

  it('leaves out drafts, articles dated after the clock and invalid frontmatter', () => {
    expect(searchRecord(article(`${valid}\ndraft: true`), 'a.md', options)).toBeUndefined();
    expect(searchRecord(article(valid.replace('2026-10-20T08:00:00Z', '2026-11-02T00:00:00Z')), 'a.md', options)).toBeUndefined();
    expect(searchRecord(article(valid.replace('title: Restaking points explained', 'title: ""')), 'a.md', options)).toBeUndefined();
    expect(searchRecord('---\ntitle: [unclosed\n---\nbody', 'a.md', options)).toBeUndefined();
  });

  it('keeps untrusted markup out of the index: no tags, scripts, handlers or link targets', () => {
    const body = [
      'Keep keys offline on a [hardware wallet](https://shop.example/?ref=x).',
      "<script>window.pwned = 'script-ran'</script>",
      '<img src="x" onerror="window.pwned=1">',
      "A [harmless link](javascript:window.pwned='link') and ![an image](javascript:alert).",
      '<a href="https://evil.example/" onclick="window.pwned=2">raw anchor</a> <svg onload="x()"></svg>',
      'Compare 1 < 2 and 3 > 2, &lt;b&gt;not bold&lt;/b&gt; &amp; done.',
    ].join('\n\n');
    const { record } = searchRecord(article(valid.replace('Restaking points explained', 'Keys <b>and</b> wallets'), body), 'keys.md', options)!;
    expect(record.content).not.toMatch(/[<>]/);
    expect(record.meta.title).not.toMatch(/[<>]/);
    expect(record.content).not.toMatch(/pwned|javascript:|onerror|onclick|shop\.example/);
    expect(record.content).toContain('hardware wallet');
    expect(record.content).toContain('harmless link');
    expect(record.content).toContain('raw anchor');
  });
});

describe('markdownToSearchText', () => {
  it('drops Markdown syntax and keeps the words', () => {
    const text = markdownToSearchText(
      [
        '## Why rates move',
        '',
        '> Lenders **reprice** _quickly_ when `utilisation` rises.[[2]](https://a.example/x)',
        '',
        '- first point',
        '1. numbered point',
        '',
        '| Pool | Rate |',
        '| --- | ---: |',
        '| Lendora | 4.1% |',
        '',
        '```js',
        'const rate = 0.041;',
        '```',
        '',
        '[ref]: https://a.example/ref',
      ].join('\n'),
    );
    expect(text.split('\n')).toEqual([
      'Why rates move',
      'Lenders reprice quickly when utilisation rises.',
      'first point',
      'numbered point',
      'Pool Rate',
      'Lendora 4.1%',
      'const rate = 0.041;',
    ]);
  });

  it('never lets an angle bracket through, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 300 }), (body) => {
        const record = searchRecord(article(valid, body), 'x.md', options);
        expect(record?.record.content ?? '').not.toMatch(/[<>]/);
      }),
    );
  });
});

describe('articleUrl', () => {
  it('follows the glob loader: path without .md, each segment slugified', () => {
    expect(articleUrl('liquid-staking.md')).toBe('/articles/liquid-staking/');
    expect(articleUrl('defi/Lending Rates.md')).toBe('/articles/defi/lending-rates/');
    expect(articleUrl('Why ETH? (2026).md')).toBe('/articles/why-eth-2026/');
  });
});
