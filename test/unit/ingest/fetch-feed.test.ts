import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed, HttpAgents, type FetchFeedOptions } from '../../../pipeline/ingest/fetch-feed.ts';
import { Deadline } from '../../../pipeline/lib/http-get.ts';

/**
 * The transport under ingest, over loopback: what ingest-http.test.ts does not reach through a
 * whole ingest run — connection reuse and release, codings, transport errors by name.
 */
const BODY = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>${'<item><title>x</title></item>'.repeat(50)}</channel></rss>`;

describe('fetchFeed over node:http', () => {
  let server: Server;
  let url: string;
  const connections = new Set<Socket>();
  const served = new WeakMap<Socket, number>();
  const seen: IncomingMessage[] = [];

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      seen.push(request);
      const socket = request.socket;
      served.set(socket, (served.get(socket) ?? 0) + 1);
      const path = request.url ?? '/';
      const send = (body: string | Uint8Array, headers: Record<string, string> = {}) => {
        response.writeHead(200, { 'content-type': 'application/rss+xml; charset=iso-8859-1', ...headers });
        response.end(body);
      };
      switch (path) {
        case '/plain':
          return send(BODY, { etag: '"e1"', 'last-modified': 'Fri, 30 Oct 2026 12:00:00 GMT' });
        case '/deflate':
          return send(deflateSync(BODY), { 'content-encoding': 'deflate' });
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
        case '/missing':
          response.writeHead(404, 'Not Found');
          return response.end('gone');
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
        case '/once-per-connection':
          // A server that drops a kept-alive connection just as it is reused.
          if (served.get(socket)! > 1) return socket.destroy();
          return send(BODY);
        default:
          response.writeHead(500);
          return response.end();
      }
    });
    server.on('connection', (socket: Socket) => {
      connections.add(socket);
      socket.on('close', () => connections.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => server.closeAllConnections());
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const options = (extra: Partial<FetchFeedOptions> = {}): FetchFeedOptions => ({
    timeoutMs: 1_000,
    maxBytes: 64 * 1024,
    maxRedirects: 5,
    userAgent: 'nichepress-test/1',
    ...extra,
  });
  const failure = (path: string, extra: Partial<FetchFeedOptions> = {}) =>
    fetchFeed(`${url}${path}`, options(extra)).then(
      () => 'no error',
      (error: Error) => `${error.name}: ${error.message}`,
    );
  const closed = async () => {
    for (let wait = 0; wait < 50 && connections.size > 0; wait++) await new Promise((resolve) => setTimeout(resolve, 10));
    return connections.size;
  };

  it('returns the body, its content type and validators, and says who it is', async () => {
    const answer = await fetchFeed(`${url}/plain`, options());
    expect(answer).toMatchObject({ status: 'ok', url: `${url}/plain`, truncated: false, contentType: 'application/rss+xml; charset=iso-8859-1', etag: '"e1"', lastModified: 'Fri, 30 Oct 2026 12:00:00 GMT' });
    expect(answer.status === 'ok' && new TextDecoder().decode(answer.bytes)).toBe(BODY);
    expect(seen.at(-1)!.headers).toMatchObject({ 'user-agent': 'nichepress-test/1', 'accept-encoding': 'gzip, deflate, br' });
  });

  it('decodes deflate and br, and names a coding it cannot decode', async () => {
    for (const path of ['/deflate', '/br']) {
      const answer = await fetchFeed(`${url}${path}`, options());
      expect(answer.status === 'ok' && new TextDecoder().decode(answer.bytes)).toBe(BODY);
    }
    expect(await failure('/zstd-fake')).toBe('FeedFetchError: unsupported Content-Encoding "compress"');
  });

  it('caps the decoded size of a compressed body', async () => {
    const answer = await fetchFeed(`${url}/gzip-big`, options({ maxBytes: 10_000 }));
    expect(answer).toMatchObject({ status: 'ok', truncated: true });
    expect(answer.status === 'ok' && answer.bytes.byteLength).toBe(10_000);
  });

  it('resolves a relative Location against the current address', async () => {
    const answer = await fetchFeed(`${url}/dir/sub/relative`, options());
    expect(answer).toMatchObject({ status: 'ok', url: `${url}/plain` });
  });

  it('sends the validators to the first address only', async () => {
    const direct = await fetchFeed(`${url}/conditional`, options({ etag: '"v"' }));
    expect(direct.status).toBe('not-modified');
    const redirected = await fetchFeed(`${url}/validators`, options({ etag: '"v"', lastModified: 'Fri, 30 Oct 2026 12:00:00 GMT' }));
    expect(redirected.status).toBe('ok');
    expect(seen.at(-1)!.headers['if-none-match']).toBeUndefined();
  });

  it('names transport failures: status, refused, reset, cut-off body, unknown host, time limit', async () => {
    expect(await failure('/missing')).toBe('FeedFetchError: HTTP 404 Not Found');
    expect(await failure('/reset')).toBe('FeedFetchError: ECONNRESET: socket hang up');
    expect(await failure('/half')).toMatch(/^FeedFetchError: ECONNRESET: /);
    expect(await failure('/stall', { timeoutMs: 300 })).toBe('FeedFetchError: no complete answer within 0.3 s');

    const closedPort = createServer();
    await new Promise<void>((resolve) => closedPort.listen(0, '127.0.0.1', resolve));
    const { port } = closedPort.address() as AddressInfo;
    await new Promise<void>((resolve) => closedPort.close(() => resolve()));
    const refused = await fetchFeed(`http://127.0.0.1:${port}/`, options()).catch((error: Error) => error.message);
    expect(refused).toBe(`ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}`);

    const unknown = await fetchFeed('http://nichepress-test.invalid/feed.xml', options()).catch((error: Error) => error.message);
    expect(unknown).toMatch(/^(ENOTFOUND|EAI_AGAIN): getaddrinfo \w+ nichepress-test\.invalid$/);
  });

  it('turns a malformed stored validator into an error, and a stall on a kept-alive connection into the time limit', async () => {
    expect(await failure('/plain', { etag: '"a\nb"' })).toMatch(/^FeedFetchError: ERR_INVALID_CHAR: /);
    const agents = new HttpAgents(2);
    try {
      expect(await failure('/stall', { timeoutMs: 300, agents })).toBe('FeedFetchError: no complete answer within 0.3 s');
      expect((await fetchFeed(`${url}/plain`, options({ agents }))).status).toBe('ok');
    } finally {
      agents.destroy();
    }
  });

  it('reuses one connection per host through shared agents, and destroy() closes it', async () => {
    const agents = new HttpAgents(2);
    const before = seen.length;
    for (let round = 0; round < 4; round++) await fetchFeed(`${url}/plain`, options({ agents }));
    const sockets = new Set(seen.slice(before).map((request) => request.socket));
    expect(sockets.size).toBe(1);
    expect(connections.size).toBe(1);
    agents.destroy();
    expect(await closed()).toBe(0);
  });

  it('closes the connection after the answer without shared agents', async () => {
    await fetchFeed(`${url}/plain`, options());
    expect(seen.at(-1)!.headers.connection).toBe('close');
    expect(await closed()).toBe(0);
  });

  it('sends a GET again on a fresh connection when a reused one is dropped', async () => {
    const agents = new HttpAgents(1);
    try {
      await fetchFeed(`${url}/once-per-connection`, options({ agents }));
      const before = seen.length;
      const again = await fetchFeed(`${url}/once-per-connection`, options({ agents }));
      expect(again.status).toBe('ok');
      // The dropped attempt and the retry.
      expect(seen.length - before).toBe(2);
    } finally {
      agents.destroy();
    }
  });
});

describe('Deadline', () => {
  it('destroys what was handed to it last, once, when the time runs out', async () => {
    const deadline = new Deadline(30);
    const calls: string[] = [];
    deadline.whenExpired(() => calls.push('request'));
    deadline.whenExpired((error) => calls.push(`body: ${error.message}`));
    expect(deadline.expired).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(deadline.expired).toBe(true);
    expect(calls).toEqual(['body: the time limit ran out']);
    // Handed over after the time ran out: destroyed at once.
    deadline.whenExpired(() => calls.push('late'));
    expect(calls).toEqual(['body: the time limit ran out', 'late']);
  });

  it('does nothing once cleared', async () => {
    const deadline = new Deadline(20);
    const calls: string[] = [];
    deadline.whenExpired(() => calls.push('request'));
    deadline.clear();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(deadline.expired).toBe(false);
    expect(calls).toEqual([]);
  });
});
