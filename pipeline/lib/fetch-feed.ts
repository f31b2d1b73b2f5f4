/**
 * One polite, bounded HTTP fetch of a feed:
 * - a time limit for the whole exchange, body included (AbortSignal.timeout),
 * - a byte cap: the body is read as a stream and cut off at the cap, so a feed that never ends
 *   cannot fill memory,
 * - redirects followed by hand, at most `maxRedirects`, loops detected,
 * - conditional GET: the ETag / Last-Modified of the previous answer go out as If-None-Match /
 *   If-Modified-Since, and a 304 costs nothing but the round trip,
 * - a User-Agent that says who we are.
 * Compression (gzip, br) is handled by fetch itself.
 */

export interface FetchFeedOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  etag?: string | undefined;
  lastModified?: string | undefined;
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
  const signal = AbortSignal.timeout(options.timeoutMs);
  const seen = new Set<string>();
  let current = url;
  try {
    for (let hop = 0; ; hop++) {
      seen.add(current);
      const headers: Record<string, string> = {
        'user-agent': options.userAgent,
        accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5',
      };
      // Validators only belong to the URL they were given for.
      if (hop === 0 && options.etag) headers['if-none-match'] = options.etag;
      if (hop === 0 && options.lastModified) headers['if-modified-since'] = options.lastModified;

      const response = await options.fetch(current, { headers, redirect: 'manual', signal });
      if (response.status >= 300 && response.status < 400 && response.status !== 304) {
        await response.body?.cancel();
        const location = response.headers.get('location');
        if (!location) throw new FeedFetchError(`HTTP ${response.status} without a Location header`);
        const next = new URL(location, current).toString();
        if (!/^https?:/i.test(next)) throw new FeedFetchError(`redirected to a non-http(s) address (${next.slice(0, 60)})`);
        if (seen.has(next)) throw new FeedFetchError(`redirect loop (${next} was already visited)`);
        if (hop + 1 > options.maxRedirects) throw new FeedFetchError(`more than ${options.maxRedirects} redirects`);
        current = next;
        continue;
      }
      if (response.status === 304) {
        await response.body?.cancel();
        return { status: 'not-modified', url: current };
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new FeedFetchError(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
      }
      const { bytes, truncated } = await readCapped(response, options.maxBytes);
      return {
        status: 'ok',
        url: current,
        bytes,
        truncated,
        contentType: response.headers.get('content-type') ?? undefined,
        etag: response.headers.get('etag') ?? undefined,
        lastModified: response.headers.get('last-modified') ?? undefined,
      };
    }
  } catch (error) {
    if (error instanceof FeedFetchError) throw error;
    const name = (error as Error).name;
    if (name === 'TimeoutError' || (name === 'AbortError' && signal.aborted)) {
      throw new FeedFetchError(`no complete answer within ${options.timeoutMs / 1000} s`);
    }
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    throw new FeedFetchError(cause?.code ? `${cause.code}${cause.message ? `: ${cause.message}` : ''}` : (error as Error).message);
  }
}

/** Reads at most `maxBytes` of the body; the rest is never downloaded. */
async function readCapped(response: Response, maxBytes: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { bytes: new Uint8Array(), truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  while (!truncated) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      size = maxBytes;
      truncated = true;
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  if (truncated) await reader.cancel().catch(() => {});
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, truncated };
}
