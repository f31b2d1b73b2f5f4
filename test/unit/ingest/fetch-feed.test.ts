import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed, type FetchFeedOptions } from '../../../pipeline/ingest/fetch-feed.ts';
import { createHttpClient } from '../../../pipeline/lib/http-client.ts';
import { loopbackClient } from '../../helpers/loopback-http.ts';

/**
 * The transport under ingest, over loopback through the CLI's own HTTP client: what
 * ingest-http.test.ts does not reach through a whole ingest run — codings, validators, transport
 * errors by name.
 */
const BODY = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>${'<item><title>x</title></item>'.repeat(50)}</channel></rss>`;

describe('fetchFeed over the HTTP client', () => {
  const http = createHttpClient();
  let server: Server;
  let url: string;
  const seen: IncomingMessage[] = [];
  /** Connections that have answered a request already (kept alive, then reused). */
  const served = new WeakSet<object>();
  let droppedOne = false;

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      seen.push(request);
      const socket = request.socket;
      const path = request.url ?? '/';
      const reused = served.has(socket);
      served.add(socket);
      const send = (body: string | Uint8Array, headers: Record<string, string> = {}) => {
        response.writeHead(200, { 'content-type': 'application/rss+xml; charset=iso-8859-1', ...headers });
        response.end(body);
      };
      switch (path) {
        case '/plain':
          return send(BODY, { etag: '"e1"', 'last-modified': 'Fri, 30 Oct 2026 12:00:00 GMT' });
        case '/deflate':
          return send(deflateSync(BODY), { 'content-encoding': 'deflate' });
        case '/deflate-raw':
          // Some old servers send "deflate" without its zlib wrapper; browsers read it all the same.
          return send(deflateRawSync(BODY), { 'content-encoding': 'deflate' });
        case '/deflate-big':
          return send(deflateRawSync('<rss>' + 'a'.repeat(1024 * 1024)), { 'content-encoding': 'deflate' });
        case '/br':
          return send(brotliCompressSync(BODY), { 'content-encoding': 'br' });
        case '/gzip-big':
          // 1 MB once decoded, a few KB on the wire: the cap counts what it decodes to.
          return send(gzipSync('<rss>' + 'a'.repeat(1024 * 1024)), { 'content-encoding': 'gzip' });
        case '/zstd-fake':
          return send('not really', { 'content-encoding': 'compress' });
        case '/dir/sub/relative':
          response.writeHead(301, { location: '../../plain' });
          return response.end();
        case '/validators':
          response.writeHead(302, { location: '/conditional' });
          return response.end();
        case '/conditional':
          if (request.headers['if-none-match'] || request.headers['if-modified-since']) {
            response.writeHead(304);
            return response.end();
          }
          return send(BODY);
        case '/old':
          response.writeHead(301, { location: '/new' });
          return response.end();
        case '/new':
          return send(BODY, { 'content-type': 'application/rss+xml', etag: '"x"' });
        case '/missing':
          response.writeHead(404, 'Not Found');
          return response.end('gone');
        case '/drop-when-reused':
          // A server closing an idle kept-alive connection just as the client reuses it (once).
          if (reused && !droppedOne) {
            droppedOne = true;
            return socket.destroy();
          }
          return send(BODY);
        case '/reset':
          return socket.destroy();
        case '/half':
          response.writeHead(200, { 'content-length': '10000' });
          response.write(BODY.slice(0, 100));
          setTimeout(() => socket.destroy(), 20);
          return;
        case '/stall':
          response.writeHead(200, { 'content-type': 'application/rss+xml' });
          response.write(BODY.slice(0, 100));
          return;
        default:
          response.writeHead(500);
          return response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => server.closeAllConnections());
  afterAll(async () => {
    await http.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const options = (extra: Partial<FetchFeedOptions> = {}): FetchFeedOptions => ({
    timeoutMs: 1_000,
    maxBytes: 64 * 1024,
    maxRedirects: 5,
    userAgent: 'nichepress-test/1',
    ...extra,
  });
  const failure = (path: string, extra: Partial<FetchFeedOptions> = {}) =>
    fetchFeed(http, `${url}${path}`, options(extra)).then(
      () => 'no error',
      (error: Error) => `${error.name}: ${error.message}`,
    );

  it('returns the body, its content type and validators, and says who it is', async () => {
    const answer = await fetchFeed(http, `${url}/plain`, options());
    expect(answer).toMatchObject({ status: 'ok', url: `${url}/plain`, truncated: false, contentType: 'application/rss+xml; charset=iso-8859-1', etag: '"e1"', lastModified: 'Fri, 30 Oct 2026 12:00:00 GMT' });
    expect(answer.status === 'ok' && new TextDecoder().decode(answer.bytes)).toBe(BODY);
    expect(seen.at(-1)!.headers).toMatchObject({ 'user-agent': 'nichepress-test/1', 'accept-encoding': 'gzip, deflate, br' });
  });

  it('decodes deflate (wrapped or raw) and br, and names a coding it cannot decode', async () => {
    for (const path of ['/deflate', '/deflate-raw', '/br']) {
      const answer = await fetchFeed(http, `${url}${path}`, options());
      expect(answer.status === 'ok' && new TextDecoder().decode(answer.bytes)).toBe(BODY);
    }
    expect(await failure('/zstd-fake')).toBe('HttpGetError: unsupported Content-Encoding "compress"');
  });

  it('caps the decoded size of a compressed body', async () => {
    const raw = await fetchFeed(http, `${url}/deflate-big`, options({ maxBytes: 10_000 }));
    expect(raw).toMatchObject({ status: 'ok', truncated: true });
    expect(raw.status === 'ok' && raw.bytes.byteLength).toBe(10_000);
    const answer = await fetchFeed(http, `${url}/gzip-big`, options({ maxBytes: 10_000 }));
    expect(answer).toMatchObject({ status: 'ok', truncated: true });
    expect(answer.status === 'ok' && answer.bytes.byteLength).toBe(10_000);
  });

  it('resolves a relative Location against the current address', async () => {
    const answer = await fetchFeed(http, `${url}/dir/sub/relative`, options());
    expect(answer).toMatchObject({ status: 'ok', url: `${url}/plain` });
  });

  it('sends the validators to the first address only', async () => {
    const direct = await fetchFeed(http, `${url}/conditional`, options({ etag: '"v"' }));
    expect(direct.status).toBe('not-modified');
    const redirected = await fetchFeed(http, `${url}/validators`, options({ etag: '"v"', lastModified: 'Fri, 30 Oct 2026 12:00:00 GMT' }));
    expect(redirected.status).toBe('ok');
    expect(seen.at(-1)!.headers['if-none-match']).toBeUndefined();
  });

  it('names transport failures: status, refused, reset, cut-off body, unknown host, time limit', async () => {
    expect(await failure('/missing')).toBe('HttpGetError: HTTP 404 Not Found');
    expect(await failure('/reset')).toMatch(/^HttpGetError: UND_ERR_SOCKET: other side closed/);
    expect(await failure('/half')).toMatch(/^HttpGetError: (UND_ERR_SOCKET|terminated)/);
    expect(await failure('/stall', { timeoutMs: 300 })).toBe('HttpGetError: no complete answer within 0.3 s');

    const closedPort = createServer();
    await new Promise<void>((resolve) => closedPort.listen(0, '127.0.0.1', resolve));
    const { port } = closedPort.address() as AddressInfo;
    await new Promise<void>((resolve) => closedPort.close(() => resolve()));
    const refused = await fetchFeed(http, `http://127.0.0.1:${port}/`, options()).catch((error: Error) => error.message);
    expect(refused).toBe(`ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}`);

    const unknown = await fetchFeed(http, 'http://nichepress-test.invalid/feed.xml', options()).catch((error: Error) => error.message);
    expect(unknown).toMatch(/^(the host name does not resolve \(getaddrinfo ENOTFOUND|EAI_AGAIN: getaddrinfo EAI_AGAIN) nichepress-test\.invalid\)?$/);
  });

  it('sends a request again, once, when its reused connection was dropped', async () => {
    // Connections that have served a request wait in the client's pool for the next one.
    for (let round = 0; round < 3; round++) await fetchFeed(http, `${url}/plain`, options());
    const before = seen.length;
    const answer = await fetchFeed(http, `${url}/drop-when-reused`, options());
    expect(answer.status === 'ok' && new TextDecoder().decode(answer.bytes)).toBe(BODY);
    expect(seen.slice(before).map((request) => request.url)).toEqual(['/drop-when-reused', '/drop-when-reused']);
  });

  it('turns a malformed stored validator into an error rather than a request', async () => {
    const before = seen.length;
    expect(await failure('/plain', { etag: '"a\nb"' })).toMatch(/^HttpGetError: .*header/i);
    expect(seen.length).toBe(before);
  });

  it('goes through the client it is handed, redirects hop by hop: no other HTTP client', async () => {
    // feeds.example does not resolve: only the client handed in can reach the loopback server.
    const routed = loopbackClient({ hosts: (host) => host === 'feeds.example', origin: url });
    const before = seen.length;
    try {
      const answer = await fetchFeed(routed, 'https://feeds.example/old', options({ etag: '"v0"' }));
      expect(answer).toMatchObject({ status: 'ok', url: 'https://feeds.example/new', etag: '"x"', contentType: 'application/rss+xml' });
    } finally {
      await routed.close();
    }
    expect(seen.slice(before).map((request) => [request.url, request.headers['if-none-match']])).toEqual([
      ['/old', '"v0"'],
      ['/new', undefined],
    ]);
  });
});
