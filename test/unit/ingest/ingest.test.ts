import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../pipeline/ingest/ingest.ts';
import { emptyState } from '../../../pipeline/state.ts';
import { contextFor, sampleConfig } from '../../helpers/context.ts';

const config = await sampleConfig();

describe('ingest of the bundled sample feeds', () => {
  it('reads all four formats and keeps the odd entries, saying once what was completed', async () => {
    const state = emptyState();
    const result = await ingest(contextFor(config), state);
    expect(result.counts).toMatchObject({ feeds: 4, feedsFailed: 0, entriesSkipped: 0, items: 44 });
    expect(result.findings.map((finding) => [finding.code, finding.severity, finding.message])).toEqual([
      ['NP2010', 'info', '1 entry of content/feeds/staking-notes.xml had no readable date (such as "sometime last week"): kept, dated by when first seen.'],
      ['NP2010', 'info', '1 entry of content/feeds/staking-notes.xml had no title: kept, titled from the start of its text.'],
    ]);
    const byUrl = (path: string) => result.items.find((item) => item.url === `https://stakingnotes.example/${path}`);
    // Its date could not be read: dated by the run that first saw it.
    expect(byUrl('notes/withdrawal-credentials-explained')?.publishedAt).toBe(config.clock!.toISOString());
    expect(byUrl('notes/how-often-to-claim-rewards')?.title).toBe('Staking Notes readers asked how often rewards should be claimed and compounded.');
    // No link, only a guid that is not one: the publisher's page, told apart by the guid.
    expect(byUrl('#stakingnotes-2026-0918-client-patch')?.title).toBe('Consensus client patch fixes a rare missed-attestation bug after restarts');
    expect(Object.keys(state.items)).toHaveLength(result.items.length);

    // The next run, a day later: the undated entry keeps the date it was first seen, and nothing is said again.
    const later = await ingest(contextFor(config, { now: new Date(config.clock!.getTime() + 86_400_000) }), state);
    expect(later.findings).toEqual([]);
    expect(later.items.find((item) => item.url.endsWith('withdrawal-credentials-explained'))?.publishedAt).toBe(config.clock!.toISOString());
  });

  it('decodes the windows-1252 feed into correct text', async () => {
    const result = await ingest(contextFor(config), emptyState());
    const l2 = result.items.filter((item) => item.feed === 'Layer Two Digest');
    const text = l2.map((item) => `${item.title} ${item.summary}`).join(' ');
    expect(text).toMatch(/€/);
    expect(text).toMatch(/[‘’“”]/);
    expect(text).toMatch(/Zürich|café/);
    expect(text).not.toContain('\uFFFD');
  });

  it('turns HTML into plain text and strips tracking parameters', async () => {
    const result = await ingest(contextFor(config), emptyState());
    for (const item of result.items) {
      expect(item.summary).not.toMatch(/<\/?[a-z][^>]*>/i);
      expect(item.url).not.toMatch(/[?&](utm_[a-z]+|fbclid|gclid)=/);
      expect(item.url).toMatch(/^https:\/\/[a-z0-9.-]+\.example\//);
    }
  });

  it('keeps a prompt-injection attempt as inert text of its item', async () => {
    const result = await ingest(contextFor(config), emptyState());
    const injected = result.items.find((item) => item.summary.includes('ignore previous instructions'));
    expect(injected).toBeDefined();
    expect(injected!.feed).toBe('DeFi Ledger');
  });

  it('is idempotent: a second ingest adds nothing new', async () => {
    const state = emptyState();
    await ingest(contextFor(config), state);
    const second = await ingest(contextFor(config), state);
    expect(second.newItems).toBe(0);
  });
});

describe('ingest over HTTP (loopback)', () => {
  let server: Server;
  let base: string;
  const rss = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Loopback Wire</title><link>http://127.0.0.1/</link>
    <item><title>Stakers watch the validator exit queue lengthen again</title><link>/news/exit-queue?utm_source=rss#top</link><pubDate>Fri, 30 Oct 2026 10:00:00 GMT</pubDate><description>Queue grows.</description></item>
  </channel></rss>`;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/feed.xml') {
        response.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
        response.end(rss);
      } else if (request.url === '/down.xml') {
        response.writeHead(500);
        response.end('boom');
      } else if (request.url === '/page.html') {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<!doctype html><html><body><p>Not a feed</p></body></html>');
      } else {
        response.writeHead(404);
        response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches a feed, resolves relative links against the feed URL and canonicalises them', async () => {
    const result = await ingest(contextFor(config), emptyState(), [{ name: 'wire', url: `${base}/feed.xml` }]);
    expect(result.findings).toEqual([]);
    expect(result.items).toHaveLength(1);
    expect(result.items[0]!.url).toBe(`${base}/news/exit-queue`);
    expect(result.items[0]!.publisher).toBe('Loopback Wire');
  });

  it('isolates failures: a 500 and an HTML page are one finding each, the good feed survives', async () => {
    const result = await ingest(contextFor(config), emptyState(), [
      { name: 'down', url: `${base}/down.xml` },
      { name: 'page', url: `${base}/page.html` },
      { name: 'wire', url: `${base}/feed.xml` },
    ]);
    expect(result.items).toHaveLength(1);
    expect(result.feeds.map((feed) => [feed.feed, feed.ok, feed.error?.code])).toEqual([
      ['down', false, 'NP2001'],
      ['page', false, 'NP2002'],
      ['wire', true, undefined],
    ]);
    expect(result.findings.find((finding) => finding.code === 'NP2001')?.message).toContain('HTTP 500');
  });

  it('never touches the network offline', async () => {
    const result = await ingest(contextFor(config, { offline: true }), emptyState(), [{ name: 'wire', url: `${base}/feed.xml` }]);
    expect(result.items).toEqual([]);
    expect(result.findings[0]?.code).toBe('NP2004');
  });
});
