import { readdir, rm } from 'node:fs/promises';
import fc from 'fast-check';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../pipeline/ingest/ingest.ts';
import { readFeedEntries } from '../../../pipeline/ingest/read-entries.ts';
import type { FeedOutcome } from '../../../pipeline/ingest/ingest.ts';
import type { Finding } from '../../../pipeline/errors/finding.ts';
import { emptyState } from '../../../pipeline/state.ts';
import { copySampleNiche, PACKAGE_ROOT, runCli } from '../../helpers/cli.ts';
import { contextFor, sampleConfig } from '../../helpers/context.ts';

/**
 * Feeds as the world writes them (test/fixtures/feeds/corpus/, described in its README), through
 * the path users take: `nichepress ingest --feed … --offline --dry-run --json`.
 */
const CORPUS = join(PACKAGE_ROOT, 'test/fixtures/feeds/corpus');

/** Per file: the entries kept, or the code of the finding that says why the feed could not be read. */
const EXPECTED: Record<string, number | `NP${number}`> = {
  'atom-0.3.xml': 2,
  'atom-1.0-xml-base.atom': 2,
  'atom-html-titles.atom': 2,
  'cdata.xml': 2,
  'dates-other-languages.xml': 14,
  'empty.xml': 'NP2002',
  'html-page.html': 'NP2002',
  'iso-8859-15.xml': 1,
  'json-feed-1.0.json': 2,
  'json-feed-1.1.json': 3,
  'json-feed-attachments.json': 2,
  'koi8-r.xml': 1,
  'missing-fields.xml': 4,
  'not-json-feed.json': 'NP2002',
  'odd-dates.xml': 9,
  'opml-not-a-feed.xml': 'NP2002',
  'podcast-enclosures.xml': 4,
  'podcast-itunes.xml': 2,
  'rss-0.90.rdf': 2,
  'rss-0.91-netscape.xml': 2,
  'rss-0.92.xml': 2,
  'rss-0.93.xml': 2,
  'rss-0.94.xml': 1,
  'rss-1.0-modules.rdf': 3,
  'rss-2.0-namespaces.xml': 3,
  'truncated-atom.atom': 1,
  'truncated.xml': 2,
  'undeclared-entities.xml': 1,
  'unescaped-ampersand.xml': 2,
  'utf-16be-bom.xml': 1,
  'utf-16le-bom.xml': 1,
  'utf8-bom-leading-whitespace.xml': 1,
  'windows-1251.xml': 1,
};

describe('the feed corpus through `nichepress ingest --feed`', () => {
  let root: string;
  let report: { exitCode: number; stages: Array<{ counts: Record<string, number>; findings: Finding[]; details: { feeds: FeedOutcome[] } }> };
  let code: number | null;
  let stderr: string;
  let files: string[];

  beforeAll(async () => {
    root = await copySampleNiche();
    files = (await readdir(CORPUS)).filter((name) => name !== 'README.md').sort();
    const result = await runCli(['ingest', ...files.flatMap((name) => ['--feed', join(CORPUS, name)]), '--offline', '--dry-run', '--json'], { cwd: root });
    code = result.code;
    stderr = result.stderr;
    report = JSON.parse(result.stdout) as typeof report;
  }, 60_000);
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('knows every file of the corpus', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it('never crashes and accounts for every feed: its entries, or why it could not be read', () => {
    expect(stderr).not.toMatch(/at .*\.ts:\d+|TypeError|RangeError/);
    // Some files are not feeds at all: findings, and exit 1.
    expect(code).toBe(1);
    const outcomes = report.stages[0]!.details.feeds;
    const seen = Object.fromEntries(outcomes.map((outcome) => [outcome.location.slice(CORPUS.length + 1), outcome.ok ? outcome.items : outcome.error!.code]));
    expect(seen).toEqual(EXPECTED);
  });

  it('reports what was lost or completed, once per feed', () => {
    const findings = report.stages[0]!.findings.map((finding) => [finding.code, finding.subject!.slice(CORPUS.length + 1)]);
    expect(findings.filter(([code]) => code === 'NP2011')).toEqual([['NP2011', 'truncated-atom.atom'], ['NP2011', 'truncated.xml']]);
    expect(findings.filter(([code]) => code === 'NP2003')).toEqual([['NP2003', 'json-feed-1.1.json'], ['NP2003', 'missing-fields.xml'], ['NP2003', 'podcast-enclosures.xml']]);
    expect(findings.filter(([code, file]) => code === 'NP2010' && file === 'missing-fields.xml')).toHaveLength(2);
    // A date that could not be read is quoted once, beside the count of entries dated by the run.
    const dates = report.stages[0]!.findings.filter((finding) => finding.code === 'NP2010' && finding.subject?.endsWith('dates-other-languages.xml'));
    expect(dates.map((finding) => finding.message.replace(`${CORPUS}/`, ''))).toEqual(['2 entries of dates-other-languages.xml had no readable date (such as "14 jui 2026"): kept, dated by when first seen.']);
    const cut = report.stages[0]!.findings.find((finding) => finding.subject?.endsWith('truncated.xml'));
    expect(cut?.message).toContain('1 incomplete entry was dropped');
  });
});

describe('what the corpus entries read as', () => {
  const read = async (name: string) => {
    const config = await sampleConfig();
    const result = await ingest(contextFor(config), emptyState(), [{ name, url: join(CORPUS, name) }], { record: false });
    return result.items.map((item) => ({ title: item.title, url: item.url, publishedAt: item.publishedAt, summary: item.summary, publisher: item.publisher }));
  };
  const clock = '2026-11-01T09:00:00.000Z';

  it('resolves links against xml:base, on the feed and on the entry', async () => {
    expect((await read('atom-1.0-xml-base.atom')).map((item) => item.url)).toEqual(['https://base.example/blog/2026/10/first', 'https://other.example/second']);
  });

  it('reads Atom 0.3 dates and escaped content, RSS 1.0 modules and RDF addresses', async () => {
    expect(await read('atom-0.3.xml')).toMatchObject([
      { title: 'Created only', publishedAt: '2026-10-27T10:00:00.000Z', summary: 'Plain summary' },
      { title: 'Issued and modified', publishedAt: '2026-10-28T09:00:00.000Z', summary: 'Escaped HTML content' },
    ]);
    expect(await read('rss-1.0-modules.rdf')).toMatchObject([
      { title: 'Dated by dc:date', publishedAt: '2026-10-27T07:00:00.000Z' },
      { title: 'Text only in content:encoded', summary: 'Body here.' },
      { title: 'Address only in rdf:about', url: 'https://rdf.example/c' },
    ]);
  });

  it('recovers ill-formed text: unescaped ampersands, undeclared entities, CDATA, HTML in titles', async () => {
    expect(await read('unescaped-ampersand.xml')).toMatchObject([{ title: "AT&T and M&M's & more", url: 'https://qa.example/1?a=1&b=2', summary: 'Fish & chips', publisher: 'Q&A Weekly' }, { title: 'Second & last' }]);
    expect(await read('undeclared-entities.xml')).toMatchObject([{ title: 'Café crème — … &bogus;', summary: '€5 © 2026', publisher: 'Entités' }]);
    expect(await read('cdata.xml')).toMatchObject([{ url: 'https://cdata.example/1?a=1&b=2', summary: 'Para one' }, { title: 'Mixed text and CDATA' }]);
    expect((await read('atom-html-titles.atom')).map((item) => item.title)).toEqual(['XHTML title', 'Rates & caps — explained']);
  });

  it('reads every date format it can and dates the others by the run', async () => {
    const dates = Object.fromEntries((await read('odd-dates.xml')).map((item) => [item.title, item.publishedAt]));
    expect(dates).toEqual({
      'RFC 822 without day name': '2026-10-27T08:30:00.000Z',
      'RFC 822 numeric zone': '2026-10-27T08:30:00.000Z',
      'Zone abbreviation JavaScript does not know': '2026-10-27T08:30:00.000Z',
      'ISO without zone': '2026-10-27T08:30:00.000Z',
      'ISO with compact offset': '2026-10-27T08:30:00.000Z',
      'ISO with space and fraction': '2026-10-27T08:30:00.123Z',
      'No zone at all': '2026-10-27T08:30:00.000Z',
      'Day name in another language': '2026-10-27T08:30:00.000Z',
      'Not a date': clock,
    });
  });

  it('reads month and weekday names in the languages feeds are written in, and dates the rest by the run', async () => {
    const dates = Object.fromEntries((await read('dates-other-languages.xml')).map((item) => [item.title, item.publishedAt]));
    expect(dates).toEqual({
      'French, abbreviated with periods': '2026-02-02T09:00:00.000Z',
      "French weekday that begins a month's name": '2026-02-03T09:00:00.000Z',
      'French, written out with a time in hours': '2026-02-01T10:30:00.000Z',
      'German, two-letter weekday': '2026-02-02T00:00:00.000Z',
      'German, irregular abbreviation and zone name': '2026-03-04T08:00:00.000Z',
      'German, written out': '2026-02-02T10:30:00.000Z',
      'Spanish, with de': '2026-02-02T00:00:00.000Z',
      'Spanish, weekday and time': '2026-02-02T10:00:00.000Z',
      Portuguese: '2026-02-02T10:00:00.000Z',
      Italian: '2026-02-02T09:00:00.000Z',
      'Italian, written out': '2026-02-02T10:00:00.000Z',
      'Dutch, irregular abbreviation': '2026-03-27T07:00:00.000Z',
      // "jui" begins both juin and juillet: not a month.
      'Ambiguous month abbreviation': clock,
      'Words only': clock,
    });
  });

  it('decodes every encoding the feeds declare or mark', async () => {
    for (const [name, title] of [
      ['utf-16le-bom.xml', 'Ставки и доходность'],
      ['utf-16be-bom.xml', 'Ставки и доходность'],
      ['koi8-r.xml', 'Доходность стейкинга снижается'],
      ['windows-1251.xml', 'Доходность стейкинга снижается'],
      ['iso-8859-15.xml', 'Prix en € à Zürich'],
      ['utf8-bom-leading-whitespace.xml', 'Before the declaration: a BOM and blank lines'],
    ]) {
      expect((await read(name!))[0]?.title, name).toBe(title);
    }
  });

  it('keeps entries with only a link or an id, titled from their text or address', async () => {
    expect(await read('missing-fields.xml')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ title: 'Only a guid and a text.', url: 'https://missing.example/#only-a-guid-42', publishedAt: clock }),
        expect.objectContaining({ title: 'Only a link', url: 'https://missing.example/only-a-link' }),
        expect.objectContaining({ title: 'Empty title', url: 'https://missing.example/empty-title' }),
        expect.objectContaining({ title: 'Permalink guid as the address', url: 'https://missing.example/guid-link' }),
      ]),
    );
  });

  it('keeps episodes that only carry a file, pointing at it, with their podcast text', async () => {
    expect((await read('podcast-itunes.xml')).map((item) => [item.title, item.url])).toEqual([
      ['Episode 12: validator exits', 'https://cdn.podcast.example/12.mp3'],
      ['Episode 13 with only an itunes title', 'https://cdn.podcast.example/13.mp3'],
    ]);
    expect((await read('podcast-enclosures.xml')).map((item) => [item.title, item.url, item.summary])).toEqual([
      ['Episode 40: exits', 'https://cdn.validator-hour.example/40.mp3', 'We talk about exit queues.'],
      ['Bonus: listener questions', 'https://cdn.validator-hour.example/bonus.mp3', 'Answers to what you sent us.'],
      ['Trailer', 'https://cdn.validator-hour.example/season-1/trailer.mp3', 'What the show is about.'],
      ['Episode 41: rewards', 'https://cdn.validator-hour.example/41.m4a', 'Reward rates, week by week.'],
    ]);
    expect((await read('json-feed-attachments.json')).map((item) => item.url)).toEqual([
      'https://cdn.validator-hour.example/40.mp3',
      'https://validator-hour.example/#vh-json-41',
    ]);
  });
});

describe('any document', () => {
  it('is read or refused with a finding, never an exception', () => {
    const piece = fc.constantFrom(
      '<?xml version="1.0"?>', '<rss version="2.0">', '<channel>', '</channel>', '</rss>', '<feed xmlns="http://www.w3.org/2005/Atom">', '</feed>',
      '<rdf:RDF>', '<item>', '</item>', '<entry>', '</entry>', '<title>', '</title>', '<link>', '</link>', '<link href="/x"/>', '<link href="%zz"/>',
      '<guid>', '</guid>', '<guid isPermaLink="false">', '<id>', '</id>', '<pubDate>', '</pubDate>', '<updated>', '</updated>', '<description>', '</description>',
      '<![CDATA[', ']]>', '&', '&amp;', '&nbsp;', '<', '>', 'text', 'https://a.example/%', 'https://a.example/p', 'javascript:x', '/rel', 'Tue, 27 Oct 2026 08:30:00 GMT',
      '2026-13-45', 'xml:base="::"', '<feed xml:base="http://[">', '{', '}', '"version": "https://jsonfeed.org/version/1.1"', '"items": [{}]', ' ', '\n', '\u0000',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const bytes = new TextEncoder().encode(pieces.join(''));
        const read = readFeedEntries({ location: 'f', name: 'f', bytes, truncated: false, now: Date.UTC(2026, 10, 1) });
        expect('failure' in read || Array.isArray(read.items)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
