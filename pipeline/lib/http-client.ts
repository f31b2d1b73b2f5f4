/**
 * A bounded GET over the context's `fetch` (the WHATWG signature; Node's built-in in the CLI, a
 * fake or a loopback server in tests). Feeds use it whole; other features that need a page with
 * the same guarantees call it with their own limits, and anything that only needs a status (link
 * checks) calls `fetch` itself and shares `describeFetchFailure`.
 *
 * - a time limit for the whole exchange, redirects and body included,
 * - a byte cap on the decoded body: it is read as a stream and cut off at the cap, so a body that
 *   never ends, or a small compressed bomb, cannot fill memory,
 * - redirects followed by hand (`redirect: 'manual'`): at most `maxRedirects`, loops detected,
 *   http(s) only, and the caller's validators sent to the first address only,
 * - a request on a connection the server dropped as it was reused is sent again, once,
 * - gzip, deflate and br bodies decoded by `fetch`; any other Content-Encoding is an error rather
 *   than bytes that would only fail later as garbage.
 */

export interface LimitedGetOptions {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  /** Sent with every request. */
  headers: Record<string, string>;
  /** Sent with the first request only (If-None-Match, If-Modified-Since belong to that address). */
  firstRequestHeaders?: Record<string, string> | undefined;
}

export type LimitedGetResult =
  | { status: 'not-modified'; url: string }
  | {
      status: 'ok';
      /** The address the body came from, after redirects (relative links resolve against it). */
      url: string;
      bytes: Uint8Array;
      headers: Headers;
      /** The body was cut off at the byte cap. */
      truncated: boolean;
    };

/** Why a bounded GET gave up, in words fit for a finding. */
export class HttpGetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HttpGetError';
  }
}

/** Codings `fetch` undoes itself (Node's undici; "identity" means none). */
const DECODED_CODINGS = new Set(['gzip', 'x-gzip', 'deflate', 'br', 'identity']);

export async function getWithLimits(fetch: typeof globalThis.fetch, url: string, options: LimitedGetOptions): Promise<LimitedGetResult> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const seen = new Set<string>();
  let current = url;
  try {
    for (let hop = 0; ; hop++) {
      seen.add(current);
      const headers = hop === 0 ? { ...options.headers, ...options.firstRequestHeaders } : options.headers;
      const response = await sendOnce(fetch, current, { headers, redirect: 'manual', signal });
      const { status } = response;
      if (status >= 300 && status < 400 && status !== 304) {
        await discard(response);
        const location = response.headers.get('location');
        if (!location) throw new HttpGetError(`HTTP ${status} without a Location header`);
        if (!URL.canParse(location, current)) throw new HttpGetError(`redirected to an invalid address (${location.slice(0, 60)})`);
        const next = new URL(location, current).href;
        if (!/^https?:/i.test(next)) throw new HttpGetError(`redirected to a non-http(s) address (${next.slice(0, 60)})`);
        if (seen.has(next)) throw new HttpGetError(`redirect loop (${next} was already visited)`);
        if (hop + 1 > options.maxRedirects) throw new HttpGetError(`more than ${options.maxRedirects} redirects`);
        current = next;
        continue;
      }
      if (status === 304) {
        await discard(response);
        return { status: 'not-modified', url: current };
      }
      if (status < 200 || status >= 300) {
        await discard(response);
        throw new HttpGetError(`HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`);
      }
      const unknownCoding = (response.headers.get('content-encoding') ?? '')
        .split(',')
        .map((coding) => coding.trim().toLowerCase())
        .find((coding) => coding && !DECODED_CODINGS.has(coding));
      if (unknownCoding) {
        await discard(response);
        throw new HttpGetError(`unsupported Content-Encoding "${unknownCoding}"`);
      }
      const { bytes, truncated } = await readCapped(response, options.maxBytes);
      return { status: 'ok', url: current, bytes, headers: response.headers, truncated };
    }
  } catch (error) {
    if (error instanceof HttpGetError) throw error;
    throw new HttpGetError(describeFetchFailure(error, options.timeoutMs).text);
  }
}

/**
 * What went wrong with a `fetch`, in words: the time limit, or the system's error code and its
 * message (fetch wraps them as the `cause` of a bare "fetch failed"). `definite` says whether the
 * address itself is wrong (a host name that does not resolve) rather than the moment bad.
 */
export function describeFetchFailure(error: unknown, timeoutMs: number): { text: string; definite: boolean } {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return { text: `no complete answer within ${timeoutMs / 1000} s`, definite: false };
  }
  const code = err.cause?.code;
  const message = err.cause?.message ?? err.message ?? 'network error';
  if (code === 'ENOTFOUND') return { text: `the host name does not resolve (${message})`, definite: true };
  return { text: code && !message.startsWith(code) ? `${code}: ${message}` : message, definite: false };
}

/** Connection errors that mean a kept-alive connection was closed by the server as it was reused. */
const DROPPED_CONNECTION = new Set(['UND_ERR_SOCKET', 'ECONNRESET']);

/**
 * `fetch`, sent again once when the connection drops before any answer: a server may close an
 * idle keep-alive connection just as it is reused, and a GET is safe to repeat.
 */
async function sendOnce(fetch: typeof globalThis.fetch, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (!code || !DROPPED_CONNECTION.has(code) || init.signal?.aborted) throw error;
    return fetch(url, init);
  }
}

/** A body we do not want: cancelled, so its connection is freed at once. */
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}

/** At most `maxBytes` of the body; past the cap the stream is cancelled, so the rest is never downloaded. */
async function readCapped(response: Response, maxBytes: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (!response.body) return { bytes: new Uint8Array(0), truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: Buffer.concat(chunks, size), truncated: false };
    if (size + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      await reader.cancel().catch(() => {});
      return { bytes: Buffer.concat(chunks, maxBytes), truncated: true };
    }
    chunks.push(value);
    size += value.byteLength;
  }
}
