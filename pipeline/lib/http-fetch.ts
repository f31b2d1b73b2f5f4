import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { pipeline, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/**
 * The run's HTTP client: the WHATWG `fetch` signature, sent over `node:http` / `node:https` with
 * one keep-alive agent per scheme. Every stage reaches the network through it (as `context.fetch`),
 * and tests hand in the same signature.
 *
 * Why not the global `fetch`: it does the same exchange with several times the CPU (a feed run of
 * 200 requests spends more in it than in parsing the feeds), and a feed reader does nothing that
 * needs the rest of the Fetch standard (CORS, caches, credentials modes). What callers rely on is
 * kept as `fetch` does it:
 * - `redirect: 'manual'` answers a 3xx as it is; 'follow' (the default) follows at most 20
 *   redirects; 'error' refuses one,
 * - the `signal` aborts the request, or the body while it is read, with the signal's reason (a
 *   time limit surfaces as a TimeoutError),
 * - gzip, deflate and br bodies are decoded; other codings are left as they came, with their
 *   Content-Encoding header, for the caller to refuse,
 * - a transport failure rejects with `TypeError('fetch failed')` whose `cause` is the system
 *   error (its `code`: ECONNREFUSED, ECONNRESET, ENOTFOUND…), and a body cut short errors the
 *   stream the same way,
 * - `Accept-Encoding: gzip, deflate, br` and `Accept: *\/*` are sent unless the caller sets them.
 */
export const httpFetch: typeof fetch = async (input, init) => {
  const request = input instanceof Request ? input : undefined;
  const url = new URL(request?.url ?? String(input));
  const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
  const headers = new Headers(init?.headers ?? request?.headers);
  if (!headers.has('accept-encoding')) headers.set('accept-encoding', 'gzip, deflate, br');
  if (!headers.has('accept')) headers.set('accept', '*/*');
  const redirect = init?.redirect ?? request?.redirect ?? 'follow';
  const signal = init?.signal ?? request?.signal ?? undefined;
  if (init?.body !== undefined && init.body !== null) throw new TypeError('httpFetch sends no request bodies');
  return send(url, method, Object.fromEntries(headers), redirect, signal, MAX_FOLLOWED_REDIRECTS);
};

/** What the Fetch standard allows before it gives up following. */
const MAX_FOLLOWED_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Statuses whose answer has no body, whatever the server sends. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

function send(url: URL, method: string, headers: Record<string, string>, redirect: RequestRedirect, signal: AbortSignal | undefined, redirectsLeft: number): Promise<Response> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(failed(new Error(`${url.protocol} is not an http(s) scheme`)));
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<Response>((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const outgoing = (secure ? httpsRequest : httpRequest)(url, { method, headers, agent: secure ? agents.https : agents.http });
    const onAbort = () => {
      outgoing.destroy(signal!.reason as Error);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    outgoing.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(failed(error));
    });
    outgoing.on('response', (incoming) => {
      signal?.removeEventListener('abort', onAbort);
      const status = incoming.statusCode ?? 0;
      const location = incoming.headers.location;
      if (REDIRECTS.has(status) && location !== undefined && redirect !== 'manual') {
        incoming.resume();
        if (redirect === 'error') return reject(failed(new Error(`redirected (HTTP ${status}) where no redirect was allowed`)));
        if (redirectsLeft === 0) return reject(failed(new Error('too many redirects')));
        let next: URL;
        try {
          next = new URL(location, url);
        } catch (error) {
          return reject(failed(error as Error));
        }
        const nextMethod = status === 303 && method !== 'HEAD' ? 'GET' : method;
        // Credentials meant for one site are not handed to the next.
        const nextHeaders = next.origin === url.origin ? headers : Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'authorization' && name !== 'cookie'));
        return resolve(send(next, nextMethod, nextHeaders, redirect, signal, redirectsLeft - 1));
      }
      try {
        resolve(toResponse(url, incoming, method, signal));
      } catch (error) {
        incoming.destroy();
        reject(failed(error as Error));
      }
    });
    outgoing.end();
  });
}

function toResponse(url: URL, incoming: IncomingMessage, method: string, signal: AbortSignal | undefined): Response {
  const status = incoming.statusCode ?? 0;
  if (status < 200 || status > 599) throw new Error(`invalid HTTP status ${status}`);
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) headers.append(raw[index]!, raw[index + 1]!);
  const init = { status, statusText: incoming.statusMessage ?? '', headers };
  let response: Response;
  if (method === 'HEAD' || NULL_BODY.has(status)) {
    incoming.resume();
    response = new Response(null, init);
  } else {
    response = new Response(bodyStream(decoded(incoming), signal), init);
  }
  // As fetch says where the answer came from after redirects (a constructed Response has no URL).
  Object.defineProperty(response, 'url', { value: url.href });
  return response;
}

/** The body with its Content-Encoding undone, when it is one `fetch` undoes too; otherwise as it came. */
function decoded(incoming: IncomingMessage): Readable {
  const codings = (incoming.headers['content-encoding'] ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  const decoders = codings.reverse().map((coding) => {
    if (coding === 'gzip' || coding === 'x-gzip') return createGunzip();
    if (coding === 'deflate') return createInflate();
    if (coding === 'br') return createBrotliDecompress();
    return undefined;
  });
  if (decoders.length === 0 || decoders.some((decoder) => decoder === undefined)) return incoming;
  // A broken stream anywhere destroys the others, so the last one reports it.
  let last: Readable = incoming;
  for (const decoder of decoders as Transform[]) last = pipeline(last, decoder, () => {});
  return last;
}

/**
 * A Node stream as a web ReadableStream, read as the consumer asks (the byte cap above stops
 * reading, and cancelling frees the connection). A stream that ends before the server said it
 * would, or an abort, errors the web stream.
 */
function bodyStream(source: Readable, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  const onAbort = () => source.destroy(signal!.reason as Error);
  // Once the stream is closed, errored or cancelled, nothing more goes to its controller.
  let settled = false;
  const settle = () => {
    settled = true;
    signal?.removeEventListener('abort', onAbort);
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      source.pause();
      source.on('data', (chunk: Buffer) => {
        if (settled) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) source.pause();
      });
      source.on('end', () => {
        if (settled) return;
        settle();
        controller.close();
      });
      source.on('error', (error) => {
        if (settled) return;
        settle();
        controller.error(signal?.aborted ? signal.reason : failed(error));
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    },
    pull() {
      source.resume();
    },
    cancel() {
      settle();
      source.destroy();
    },
  });
}

/** A transport failure as `fetch` reports one: a TypeError whose cause is what went wrong. */
function failed(cause: Error): TypeError {
  return new TypeError('fetch failed', { cause });
}
