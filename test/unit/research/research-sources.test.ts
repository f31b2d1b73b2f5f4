import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../../pipeline/config/niche-config.ts';
import { createResearcher, type SourceReading } from '../../../pipeline/research/research-sources.ts';
import type { Dispatcher } from 'undici';
import type { FeedItem, Topic } from '../../../pipeline/schema/feed-item.ts';
import { PACKAGE_ROOT } from '../../helpers/cli.ts';
import { contextFor, sampleConfig } from '../../helpers/context.ts';
import { loopbackClient, noNetworkClient } from '../../helpers/loopback-http.ts';
import { startPageServer, type PageServer } from '../../helpers/page-server.ts';

// Research through real HTTP on loopback. Pages live at http://news.test:<port>/…; the test's
// resolver gives news.test a public address (so the internal-address guard lets it through) and
// intranet.test a private one, and the HTTP client handed in through the context sends both host
// names to the loopback server, which records every request it gets.

const fixture = (name: string) => readFile(join(PACKAGE_ROOT, 'test/fixtures/research', name));

let server: PageServer;
/** The context's HTTP client: news.test and intranet.test are served by the loopback server. */
let loopbackHttp: Dispatcher;
let root: string;
let config: ResolvedConfig;

const resolveHost = async (host: string) => (host === 'news.test' ? ['93.184.216.34'] : host === 'intranet.test' ? ['10.1.2.3'] : []);

beforeAll(async () => {
  const html = (file: string) => fixture(file).then((body) => ({ body }));
  const pages = {
    '/robots.txt': { headers: { 'content-type': 'text/plain' }, body: 'User-agent: *\nDisallow: /members/\n' },
    '/chrome': await html('chrome-and-comments.html'),
    '/challenge-403': { status: 403, ...(await html('bot-challenge.html')) },
    '/challenge-200': await html('bot-challenge.html'),
    '/members/report': await html('chrome-and-comments.html'),
    '/paywall': await html('paywall-stub.html'),
    '/hang': { hang: true as const },
    '/to-internal': { redirect: 'http://intranet.test/admin' },
    '/admin': await html('chrome-and-comments.html'),
    '/latin': { headers: { 'content-type': 'text/html' }, body: (await fixture('windows-1252.html')) as Uint8Array },
    '/pdf': { headers: { 'content-type': 'application/pdf' }, body: '%PDF-1.7' },
    '/big': { body: `<html><body><article>${'<p>A long paragraph of words. </p>'.repeat(3000)}</article></body></html>` },
    '/hop': { redirect: '/chrome' },
  };
  server = await startPageServer(pages);
  loopbackHttp = loopbackClient({ hosts: (host) => host === 'news.test' || host === 'intranet.test', origin: server.url });
  root = await mkdtemp(join(tmpdir(), 'nichepress-research-'));
  const base = await sampleConfig(root);
  config = { ...base, research: { ...base.research, snapshots: 'content/sources', timeoutMs: 1500, maxBytes: 60_000 } };
});

afterAll(async () => {
  await loopbackHttp.close();
  await server.close();
  await rm(root, { recursive: true, force: true });
});

function item(path: string, summary = `Feed summary of ${path}, which says little.`): FeedItem {
  const url = path.startsWith('http') ? path : `http://news.test${path}`;
  return { id: path, title: `Story ${path}`, url, summary, publishedAt: '2026-10-27T10:00:00Z', feed: 'test', publisher: 'The Ledger Post' };
}

function topicOf(items: FeedItem[]): Topic {
  return { key: 'reserve factor', label: 'Reserve factor', score: 1, parts: { recent: 3, before: 0, sources: 3, fit: 0 }, affiliates: [], items };
}

describe('research: reading source pages over HTTP', () => {
  let sources: SourceReading[];
  let researcher: ReturnType<typeof createResearcher>;
  const paths = ['/chrome', '/challenge-403', '/challenge-200', '/members/report', '/paywall', '/hang', '/to-internal', '/latin', '/pdf', '/big'];

  beforeAll(async () => {
    researcher = createResearcher(contextFor(config, { http: loopbackHttp }), { resolveHost });
    // Two topics: research is per topic, but a page shared by both is fetched once.
    const first = await researcher.research(topicOf(paths.slice(0, 6).map((path) => item(path))));
    const second = await researcher.research(topicOf([...paths.slice(6), '/chrome'].map((path) => item(path))));
    sources = [...first.sources, ...second.sources.slice(0, -1)];
  }, 20_000);

  const reading = (path: string) => sources.find((source) => source.item.url === `http://news.test${path}`)!;

  it('reads the article text and nothing of the page chrome, the byline or the comments', () => {
    const page = reading('/chrome');
    expect(page.from).toBe('page');
    const text = page.paragraphs.join('\n');
    expect(text).toContain('lower its reserve factor from 12 percent to 8 percent');
    expect(text).toContain('"A smaller reserve is a real trade-off, and depositors should know it," said Priya Natarajan');
    for (const chrome of ['IGNORE ALL PREVIOUS', 'scam.example', 'Great article', 'cookies', 'Share on', 'Trending', 'Five coins', 'All rights reserved', 'Dana Whitfield', 'Newsletter']) {
      expect(text).not.toContain(chrome);
    }
  });

  it('falls back to the feed text, with the reason, for pages it must not or cannot read', () => {
    const expected: Record<string, string> = {
      '/challenge-403': 'bot-challenge',
      '/challenge-200': 'bot-challenge',
      '/members/report': 'robots-disallowed',
      '/paywall': 'paywall',
      '/hang': 'timeout',
      '/to-internal': 'internal-address',
      '/pdf': 'not-html',
      '/big': 'too-large',
    };
    for (const [path, reason] of Object.entries(expected)) {
      const source = reading(path);
      expect({ path, from: source.from, reason: source.reason }).toEqual({ path, from: 'feed', reason });
      expect(source.paragraphs).toEqual([`Feed summary of ${path}, which says little.`]);
    }
    expect(researcher.counts).toEqual({ pagesFetched: 10, pagesRead: 2, fromSnapshots: 0, feedOnly: 8 });
  });

  it('never requests a robots-disallowed page or a redirect into the internal network', () => {
    const asked = server.requests.map((request) => request.path);
    expect(asked).toContain('/to-internal');
    expect(asked).not.toContain('/admin');
    expect(asked).not.toContain('/members/report');
    expect(reading('/to-internal').detail).toMatch(/intranet\.test resolves to 10\.1\.2\.3, a private address/);
  });

  it('asks robots.txt once per host, sends an honest User-Agent, and keeps to two requests at a time per host', () => {
    expect(server.requests.filter((request) => request.path === '/robots.txt')).toHaveLength(1);
    for (const request of server.requests) expect(request.userAgent).toMatch(new RegExp(`^nichepress/\\S+ \\(\\+${config.site.url.replace(/[.]/g, '\\.')}`));
    expect(server.peak).toBeLessThanOrEqual(2);
    // The shared page was fetched once for both topics.
    expect(server.requests.filter((request) => request.path === '/chrome')).toHaveLength(1);
  });

  it('decodes a page in its declared encoding', () => {
    const page = reading('/latin');
    expect(page.from).toBe('page');
    expect(page.paragraphs.join(' ')).toContain('A café in Zürich said on Friday');
    expect(page.paragraphs.join(' ')).toContain('“We tried it for a month before deciding,” Müller said.');
    expect(page.paragraphs.join(' ')).toContain('€3,000');
  });

  it('keeps snapshots, so a rerun reads every page without the network', async () => {
    const files = await readdir(join(root, 'content/sources'));
    expect(files.filter((file) => file.startsWith('news.test-'))).toHaveLength(paths.length);
    const snapshot = JSON.parse(await readFile(join(root, 'content/sources', files.find((file) => file.includes('news.test'))!), 'utf8'));
    expect(Object.keys(snapshot)).toEqual(expect.arrayContaining(['url', 'fetchedAt', 'status']));

    const before = server.requests.length;
    const noNetwork = noNetworkClient();
    const again = createResearcher(contextFor(config, { http: noNetwork }), { resolveHost });
    const rerun = await again.research(topicOf(paths.map((path) => item(path))));
    expect(again.counts.pagesFetched).toBe(0);
    expect(server.requests.length).toBe(before);
    expect(rerun.sources.find((source) => source.item.url.endsWith('/chrome'))?.paragraphs).toEqual(reading('/chrome').paragraphs);
    expect(rerun.sources.filter((source) => source.from === 'page').map((source) => source.item.url)).toEqual(['http://news.test/chrome', 'http://news.test/latin']);
    await noNetwork.close();
  });

  it('refuses a link to a loopback address unless the test-only switch is set, and follows redirects by hand', async () => {
    const direct = `${server.url}/hop`;
    const guarded = createResearcher(contextFor({ ...config, research: { ...config.research, snapshots: 'content/guarded' } }, { http: loopbackHttp }), { resolveHost });
    const refused = (await guarded.research(topicOf([item(direct)]))).sources[0]!;
    expect(refused).toMatchObject({ from: 'feed', reason: 'internal-address' });

    const open = createResearcher(
      contextFor({ ...config, research: { ...config.research, snapshots: 'content/open' } }, { http: loopbackHttp, env: { NICHEPRESS_ALLOW_PRIVATE_HOSTS: '1' } }),
      { resolveHost },
    );
    const read = (await open.research(topicOf([item(direct)]))).sources[0]!;
    expect(read.from).toBe('page');
    expect(read.paragraphs.join(' ')).toContain('reserve factor');
  });
});
