import { refusedAddress, type ResolveHost } from './address-guard.ts';
import type { HostSlots } from './host-slots.ts';

/**
 * One page over HTTP, politely and defensively: through the run's one HTTP client (the context's
 * fetch), with an honest User-Agent, at most `perHost` requests in flight to a host, one time limit
 * for the whole page (every hop and the body), a byte cap, and redirects followed by hand (at most
 * five) so that each hop's address and robots.txt are checked before it is requested.
 */

export interface PageFetcher {
  fetch: typeof fetch;
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
  /** Lifts the internal-address refusal: for tests against local servers only. */
  allowPrivateHosts: boolean;
  slots: HostSlots;
  resolveHost?: ResolveHost | undefined;
  signal?: AbortSignal | undefined;
}

/** Why a page was not read; the item falls back to its feed text and the report names the reason. */
export type UnreadReason =
  | 'internal-address'
  | 'robots-disallowed'
  | 'blocked'
  | 'bot-challenge'
  | 'http-error'
  | 'too-large'
  | 'timeout'
  | 'not-html'
  | 'too-many-redirects'
  | 'network-error'
  | 'paywall'
  | 'no-article-text';

export type FetchOutcome =
  | { ok: true; url: string; status: number; contentType: string | null; body: Uint8Array }
  | { ok: false; reason: UnreadReason; detail: string; status?: number; body?: Uint8Array; contentType?: string | null };

export const MAX_REDIRECTS = 5;

/**
 * Fetches `url`, following redirects by hand. `allowed` is asked for every hop before it is
 * requested (robots.txt); it answers with a refusal detail or undefined.
 */
export async function fetchPage(
  url: string,
  fetcher: PageFetcher,
  allowed: (hop: URL) => Promise<string | undefined> = async () => undefined,
): Promise<FetchOutcome> {
  const deadline = AbortSignal.timeout(fetcher.timeoutMs);
  const signal = fetcher.signal ? AbortSignal.any([deadline, fetcher.signal]) : deadline;
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let target: URL;
    try {
      target = new URL(current);
    } catch {
      return { ok: false, reason: 'network-error', detail: `not a URL: ${current.slice(0, 120)}` };
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      return { ok: false, reason: 'network-error', detail: `${target.protocol} links are not fetched` };
    }
    if (!fetcher.allowPrivateHosts) {
      const refused = await refusedAddress(target, fetcher.resolveHost);
      if (refused?.internal) return { ok: false, reason: 'internal-address', detail: `refused ${target.host}: ${refused.detail}` };
      if (refused) return { ok: false, reason: 'network-error', detail: refused.detail };
    }
    const disallowed = await allowed(target);
    if (disallowed) return { ok: false, reason: 'robots-disallowed', detail: disallowed };

    let step: Step;
    try {
      step = await fetcher.slots.run(target.host, () => requestOnce(target, fetcher, signal));
    } catch (error) {
      if (deadline.aborted) return { ok: false, reason: 'timeout', detail: `no complete answer within ${fetcher.timeoutMs} ms` };
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { ok: false, reason: 'network-error', detail: cause ?? (error instanceof Error ? error.message : String(error)) };
    }
    if (step.kind === 'redirect') {
      current = new URL(step.location, target).href;
      continue;
    }
    if (step.kind === 'too-large') return { ok: false, reason: 'too-large', detail: `larger than ${fetcher.maxBytes} bytes`, status: step.status };
    const { status, contentType, body } = step;
    if (status < 200 || status > 299) {
      // Bot walls answer 403, 429 or 503; the body tells a challenge page from a plain error.
      const reason: UnreadReason = status === 403 || status === 429 || status === 503 ? 'blocked' : 'http-error';
      return { ok: false, reason, detail: `HTTP ${status}`, status, body, contentType };
    }
    return { ok: true, url: target.href, status, contentType, body };
  }
  return { ok: false, reason: 'too-many-redirects', detail: `more than ${MAX_REDIRECTS} redirects` };
}

type Step =
  | { kind: 'redirect'; location: string }
  | { kind: 'too-large'; status: number }
  | { kind: 'body'; status: number; contentType: string | null; body: Uint8Array };

async function requestOnce(target: URL, fetcher: PageFetcher, signal: AbortSignal): Promise<Step> {
  const response = await fetcher.fetch(target.href, {
    redirect: 'manual',
    signal,
    headers: { 'user-agent': fetcher.userAgent, accept: 'text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5,*/*;q=0.1' },
  });
  const location = response.headers.get('location');
  if (response.status >= 300 && response.status < 400 && location) {
    await response.body?.cancel();
    return { kind: 'redirect', location };
  }
  const declared = Number(response.headers.get('content-length'));
  if (declared > fetcher.maxBytes) {
    await response.body?.cancel();
    return { kind: 'too-large', status: response.status };
  }
  const body = await readCapped(response, fetcher.maxBytes);
  if (!body) return { kind: 'too-large', status: response.status };
  return { kind: 'body', status: response.status, contentType: response.headers.get('content-type'), body };
}

/** The body, or undefined as soon as it passes `maxBytes` (the rest is never downloaded). */
async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
