/**
 * A bare HTTP(S) GET on node:http / node:https, for feed fetching.
 *
 * Why not the global `fetch`: measured on this project's 2-core machines (200 GETs of 28 KB over
 * loopback in a fresh process), undici's first load and its per-request machinery (WHATWG
 * streams, Headers, Response) cost ~300 ms of CPU where node:http with keep-alive costs ~110 ms;
 * rss-parser needs ~300 ms to parse 200 such feeds, so fetch alone nearly doubled ingest's bill.
 * Feed fetching needs none of what fetch adds.
 */
import type { Agent as HttpAgent, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createBrotliDecompress, createUnzip } from 'node:zlib';

// Taken with getBuiltinModule rather than an ESM import: importing node:http as an ES module
// evaluates each of its lazy exports (WebSocket and friends), which loads undici — ~40 ms of CPU
// for nothing. node:https (TLS, ~30 ms) is only loaded when an https:// address comes up.
const http = process.getBuiltinModule('node:http');
let https: typeof import('node:https') | undefined;
const httpsModule = () => (https ??= process.getBuiltinModule('node:https'));

/**
 * Keep-alive connections for one run, one agent per origin. Reusing a connection saves a TCP
 * (and TLS) handshake per feed when a publisher has several feeds. `destroy()` closes them all:
 * call it when the run is over, or idle sockets would keep the process alive until the server
 * drops them.
 */
export class HttpAgents {
  readonly #agents = new Map<string, HttpAgent>();
  readonly #maxSocketsPerOrigin: number;

  /** `maxSocketsPerOrigin`: connections opened at once to one origin; more requests wait their turn. */
  constructor(maxSocketsPerOrigin: number) {
    if (!Number.isInteger(maxSocketsPerOrigin) || maxSocketsPerOrigin < 1) {
      throw new TypeError(`maxSocketsPerOrigin must be a positive integer, got ${maxSocketsPerOrigin}`);
    }
    this.#maxSocketsPerOrigin = maxSocketsPerOrigin;
  }

  agentFor(url: URL): HttpAgent {
    const key = `${url.protocol}//${url.host}`;
    let agent = this.#agents.get(key);
    if (!agent) {
      const settings = { keepAlive: true, maxSockets: this.#maxSocketsPerOrigin, scheduling: 'lifo' as const };
      agent = url.protocol === 'https:' ? new (httpsModule().Agent)(settings) : new http.Agent(settings);
      this.#agents.set(key, agent);
    }
    return agent;
  }

  destroy(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }
}

/**
 * The time limit of one exchange, redirects and body included. When it runs out, what is in
 * flight — a request, or the body being read — is destroyed through the callback given to
 * `whenExpired`. A plain timer rather than AbortSignal.timeout: no EventTarget and no abort
 * listener per request — bookkeeping that cost ~10 ms of CPU in a cold 200-feed run.
 */
export class Deadline {
  #expired = false;
  #onExpiry: ((error: Error) => void) | undefined;
  readonly #timer: NodeJS.Timeout;

  constructor(ms: number) {
    this.#timer = setTimeout(() => {
      this.#expired = true;
      const onExpiry = this.#onExpiry;
      this.#onExpiry = undefined;
      onExpiry?.(new Error('the time limit ran out'));
    }, ms);
    // Like AbortSignal.timeout: the limit alone does not keep the process alive.
    this.#timer.unref();
  }

  get expired(): boolean {
    return this.#expired;
  }

  /** What to destroy when the time runs out, in place of what was given before; at once when it has run out. */
  whenExpired(onExpiry: (error: Error) => void): void {
    if (this.#expired) onExpiry(new Error('the time limit had already run out'));
    else this.#onExpiry = onExpiry;
  }

  /** The exchange is over: stop the timer. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#onExpiry = undefined;
  }
}

export interface HttpGetOptions {
  headers: OutgoingHttpHeaders;
  /** Destroys the request when it runs out; the caller hands it on to whatever reads the body. */
  deadline: Deadline;
  /** Keep-alive agents; without them the connection is closed after the answer. */
  agents?: HttpAgents | undefined;
}

/**
 * Resolves with the response once its status line and headers are in; the body is the caller's
 * to read or discard (`response.resume()` lets a keep-alive connection be reused).
 */
export function httpGet(url: URL, options: HttpGetOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = (retry: boolean) => {
      let responded = false;
      const request = (url.protocol === 'https:' ? httpsModule().request : http.request)(url, {
        method: 'GET',
        headers: options.headers,
        // `false`: a one-off agent that asks the server to close the connection.
        agent: options.agents?.agentFor(url) ?? false,
      });
      request.once('response', (response: IncomingMessage) => {
        responded = true;
        resolve(response);
      });
      // Kept for the request's whole life: an error after the answer (the time limit destroying
      // it) must not go unhandled; the body's reader learns of it from the response.
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (responded) return;
        // A server may close an idle keep-alive connection just as we reuse it; a GET is safe to
        // send again, once, on a fresh connection (the pattern Node's http docs recommend).
        if (retry && request.reusedSocket && error.code === 'ECONNRESET' && !options.deadline.expired) attempt(false);
        else reject(error);
      });
      // Until the body's reader takes the deadline over, running out destroys the request (and
      // its socket, so a response already in is cut off too).
      options.deadline.whenExpired((error) => request.destroy(error));
      request.end();
    };
    // http.request throws at once on a malformed header value (say, a stored ETag).
    const attempt = (retry: boolean) => {
      try {
        send(retry);
      } catch (error) {
        reject(error);
      }
    };
    attempt(true);
  });
}

/**
 * The body as sent before the Content-Encoding was applied. Unknown codings are an error rather
 * than bytes that would only fail later as a malformed feed.
 */
export function decodedBody(response: IncomingMessage): Readable {
  const codings = (response.headers['content-encoding'] ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding && coding !== 'identity');
  if (codings.length === 0) return response;
  // Codings are listed in the order they were applied, so they are undone from the last.
  const decoders = codings.reverse().map((coding) => {
    // createUnzip reads both the gzip and the zlib ("deflate") header.
    if (coding === 'gzip' || coding === 'x-gzip' || coding === 'deflate') return createUnzip();
    if (coding === 'br') return createBrotliDecompress();
    throw new UnsupportedEncodingError(coding);
  });
  // pipeline destroys every stage when one fails, so a reset connection surfaces on the last
  // (its error is read there, not in this callback).
  pipeline([response, ...decoders], () => {});
  return decoders.at(-1)!;
}

export class UnsupportedEncodingError extends Error {
  readonly coding: string;
  constructor(coding: string) {
    super(`unsupported Content-Encoding "${coding}"`);
    this.coding = coding;
    this.name = 'UnsupportedEncodingError';
  }
}
