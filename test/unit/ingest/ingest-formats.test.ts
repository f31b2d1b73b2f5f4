import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deduplicateItems } from '../../../pipeline/ingest/deduplicate-items.ts';
import { parseFeedDate } from '../../../pipeline/ingest/parse-feed-date.ts';
import type { FeedItem } from '../../../pipeline/schema/feed-item.ts';
import { ingest } from '../../../pipeline/ingest/ingest.ts';
import { emptyState } from '../../../pipeline/state.ts';
import { PACKAGE_ROOT } from '../../helpers/cli.ts';
import { contextFor, sampleConfig } from '../../helpers/context.ts';

const config = await sampleConfig();
const fixture = (name: string) => join(PACKAGE_ROOT, 'test/fixtures/feeds', name);

async function readFixture(name: string) {
  const result = await ingest(contextFor(config), emptyState(), [{ name, url: fixture(name) }]);
  expect(result.feeds[0], JSON.stringify(result.findings)).toMatchObject({ ok: true });
  return result;
}

describe('feed formats', () => {
  it.each([
    ['rss-0.91.xml', 'Validators queue for exits after a slashing scare', 'Old Netscape Wire'],
    ['rss-1.0.rdf', 'Lending markets cap variable borrow rates', 'RDF Site Summary'],
    ['json-feed.json', 'Blob fees climb as rollups post more data', 'JSON Yield Notes'],
  ])('reads %s', async (name, title, publisher) => {
    const result = await readFixture(name);
    const item = result.items.find((entry) => entry.title === title);
    expect(item).toMatchObject({ title, publisher });
    expect(Date.parse(item!.publishedAt)).toBeGreaterThan(Date.parse('2026-10-01'));
  });

  it('normalises JSON Feed items: HTML to text, tracking stripped, relative links resolved, an item with only an id kept', async () => {
    const result = await readFixture('json-feed.json');
    const [blob] = result.items.filter((item) => item.title.startsWith('Blob'));
    expect(blob).toMatchObject({ url: 'https://json.example/posts/blob-fees', summary: 'Fees rose & stayed high.', publishedAt: '2026-10-29T06:00:00.000Z' });
    expect(result.items.find((item) => item.url === 'https://json.example/posts/relative')?.publishedAt).toBe('2026-10-28T00:00:00.000Z');
    // No link, but an id: the publisher's home page, told apart by the id.
    expect(result.items.find((item) => item.title === 'An item without a link')?.url).toBe('https://json.example/#2');
    expect(result.findings).toEqual([]);
  });
});

describe('Atom entries rss-parser would have refused', () => {
  it('dates an entry with an unreadable date by the run, prefers the page link to a self link, takes a link written as text, reads XHTML as text', async () => {
    const result = await readFixture('atom-odd-entries.atom');
    expect(result.findings.map((finding) => [finding.code, finding.severity, finding.message])).toEqual([
      ['NP2010', 'info', expect.stringMatching(/^1 entry of .*atom-odd-entries.atom had no readable date/)],
    ]);
    // Oldest first, as de-duplication leaves them; the undated one is dated by the run's clock.
    expect(result.items.map((item) => [item.url, item.publishedAt, item.summary])).toEqual([
      ['https://atom.example/posts/3', '2026-10-28T06:00:00.000Z', 'Escaped & plain.'],
      ['https://atom.example/posts/2', '2026-10-29T08:00:00.000Z', 'Written as XHTML'],
      ['https://atom.example/posts/1', config.clock!.toISOString(), ''],
    ]);
    expect(result.items.every((item) => item.publisher === 'Odd Atom Notes')).toBe(true);
  });
});

describe('feed encodings', () => {
  it.each([
    ['windows-1252.xml', '“Restaking” costs €5 in Zürich'],
    ['iso-8859-2.xml', 'Łódź i Kraków: stakowanie na giełdach'],
    ['shift_jis.xml', 'ステーキング報酬が低下'],
    ['gb2312.xml', '质押收益下降'],
    ['utf8-bom.xml', 'Liquid staking tokens trade at a discount'],
    ['stray-byte.xml', 'A feed with a stray byte before the declaration'],
    ['latin1-no-decl.xml', 'Café crème and €5 fees'],
  ])('%s comes out as correct text', async (name, title) => {
    const result = await readFixture(name);
    expect(result.items[0]!.title).toBe(title);
    expect(result.items[0]!.title + result.items[0]!.summary).not.toContain('\uFFFD');
  });
});

describe('dates', () => {
  it.each([
    ['Tue, 27 Oct 2026 08:30:00 GMT', '2026-10-27T08:30:00.000Z'],
    ['27 Oct 2026 10:30:00 CEST', '2026-10-27T08:30:00.000Z'],
    ['Mar, 27 Oct 2026 08:30:00 +0000', '2026-10-27T08:30:00.000Z'],
    ['2026-10-27T08:30:00', '2026-10-27T08:30:00.000Z'],
    ['2026-10-27 08:30', '2026-10-27T08:30:00.000Z'],
    ['2026-10-27T10:30:00+02:00', '2026-10-27T08:30:00.000Z'],
    ['2026-10-27', '2026-10-27T00:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(new Date(parseFeedDate(text)!).toISOString()).toBe(iso);
  });

  it.each(['sometime last week', 'yesterday', '', '31/31/31'])('refuses %j', (text) => {
    expect(parseFeedDate(text)).toBeUndefined();
  });

  it('never dates an item in the future beyond a small skew', async () => {
    const result = await readFixture('json-feed.json');
    const clamp = await ingest(contextFor(config, { now: new Date('2026-10-28T12:00:00Z') }), emptyState(), [{ name: 'j', url: fixture('json-feed.json') }]);
    expect(result.items.length).toBe(clamp.items.length);
    for (const item of clamp.items) expect(Date.parse(item.publishedAt)).toBeLessThanOrEqual(Date.parse('2026-10-28T12:10:00Z'));
  });
});

describe('de-duplication', () => {
  const item = (feed: string, url: string, title: string, day = 1): FeedItem => ({
    id: url, url, title, summary: '', feed, publisher: feed, publishedAt: `2026-10-${String(day).padStart(2, '0')}T00:00:00.000Z`,
  });

  it('keeps the earliest copy of a story seen with the same URL or a near-identical title in another feed', () => {
    const items = [
      item('B', 'https://b.example/2', 'Update: Cairnstake pauses cnETH withdrawals after operator penalty', 3),
      item('A', 'https://a.example/1', 'Cairnstake pauses cnETH withdrawals after an operator penalty', 2),
      item('C', 'https://c.example/3', 'Cairnstake halts cnETH withdrawals after operator penalty', 4),
      item('D', 'https://a.example/1', 'Same link, other title', 1),
    ];
    expect(deduplicateItems(items).map((entry) => entry.feed)).toEqual(['D']);
  });

  it('treats one word added or removed as the same story when the titles are long enough', () => {
    const items = [
      item('A', 'https://a.example/1', 'Cairnstake pauses cnETH withdrawals after operator penalty', 1),
      item('B', 'https://b.example/2', 'Cairnstake pauses cnETH withdrawals after operator penalty vote', 2),
      item('C', 'https://c.example/3', 'Cairnstake pauses withdrawals after operator penalty', 3),
      // Four words and one more: still the same story; three and one more are not compared.
      item('A', 'https://a.example/4', 'Lendora raises stablecoin borrow caps', 4),
      item('B', 'https://b.example/5', 'Lendora raises stablecoin borrow caps again', 5),
      item('A', 'https://a.example/6', 'Blob fees rise', 6),
      item('B', 'https://b.example/7', 'Blob fees rise sharply', 7),
    ];
    expect(deduplicateItems(items).map((entry) => entry.url)).toEqual([
      'https://a.example/1',
      'https://a.example/4',
      'https://a.example/6',
      'https://b.example/7',
    ]);
  });

  it('keeps different stories, numbered series and short look-alike titles', () => {
    const items = [
      item('A', 'https://a.example/41', 'Weekly staking yields roundup number 41'),
      item('B', 'https://b.example/42', 'Weekly staking yields roundup number 42'),
      item('A', 'https://a.example/x', 'Blob fees rise'),
      item('B', 'https://b.example/y', 'Blob fees fall'),
      item('C', 'https://c.example/z', 'Validator exit queue grows to nine days'),
    ];
    expect(deduplicateItems(items)).toHaveLength(5);
  });
});
