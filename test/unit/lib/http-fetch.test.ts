import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFetchFailure } from '../../../pipeline/lib/http-client.ts';
import { httpFetch } from '../../../pipeline/lib/http-fetch.ts';

/**
 * The run's HTTP client over a loopback server: what its callers (feeds, source pages, link
 * checks) rely on of the WHATWG fetch it stands in for.
 */
const TEXT = 'validators queue for exits '.repeat(400);

describe('httpFetch', () => {
  let server: Server;
  let base: string;
  const seen: IncomingMessage[] = [];

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      seen.push(request);
      const path = request.url ?? '/';
      switch (path) {
        case '/text':
          response.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] });
          return response.end(TEXT);
        case '/gzip':
          response.writeHead(200, { 'content-encoding': 'gzip' });
          return response.end(gzipSync(TEXT));
        case '/deflate':
          response.writeHead(200, { 'content-encoding': 'deflate' });
          return response.end(deflateSync(TEXT));
        case '/br':
          response.writeHead(200, { 'content-encoding': 'br' });
          return response.end(brotliCompressSync(TEXT));
        case '/unknown-coding':
          response.writeHead(200, { 'content-encoding': 'compress' });
          return response.end('as it came');
        case '/corrupt-gzip':
          response.writeHead(200, { 'content-encoding': 'gzip' });
          return response.end('not gzip at all');
        case '/moved':
          response.writeHead(301, { location: '/text' });
          return response.end('moved');
        case '/see-other':
          response.writeHead(303, { location: '/text' });
          return response.end();
        case '/loop':
          response.writeHead(302, { location: '/loop' });
          return response.end();
        case '/not-modified':
          response.writeHead(304, { etag: '"v1"' });
          return response.end();
        case '/missing':
          response.writeHead(404, 'Not Found');
          return response.end('gone');
        case '/reset':
          return request.socket.destroy();
        case '/half':
          response.writeHead(200, { 'content-length': '10000' });
          response.write('a'.repeat(100));
          setTimeout(() => request.socket.destroy(), 20);
          return;
        case '/stall':
          response.writeHead(200);
          response.write('a'.repeat(100));
          return;
        case '/silent':
          return;
        default:
          response.writeHead(500);
          return response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  // Connections stay open between tests, as kept-alive connections do between a run's requests.
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'no error',
      (error: Error & { cause?: { code?: string } }) => `${error.name}: ${error.message}${error.cause?.code ? ` (${error.cause.code})` : ''}`,
    );

  it('answers with status, every header and the body, and sends the caller’s headers with its defaults', async () => {
    const response = await httpFetch(`${base}/text`, { headers: { 'user-agent': 'nichepress-test/1' } });
    expect([response.status, response.ok, response.headers.get('content-type')]).toEqual([200, true, 'text/plain']);
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.text()).toBe(TEXT);
    expect(seen.at(-1)!.headers).toMatchObject({ 'user-agent': 'nichepress-test/1', 'accept-encoding': 'gzip, deflate, br', accept: '*/*' });
  });

  it('decodes gzip, deflate and br; leaves another coding as it came, with its header', async () => {
    for (const path of ['/gzip', '/deflate', '/br']) expect(await (await httpFetch(`${base}${path}`)).text(), path).toBe(TEXT);
    const unknown = await httpFetch(`${base}/unknown-coding`);
    expect([unknown.headers.get('content-encoding'), await unknown.text()]).toEqual(['compress', 'as it came']);
    expect(await failureOf(httpFetch(`${base}/corrupt-gzip`).then((response) => response.text()))).toMatch(/^TypeError: fetch failed \(Z_DATA_ERROR\)/);
  });

  it('answers a redirect as it is with redirect: manual, follows it by default, refuses it with redirect: error', async () => {
    const manual = await httpFetch(`${base}/moved`, { redirect: 'manual' });
    expect([manual.status, manual.headers.get('location'), await manual.text()]).toEqual([301, '/text', 'moved']);
    const followed = await httpFetch(`${base}/see-other`, { method: 'HEAD' });
    expect([followed.status, followed.url, await followed.text()]).toEqual([200, `${base}/text`, '']);
    expect(seen.at(-1)!.method).toBe('HEAD');
    expect(await failureOf(httpFetch(`${base}/moved`, { redirect: 'error' }))).toBe('TypeError: fetch failed');
    // Another origin: the credentials stay behind, the other headers go along.
    const other = createServer((_request, response) => {
      response.writeHead(302, { location: `${base}/text` });
      response.end();
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const otherPort = (other.address() as AddressInfo).port;
    await httpFetch(`http://127.0.0.1:${otherPort}/`, { headers: { authorization: 'Bearer x', cookie: 'a=1', 'user-agent': 'nichepress-test/1' } }).then((response) => response.text());
    other.closeAllConnections();
    await new Promise<void>((resolve) => other.close(() => resolve()));
    expect(seen.at(-1)!.headers).toMatchObject({ 'user-agent': 'nichepress-test/1' });
    expect([seen.at(-1)!.headers.authorization, seen.at(-1)!.headers.cookie]).toEqual([undefined, undefined]);
    expect(await failureOf(httpFetch(`${base}/loop`))).toBe('TypeError: fetch failed');
  });

  it('has no body for 304 and HEAD, and hands other statuses to the caller', async () => {
    const notModified = await httpFetch(`${base}/not-modified`);
    expect([notModified.status, notModified.body, notModified.headers.get('etag')]).toEqual([304, null, '"v1"']);
    const missing = await httpFetch(`${base}/missing`);
    expect([missing.status, missing.statusText, missing.ok, await missing.text()]).toEqual([404, 'Not Found', false, 'gone']);
  });

  it('fails as fetch does: a TypeError whose cause names the system error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await httpFetch(`http://127.0.0.1:${port}/`).catch((error: unknown) => error);
    expect(describeFetchFailure(refused, 1_000)).toEqual({ text: `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}`, definite: false });
    expect(await failureOf(httpFetch(`${base}/reset`))).toBe('TypeError: fetch failed (ECONNRESET)');
    expect(await failureOf(httpFetch(`${base}/half`).then((response) => response.arrayBuffer()))).toBe('TypeError: fetch failed (ECONNRESET)');
    const unknown = await httpFetch('http://nichepress-test.invalid/').catch((error: unknown) => error);
    expect(describeFetchFailure(unknown, 1_000).text).toMatch(/nichepress-test\.invalid/);
    expect(await failureOf(httpFetch('ftp://files.example/feed.xml'))).toBe('TypeError: fetch failed');
  });

  it('aborts the request, or the body being read, with the signal’s reason', async () => {
    expect(await failureOf(httpFetch(`${base}/silent`, { signal: AbortSignal.timeout(100) }))).toMatch(/^TimeoutError/);
    const response = await httpFetch(`${base}/stall`, { signal: AbortSignal.timeout(200) });
    expect(await failureOf(response.text())).toMatch(/^TimeoutError/);
    const cancelled = new AbortController();
    cancelled.abort(new Error('stopped'));
    expect(await failureOf(httpFetch(`${base}/text`, { signal: cancelled.signal }))).toBe('Error: stopped');
  });

  it('reads a body as it is asked for, and cancelling it frees the connection for the next request', async () => {
    const response = await httpFetch(`${base}/text`);
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    expect(value!.byteLength).toBeGreaterThan(0);
    await reader.cancel();
    expect(await (await httpFetch(`${base}/text`)).text()).toBe(TEXT);
  });

  it('refuses an invalid header value before anything is sent', async () => {
    const before = seen.length;
    expect(await failureOf(httpFetch(`${base}/text`, { headers: { 'if-none-match': '"a\nb"' } }))).toMatch(/^TypeError: .*header/i);
    expect(seen.length).toBe(before);
  });
});
