/**
 * One polite, bounded HTTP fetch of a feed:
 * - a time limit for the whole exchange, body included (a Deadline, see http-get.ts),
 * - a byte cap: the body is read as a stream and cut off at the cap, so a feed that never ends
 *   cannot fill memory (the cap counts decoded bytes, so a small compressed bomb is cut off too),
 * - redirects followed by hand, at most `maxRedirects`, loops detected,
 * - conditional GET: the ETag / Last-Modified of the previous answer go out as If-None-Match /
 *   If-Modified-Since, and a 304 costs nothing but the round trip,
 * - gzip, deflate and br bodies decoded,
 * - a User-Agent that says who we are.
 * It talks node:http / node:https directly (see http-get.ts for why not `fetch`).
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { Deadline, decodedBody, httpGet, type HttpAgents } from '../lib/http-get.ts';

export { HttpAgents } from '../lib/http-get.ts';

export interface FetchFeedOptions {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  etag?: string | undefined;
  lastModified?: string | undefined;
  /** Keep-alive connections shared by the feeds of one run; the caller destroys them at its end. */
  agents?: HttpAgents | undefined;
}

export type FetchFeedResult =
  | { status: 'not-modified'; url: string }
  | {
      status: 'ok';
      /** The URL the body came from, after redirects (relative links resolve against it). */
      url: string;
      bytes: Uint8Array;
      contentType: string | undefined;
      etag: string | undefined;
      lastModified: string | undefined;
      /** True when the body was cut off at the byte cap. */
      truncated: boolean;
    };

export class FeedFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedFetchError';
  }
}

export async function fetchFeed(url: string, options: FetchFeedOptions): Promise<FetchFeedResult> {
  const deadline = new Deadline(options.timeoutMs);
  const seen = new Set<string>();
  let current = url;
  try {
    for (let hop = 0; ; hop++) {
      seen.add(current);
      const headers: Record<string, string> = {
        'user-agent': options.userAgent,
        accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5',
        'accept-encoding': 'gzip, deflate, br',
      };
      // Validators only belong to the URL they were given for.
      if (hop === 0 && options.etag) headers['if-none-match'] = options.etag;
      if (hop === 0 && options.lastModified) headers['if-modified-since'] = options.lastModified;

      const response = await httpGet(new URL(current), { headers, deadline, agents: options.agents });
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && status !== 304) {
        discard(response);
        const location = response.headers.location;
        if (!location) throw new FeedFetchError(`HTTP ${status} without a Location header`);
        const next = new URL(location, current).toString();
        if (!/^https?:/i.test(next)) throw new FeedFetchError(`redirected to a non-http(s) address (${next.slice(0, 60)})`);
        if (seen.has(next)) throw new FeedFetchError(`redirect loop (${next} was already visited)`);
        if (hop + 1 > options.maxRedirects) throw new FeedFetchError(`more than ${options.maxRedirects} redirects`);
        current = next;
        continue;
      }
      if (status === 304) {
        discard(response);
        return { status: 'not-modified', url: current };
      }
      if (status < 200 || status >= 300) {
        discard(response);
        throw new FeedFetchError(`HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`);
      }
      let body: Readable;
      try {
        body = decodedBody(response);
      } catch (error) {
        response.destroy();
        throw new FeedFetchError((error as Error).message);
      }
      const { bytes, truncated } = await readCapped(body, options.maxBytes, deadline);
      return {
        status: 'ok',
        url: current,
        bytes,
        truncated,
        contentType: response.headers['content-type'],
        etag: header(response, 'etag'),
        lastModified: header(response, 'last-modified'),
      };
    }
  } catch (error) {
    if (error instanceof FeedFetchError) throw error;
    // Whatever the error says, once the time has run out it is the time limit that cut it off.
    if (deadline.expired) throw new FeedFetchError(`no complete answer within ${options.timeoutMs / 1000} s`);
    const { code, message } = error as NodeJS.ErrnoException;
    throw new FeedFetchError(code && !message.startsWith(code) ? `${code}: ${message}` : message);
  } finally {
    deadline.clear();
  }
}

/** Bodies of redirects and errors that are this small are drained so their connection can be reused. */
const DRAIN_LIMIT = 64 * 1024;

/**
 * A body we do not want. A small one is read and dropped, which leaves its keep-alive connection
 * reusable; one of unknown or large size would go on downloading after the time limit, so its
 * connection is closed instead.
 */
function discard(response: IncomingMessage): void {
  response.on('error', () => {});
  const length = Number(response.headers['content-length']);
  if (response.statusCode === 304 || (Number.isFinite(length) && length <= DRAIN_LIMIT)) response.resume();
  else response.destroy();
}

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads at most `maxBytes` of the body; past the cap the connection is closed, so the rest is
 * never downloaded. The time limit still runs while the body trickles in.
 */
function readCapped(body: Readable, maxBytes: number, deadline: Deadline): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    let settled = false;
    const finish = (error: unknown, truncated = false) => {
      if (settled) return;
      settled = true;
      if (error !== undefined) {
        body.destroy();
        reject(error);
        return;
      }
      // A body that came in one piece is handed on as it is; Buffer.concat skips zero-filling.
      resolve({ bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), truncated });
    };
    deadline.whenExpired(finish);
    body.on('data', (chunk: Uint8Array) => {
      if (settled) return;
      if (size + chunk.byteLength > maxBytes) {
        chunks.push(chunk.subarray(0, maxBytes - size));
        size = maxBytes;
        body.destroy();
        finish(undefined, true);
        return;
      }
      chunks.push(chunk);
      size += chunk.byteLength;
    });
    body.once('end', () => finish(undefined));
    body.on('error', (error) => finish(error));
    // A connection that drops mid-body may only say so by closing. ('close' also follows every
    // complete body: the error is only built when it is news.)
    body.once('close', () => {
      if (!settled) finish(Object.assign(new Error('the connection closed before the body was complete'), { code: 'ECONNRESET' }));
    });
  });
}
