import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../../pipeline/config/niche-config.ts';
import { ingest } from '../../../pipeline/ingest/ingest.ts';
import { emptyState } from '../../../pipeline/state.ts';
import { PACKAGE_ROOT } from '../../helpers/cli.ts';
import { contextFor, sampleConfig } from '../../helpers/context.ts';

/** Feeds as real servers misbehave, served from 127.0.0.1. */
const base = await sampleConfig();
const config: ResolvedConfig = { ...base, ingest: { ...base.ingest, timeoutMs: 800, maxBytes: 64 * 1024, maxRedirects: 5 } };
const fixture = (name: string) => readFile(join(PACKAGE_ROOT, 'test/fixtures/feeds', name));

function rss(items: number, title = 'Loopback Wire'): string {
  const entries = Array.from(
    { length: items },
    (_unused, index) =>
      `<item><title>Story number ${index + 1} about validator exit queues</title><link>/stories/${index + 1}</link><pubDate>Fri, 30 Oct 2026 10:${String(index % 60).padStart(2, '0')}:00 GMT</pubDate><description>Body ${index + 1}.</description></item>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${title}</title><link>http://127.0.0.1/</link>${entries.join('')}</channel></rss>`;
}

describe('ingest over loopback HTTP', () => {
  let server: Server;
  let url: string;
  const hits = new Map<string, number>();
  const requests: IncomingMessage[] = [];
  let changingVersion = 1;
  /** Requests to /held/… open at once, and the most there ever were. */
  let held = 0;
  let mostHeld = 0;

  beforeAll(async () => {
    const windows1252 = await fixture('latin1-no-decl.xml');
    const shiftJis = await fixture('shift_jis.xml');
    server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
      const path = request.url ?? '/';
      hits.set(path, (hits.get(path) ?? 0) + 1);
      requests.push(request);
      const xml = (body: string | Uint8Array, type = 'application/rss+xml; charset=utf-8', extra: Record<string, string> = {}) => {
        response.writeHead(200, { 'content-type': type, ...extra });
        response.end(body);
      };
      switch (path) {
        case '/slow':
          setTimeout(() => xml(rss(1)), 3_000).unref();
          return;
        case '/endless': {
          response.writeHead(200, { 'content-type': 'application/rss+xml' });
          response.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Endless</title><link>http://127.0.0.1/</link>');
          let index = 0;
          const timer = setInterval(() => {
            if (response.destroyed) return clearInterval(timer);
            const chunk = Array.from({ length: 50 }, () => {
              index++;
              return `<item><title>Endless item ${index}</title><link>/endless/${index}</link><pubDate>Fri, 30 Oct 2026 10:00:00 GMT</pubDate></item>`;
            }).join('');
            response.write(chunk);
          }, 1);
          response.on('close', () => clearInterval(timer));
          return;
        }
        case '/loop-a':
          response.writeHead(302, { location: '/loop-b' });
          return response.end();
        case '/loop-b':
          response.writeHead(302, { location: '/loop-a' });
          return response.end();
        case '/hop/1':
        case '/hop/2':
        case '/hop/3':
          response.writeHead(301, { location: `/hop/${Number(path.at(-1)) + 1}` });
          return response.end();
        case '/hop/4':
          return xml(rss(2, 'After Three Hops'));
        case '/chain/1': case '/chain/2': case '/chain/3': case '/chain/4': case '/chain/5': case '/chain/6':
          response.writeHead(302, { location: `/chain/${Number(path.at(-1)) + 1}` });
          return response.end();
        case '/etag':
          if (request.headers['if-none-match'] === '"v1"') {
            response.writeHead(304, { etag: '"v1"' });
            return response.end();
          }
          return xml(rss(3, 'Etag Wire'), undefined, { etag: '"v1"' });
        case '/last-modified':
          if (request.headers['if-modified-since'] === 'Fri, 30 Oct 2026 12:00:00 GMT') {
            response.writeHead(304);
            return response.end();
          }
          return xml(rss(2, 'Dated Wire'), undefined, { 'last-modified': 'Fri, 30 Oct 2026 12:00:00 GMT' });
        case '/500':
          response.writeHead(500);
          return response.end('boom');
        case '/html':
          return xml('<!doctype html><html><head><title>Blog</title></head><body><p>Subscribe!</p></body></html>', 'text/html; charset=utf-8');
        case '/wrong-charset':
          return xml(windows1252, 'application/rss+xml; charset=utf-8');
        case '/no-charset':
          return xml(shiftJis, 'text/xml');
        case '/gzip':
          return xml(gzipSync(rss(4, 'Gzip Wire')), 'application/rss+xml; charset=utf-8', { 'content-encoding': 'gzip' });
        case '/held/1': case '/held/2': case '/held/3': case '/held/4': case '/held/5': case '/held/6':
          // Answered a moment later, so requests sent together are open together here.
          mostHeld = Math.max(mostHeld, ++held);
          setTimeout(() => {
            held--;
            xml(rss(1, `Held ${path.at(-1)}`));
          }, 50);
          return;
        case '/changing':
          return xml(rss(changingVersion + 1, 'Changing Wire'), undefined, { etag: `"c${changingVersion}"` });
        default:
          response.writeHead(404);
          return response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const one = async (path: string, state = emptyState()) => {
    const result = await ingest(contextFor(config), state, [{ name: path, url: `${url}${path}` }]);
    return { result, outcome: result.feeds[0]!, state };
  };

  it('gives up on a slow feed at the time limit with one finding', async () => {
    const { outcome, result } = await one('/slow');
    expect(outcome).toMatchObject({ ok: false, error: { code: 'NP2001' } });
    expect(result.findings.map((finding) => finding.message)).toEqual([expect.stringContaining('no complete answer within 0.8 s')]);
  });

  it('cuts an endless body off at the byte cap and keeps its complete entries', async () => {
    const { outcome, result } = await one('/endless');
    expect(outcome.ok).toBe(true);
    expect(outcome.items).toBeGreaterThan(10);
    expect(result.findings.map((finding) => finding.code)).toContain('NP2005');
  });

  it('stops at a redirect loop and at too many redirects, follows a short chain', async () => {
    expect((await one('/loop-a')).result.findings[0]!.message).toContain('redirect loop');
    expect((await one('/chain/1')).result.findings[0]!.message).toContain('more than 5 redirects');
    const hops = await one('/hop/1');
    expect(hops.outcome).toMatchObject({ ok: true, items: 2 });
    // Relative links resolve against the final URL.
    expect(hops.result.items[0]!.url).toBe(`${url}/stories/1`);
  });

  it('sends ETag and Last-Modified back and treats 304 as "no change"', async () => {
    for (const path of ['/etag', '/last-modified']) {
      const first = await one(path);
      expect(first.outcome.items).toBeGreaterThan(0);
      const second = await one(path, first.state);
      expect(second.outcome).toMatchObject({ ok: true, notModified: true, items: 0 });
      expect(second.result.newItems).toBe(0);
      expect(second.result.findings.map((finding) => finding.severity)).toEqual(['info']);
    }
  });

  it('turns a 500 and an HTML page into one finding each', async () => {
    expect((await one('/500')).outcome).toMatchObject({ ok: false, error: { code: 'NP2001', message: expect.stringContaining('HTTP 500') } });
    expect((await one('/html')).outcome).toMatchObject({ ok: false, error: { code: 'NP2002', message: expect.stringContaining('HTML page') } });
  });

  it('reads a windows-1252 body served as utf-8, and a Shift_JIS body without a charset', async () => {
    const wrong = await one('/wrong-charset');
    expect(wrong.result.items[0]!.title).toBe('Café crème and €5 fees');
    const noCharset = await one('/no-charset');
    expect(noCharset.result.items[0]!.title).toBe('ステーキング報酬が低下');
  });

  it('decompresses gzip', async () => {
    expect((await one('/gzip')).outcome).toMatchObject({ ok: true, items: 4 });
  });

  it('picks up what changed between two runs', async () => {
    changingVersion = 1;
    const first = await one('/changing');
    expect(first.result.newItems).toBe(2);
    changingVersion = 2;
    const second = await one('/changing', first.state);
    expect(second.result.newItems).toBe(1);
    expect(Object.keys(second.state.items)).toHaveLength(3);
  });

  it('sends at most two requests at a time to one host, and does send two', async () => {
    const feeds = [1, 2, 3, 4, 5, 6].map((index) => ({ name: `held ${index}`, url: `${url}/held/${index}` }));
    const result = await ingest(contextFor(config), emptyState(), feeds);
    expect(result.feeds.every((feed) => feed.ok)).toBe(true);
    expect(mostHeld).toBe(config.ingest.perHost);
    expect(config.ingest.perHost).toBe(2);
  });

  it('says who it is', async () => {
    await one('/gzip');
    expect(requests.at(-1)!.headers['user-agent']).toMatch(/^nichepress\//);
  });

  it('goes on with the other feeds when some fail', async () => {
    const result = await ingest(contextFor(config), emptyState(), ['/500', '/html', '/gzip', '/loop-a'].map((path) => ({ name: path, url: `${url}${path}` })));
    expect(result.feeds.map((feed) => feed.ok)).toEqual([false, false, true, false]);
    expect(result.items).toHaveLength(4);
  });
});
