import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../../pipeline/config/niche-config.ts';
import { ingest, type FeedSpec } from '../../../pipeline/ingest/ingest.ts';
import { FeedParsePool } from '../../../pipeline/ingest/ingest-pool.ts';
import { emptyState } from '../../../pipeline/state.ts';
import { PACKAGE_ROOT } from '../../helpers/cli.ts';
import { contextFor, sampleConfig } from '../../helpers/context.ts';

/**
 * The worker-thread path of ingest (ingest-pool.ts) against the in-process path: same items,
 * findings, outcomes and history, in the same order; and a worker that dies costs one feed.
 */
const base = await sampleConfig();
const config: ResolvedConfig = { ...base, ingest: { ...base.ingest, maxBytes: 8 * 1024 * 1024 } };
const fixtures = join(PACKAGE_ROOT, 'test/fixtures/feeds');

function rss(feed: number, items: number, extra = ''): string {
  const entries = Array.from({ length: items }, (_unused, index) => {
    // Every third story is syndicated by the next feed under a near-identical title, so the
    // de-duplication across feeds has work to do.
    const story = index % 3 === 0 ? `shared-${index}` : `f${feed}-${index}`;
    const title = index % 3 === 0 ? `Validators queue for exits as restaking yields fall in week ${index}` : `Feed ${feed} story ${index} about lending caps &amp; vaults`;
    return `<item><title>${title}${index % 3 === 0 && feed % 2 ? ' again' : ''}</title><link>/stories/${story}?utm_source=rss&amp;b=2&amp;a=1#x</link><pubDate>Fri, ${String(1 + (index % 28)).padStart(2, '0')} Oct 2026 10:00:00 GMT</pubDate><description><![CDATA[<p>Story <b>${index}</b> &mdash; fees &amp; risk.</p>]]></description></item>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire ${feed}</title><link>http://127.0.0.1/</link>${extra}${entries.join('')}</channel></rss>`;
}

const BAD_ENTRIES = '<item><title></title><link>/x</link><pubDate>Fri, 30 Oct 2026 10:00:00 GMT</pubDate></item><item><title>No date here</title><link>/y</link></item><item><title>Bad link</title><link>javascript:alert(1)</link><pubDate>Fri, 30 Oct 2026 10:00:00 GMT</pubDate></item>';

describe('ingest with parse threads', () => {
  let server: Server;
  let url: string;
  const bodies = new Map<string, { body: string | Uint8Array; type: string }>();

  beforeAll(async () => {
    for (let feed = 0; feed < 10; feed++) bodies.set(`/feed/${feed}.xml`, { body: rss(feed, 30, feed === 3 ? BAD_ENTRIES : ''), type: 'application/rss+xml; charset=utf-8' });
    bodies.set('/html', { body: '<!doctype html><html><body>Not a feed</body></html>', type: 'text/html' });
    bodies.set('/broken', { body: '<?xml version="1.0"?><rss><channel><title>Broken<item></rss', type: 'application/rss+xml' });
    bodies.set('/latin1', { body: await readFile(join(fixtures, 'latin1-no-decl.xml')), type: 'application/rss+xml; charset=utf-8' });
    bodies.set('/shift-jis', { body: await readFile(join(fixtures, 'shift_jis.xml')), type: 'application/xml' });
    bodies.set('/json', { body: await readFile(join(fixtures, 'json-feed.json')), type: 'application/feed+json' });
    bodies.set('/rdf', { body: await readFile(join(fixtures, 'rss-1.0.rdf')), type: 'application/rdf+xml' });
    // A feed far too big for a worker limited to a small heap (see the crash test).
    bodies.set('/huge', { body: rss(99, 25_000), type: 'application/rss+xml; charset=utf-8' });
    server = createServer((request, response) => {
      const found = bodies.get(request.url ?? '');
      if (!found) {
        response.writeHead(request.url === '/500' ? 500 : 404).end();
        return;
      }
      response.writeHead(200, { 'content-type': found.type }).end(found.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const feedList = (): FeedSpec[] => [
    ...Array.from({ length: 10 }, (_unused, feed) => ({ name: `wire-${feed}`, url: `${url}/feed/${feed}.xml` })),
    { name: 'html', url: `${url}/html` },
    { name: 'broken', url: `${url}/broken` },
    { name: 'down', url: `${url}/500` },
    { name: 'latin1', url: `${url}/latin1` },
    { name: 'shift-jis', url: `${url}/shift-jis` },
    { name: 'json', url: `${url}/json` },
    { name: 'rdf', url: `${url}/rdf` },
    { name: 'local', url: join(fixtures, 'rss-0.91.xml') },
  ];

  it('gives the same items, findings, outcomes and history, in the same order, as parsing in the main thread', async () => {
    const inProcessState = emptyState();
    const threadedState = emptyState();
    const inProcess = await ingest(contextFor(config), inProcessState, feedList(), { threads: 0 });
    const threaded = await ingest(contextFor(config), threadedState, feedList(), { threads: 2 });
    expect(threaded).toEqual(inProcess);
    expect(threadedState).toEqual(inProcessState);
    // The comparison is not vacuous: every kind of outcome is in there.
    expect(inProcess.counts).toMatchObject({ feeds: 18, feedsFailed: 3, entriesSkipped: 4 });
    expect(inProcess.items.length).toBeGreaterThan(200);
    expect(inProcess.items.length).toBeLessThan(10 * 30);
    expect(inProcess.feeds.map((feed) => feed.error?.code)).toEqual([...Array(10).fill(undefined), 'NP2002', 'NP2002', 'NP2001', undefined, undefined, undefined, undefined, undefined]);
  });

  it('costs one finding when a worker dies on a feed; the feeds behind it are still read', async () => {
    const feeds: FeedSpec[] = [{ name: 'huge', url: `${url}/huge` }, ...feedList()];
    const reference = await ingest(contextFor(config), emptyState(), feedList(), { threads: 0 });
    const result = await ingest(contextFor(config), emptyState(), feeds, { threads: 1, threadLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 } });
    expect(result.feeds[0]).toMatchObject({ feed: 'huge', ok: false, error: { code: 'NP2002' } });
    expect(result.feeds[0]!.error!.message).toMatch(/the parser crashed on it/);
    expect(result.findings.filter((finding) => finding.subject === `${url}/huge`)).toHaveLength(1);
    // Everything else is exactly what a run without the huge feed gives.
    expect(result.feeds.slice(1)).toEqual(reference.feeds);
    expect(result.items).toEqual(reference.items);
    expect(result.findings.slice(1)).toEqual(reference.findings);
  }, 30_000);
});

describe('FeedParsePool', () => {
  it('starts no thread until a body arrives (an all-304 run pays nothing)', async () => {
    const pool = new FeedParsePool({ size: 2 });
    await pool.close();
    expect(() => pool.parse({ location: 'x', name: 'x', bytes: new Uint8Array(), truncated: false, now: 0 })).toThrow(/closed/);
  });

  it('refuses a pool without threads', () => {
    expect(() => new FeedParsePool({ size: 0 })).toThrow(RangeError);
  });
});
