import { createRequire } from 'node:module';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw, type ZlibOptions } from 'node:zlib';
import type { Dispatcher } from 'undici';

/**
 * The one HTTP client of a run, and the bounded GET that feeds and source pages go through.
 *
 * The client is an undici `Dispatcher` (an `Agent` in the CLI, one pool of kept-alive connections
 * per origin; tests hand in their own, routed to loopback servers). Requests go through its
 * `request` API rather than `fetch`: no Request/Response/Headers objects and no web streams, so a
 * feed costs the main thread far less, and everything here needs only a status, a few headers and
 * the body's bytes.
 *
 * `getWithLimits` guarantees, whatever the server does:
 * - a time limit for the whole exchange, redirects and body included,
 * - a byte cap on the decoded body: it is read as a stream and cut off at the cap, so a body that
 *   never ends, or a small compressed bomb, cannot fill memory,
 * - redirects followed by hand: at most `maxRedirects`, loops detected, http(s) only, the caller's
 *   validators sent to the first address only, and each address offered to the caller's check
 *   before it is requested,
 * - a request on a connection the server dropped as it was reused is sent again, once,
 * - gzip, deflate and br bodies decoded; any other Content-Encoding is an error rather than bytes
 *   that would only fail later as garbage.
 *
 * Anything that needs only a status (link checks) calls `request` on the client itself and
 * shares `describeHttpFailure`.
 */

/**
 * The CLI's client. Kept-alive connections are what make a feed list cheap: most publishers serve
 * several feeds, fetched one after another from the same host.
 *
 * undici is loaded when the first client is made, not when this module is: most commands never
 * touch the network, and loading it adds ~50 ms to every start (`validate` 220 → 285 ms).
 */
export function createHttpClient(): Dispatcher {
  const { Agent } = createRequire(import.meta.url)('undici') as typeof import('undici');
  return new Agent({ keepAliveTimeout: 10_000 });
}

/** Response headers as the client gives them: lower-case names, repeated ones as arrays. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** One header's value; repeated lines joined as HTTP allows. */
export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

export interface LimitedGetOptions {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  /** Sent with every request. */
  headers: Record<string, string>;
  /** Sent with the first request only (If-None-Match, If-Modified-Since belong to that address). */
  firstRequestHeaders?: Record<string, string> | undefined;
  /** The run's stop signal: a stopped run abandons the GET. */
  signal?: AbortSignal | undefined;
  /**
   * Asked before each address is requested, the first one included; it refuses an address by
   * throwing, and its error reaches the caller as it was thrown (research: internal addresses,
   * robots.txt).
   */
  checkAddress?: ((url: URL) => Promise<void>) | undefined;
  /** Runs each request with its body read (research holds a per-host slot for it). */
  exchange?: (<T>(url: URL, send: () => Promise<T>) => Promise<T>) | undefined;
  /** Read the body of a 4xx/5xx answer too (research tells a bot challenge by it); otherwise it is discarded. */
  readErrorBodies?: boolean | undefined;
}

interface Body {
  /** The address the body came from, after redirects (relative links resolve against it). */
  url: string;
  statusCode: number;
  statusText: string;
  headers: ResponseHeaders;
  /** The decoded body, at most `maxBytes`; empty for an error answer unless `readErrorBodies`. */
  bytes: Uint8Array;
  /** The body was cut off at the byte cap. */
  truncated: boolean;
}

export type LimitedGetResult = { status: 'not-modified'; url: string } | ({ status: 'ok' } & Body) | ({ status: 'http-error' } & Body);

/** Why a bounded GET gave up: `kind` for callers that sort failures, the message for a finding. */
export type HttpGetFailure = 'timeout' | 'too-many-redirects' | 'redirect-loop' | 'bad-redirect' | 'bad-encoding' | 'http-status' | 'network';

export class HttpGetError extends Error {
  readonly kind: HttpGetFailure;
  /** `cause` is the client's own error, when there was one (a refusal of the caller's dispatcher among them). */
  constructor(message: string, kind: HttpGetFailure, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'HttpGetError';
    this.kind = kind;
  }
}

/** Advertised on every request: the codings `decodersFor` undoes. */
const ACCEPT_ENCODING = 'gzip, deflate, br';

export async function getWithLimits(http: Dispatcher, url: string, options: LimitedGetOptions): Promise<LimitedGetResult> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const exchange = options.exchange ?? ((_url, send) => send());
  const seen = new Set<string>();
  if (!URL.canParse(url)) throw new HttpGetError(`not a URL: ${url.slice(0, 120)}`, 'network');
  let current = new URL(url);
  if (current.protocol !== 'http:' && current.protocol !== 'https:') throw new HttpGetError(`${current.protocol} addresses are not fetched`, 'network');
  for (let hop = 0; ; hop++) {
    seen.add(current.href);
    await options.checkAddress?.(current);
    const headers = { 'accept-encoding': ACCEPT_ENCODING, ...options.headers, ...(hop === 0 ? options.firstRequestHeaders : {}) };
    let step: Step;
    try {
      const target = current;
      step = await exchange(target, () => requestOnce(http, target, headers, signal, options));
    } catch (error) {
      if (error instanceof HttpGetError) throw error;
      if (deadline.aborted) throw new HttpGetError(`no complete answer within ${options.timeoutMs / 1000} s`, 'timeout');
      if (options.signal?.aborted) throw new HttpGetError('the run was stopped', 'network');
      const failure = describeHttpFailure(error, options.timeoutMs);
      throw new HttpGetError(failure.text, failure.timedOut ? 'timeout' : 'network', { cause: error });
    }
    if (step.kind === 'not-modified') return { status: 'not-modified', url: current.href };
    if (step.kind === 'answer') {
      const { statusCode } = step.body;
      return { status: statusCode >= 200 && statusCode < 300 ? 'ok' : 'http-error', ...step.body, url: current.href };
    }
    const { location, statusCode } = step;
    if (!location) throw new HttpGetError(`HTTP ${statusCode} without a Location header`, 'bad-redirect');
    if (!URL.canParse(location, current)) throw new HttpGetError(`redirected to an invalid address (${location.slice(0, 60)})`, 'bad-redirect');
    const next = new URL(location, current);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new HttpGetError(`redirected to a non-http(s) address (${next.href.slice(0, 60)})`, 'bad-redirect');
    if (seen.has(next.href)) throw new HttpGetError(`redirect loop (${next.href} was already visited)`, 'redirect-loop');
    if (hop + 1 > options.maxRedirects) throw new HttpGetError(`more than ${options.maxRedirects} redirects`, 'too-many-redirects');
    current = next;
  }
}

type Step =
  | { kind: 'redirect'; statusCode: number; location: string | undefined }
  | { kind: 'not-modified' }
  | { kind: 'answer'; body: Omit<Body, 'url'> };

/** One request and, unless it redirects or is a discarded error, its body read within the cap. */
async function requestOnce(
  http: Dispatcher,
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
  options: LimitedGetOptions,
): Promise<Step> {
  const response = await sendOnce(http, { origin: url.origin, path: `${url.pathname}${url.search}`, method: 'GET', headers, signal });
  const { statusCode, statusText, body } = response;
  const responseHeaders = response.headers as ResponseHeaders;
  if (statusCode >= 300 && statusCode < 400 && statusCode !== 304) {
    await discard(body);
    return { kind: 'redirect', statusCode, location: headerValue(responseHeaders, 'location') };
  }
  if (statusCode === 304) {
    await discard(body);
    return { kind: 'not-modified' };
  }
  const answer = { statusCode, statusText, headers: responseHeaders };
  if ((statusCode < 200 || statusCode >= 300) && !options.readErrorBodies) {
    await discard(body);
    return { kind: 'answer', body: { ...answer, bytes: new Uint8Array(0), truncated: false } };
  }
  const decoders = decodersFor(headerValue(responseHeaders, 'content-encoding'));
  if (typeof decoders === 'string') {
    await discard(body);
    throw new HttpGetError(`unsupported Content-Encoding "${decoders}"`, 'bad-encoding');
  }
  return { kind: 'answer', body: { ...answer, ...(await readCapped(body, decoders, options.maxBytes)) } };
}

/**
 * The decoders for a Content-Encoding (codings are applied in order, so they are undone in
 * reverse), or the first coding we cannot undo. zlib flushes what it has at the end of a cut-off
 * stream instead of failing, as browsers do with a truncated compressed page.
 */
function decodersFor(contentEncoding: string | undefined): NodeJS.ReadWriteStream[] | string {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding && coding !== 'identity');
  const decoders: NodeJS.ReadWriteStream[] = [];
  const lenient = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };
  for (const coding of codings.reverse()) {
    if (coding === 'gzip' || coding === 'x-gzip') decoders.push(createGunzip(lenient));
    else if (coding === 'deflate') decoders.push(new InflateEither(lenient));
    else if (coding === 'br') decoders.push(createBrotliDecompress());
    else return coding;
  }
  return decoders;
}

/**
 * "deflate" as servers send it: zlib-wrapped, as HTTP says, or raw, as some old servers do (and
 * browsers accept). A zlib stream's first byte names the deflate method in its low four bits (8),
 * so the decoder is chosen when the first bytes arrive.
 */
class InflateEither extends Transform {
  private inflate: Transform | undefined;
  private readonly options: ZlibOptions;

  constructor(options: ZlibOptions) {
    super();
    this.options = options;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (chunk.length === 0) return done();
    if (!this.inflate) {
      this.inflate = (chunk[0]! & 0x0f) === 0x08 ? createInflate(this.options) : createInflateRaw(this.options);
      this.inflate.on('data', (data: Buffer) => this.push(data));
      this.inflate.on('error', (error) => this.destroy(error));
    }
    this.inflate.write(chunk, () => done());
  }

  override _flush(done: TransformCallback): void {
    if (!this.inflate) return done();
    this.inflate.once('end', () => done());
    this.inflate.end();
  }
}

/** Connection errors that mean a kept-alive connection was closed by the server as it was reused. */
const DROPPED_CONNECTION = new Set(['UND_ERR_SOCKET', 'ECONNRESET']);

/**
 * `request`, sent again once when the connection drops before any answer: a server may close an
 * idle keep-alive connection just as it is reused, and a GET is safe to repeat.
 */
async function sendOnce(http: Dispatcher, request: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
  try {
    return await http.request(request);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (!code || !DROPPED_CONNECTION.has(code) || (request.signal as AbortSignal | undefined)?.aborted) throw error;
    return http.request(request);
  }
}

/**
 * A body we do not want: read to its end if it is short, so its connection can serve the next
 * request; a longer one is dropped with its connection.
 */
export async function discard(body: Readable & { dump(options?: { limit?: number }): Promise<void> }): Promise<void> {
  await body.dump({ limit: 16 * 1024 }).catch(() => {});
}

/** At most `maxBytes` of the decoded body; past the cap the stream is destroyed, so the rest is never downloaded. */
async function readCapped(body: Readable, decoders: NodeJS.ReadWriteStream[], maxBytes: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  // The chain's end is the last decoder, a zlib Transform: readable, and told of any error upstream.
  const decoded: AsyncIterable<Buffer> = decoders.length === 0 ? body : (pipeline([body, ...decoders], () => {}) as unknown as Readable);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of decoded) {
      if (size + chunk.byteLength > maxBytes) {
        chunks.push(chunk.subarray(0, maxBytes - size));
        return { bytes: Buffer.concat(chunks, maxBytes), truncated: true };
      }
      chunks.push(chunk);
      size += chunk.byteLength;
    }
    return { bytes: Buffer.concat(chunks, size), truncated: false };
  } finally {
    // Leaving early (the cap, an error) must not leave the socket streaming into nowhere; the
    // abort error the body then reports concerns nobody.
    if (!body.readableEnded) body.on('error', () => {}).destroy();
  }
}

/**
 * What went wrong with a request, in words: a time limit, or the system's or the client's error
 * code and its message. `definite` says whether the address itself is wrong (a host name that
 * does not resolve) rather than the moment bad; `timedOut` whether a time limit ran out.
 */
export function describeHttpFailure(error: unknown, timeoutMs: number): { text: string; definite: boolean; timedOut: boolean } {
  const err = (error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error) as {
    name?: string;
    code?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return { text: `no complete answer within ${timeoutMs / 1000} s`, definite: false, timedOut: true };
  }
  const code = err.code ?? err.cause?.code;
  const message = (err.code ? err.message : (err.cause?.message ?? err.message)) || 'network error';
  if (code === 'ENOTFOUND') return { text: `the host name does not resolve (${message})`, definite: true, timedOut: false };
  const timedOut = code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT';
  return { text: code && !message.startsWith(code) ? `${code}: ${message}` : message, definite: false, timedOut };
}
