import type { Dispatcher } from 'undici';
import { getWithLimits, headerValue, HttpGetError } from '../lib/http-client.ts';
import { AddressRefused, refusedAddress, type ResolveHost } from './address-guard.ts';
import type { HostSlots } from './host-slots.ts';

/**
 * One page over HTTP, politely and defensively: the run's bounded GET (lib/http-client.ts: one
 * time limit for the whole page, every hop and the body; a byte cap; redirects followed by hand,
 * at most five) with an honest User-Agent, at most `perHost` requests in flight to a host, and
 * each hop's address and robots.txt checked before it is requested.
 */

export interface PageFetcher {
  /**
   * The run's HTTP client; unless private hosts are allowed, with `connectToPublicAddressesOnly`
   * composed in, so the internal-address check also holds where the connection is made.
   */
  http: Dispatcher;
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

/** A hop refused before it was requested: the reason the page goes unread. */
class HopRefused extends Error {
  readonly reason: UnreadReason;
  readonly detail: string;
  constructor(reason: UnreadReason, detail: string) {
    super(detail);
    this.reason = reason;
    this.detail = detail;
  }
}

const ACCEPT = 'text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5,*/*;q=0.1';

/**
 * Fetches `url`, following redirects by hand. `allowed` is asked for every hop before it is
 * requested (robots.txt); it answers with a refusal detail or undefined.
 */
export async function fetchPage(
  url: string,
  fetcher: PageFetcher,
  allowed: (hop: URL) => Promise<string | undefined> = async () => undefined,
): Promise<FetchOutcome> {
  async function checkAddress(target: URL): Promise<void> {
    if (!fetcher.allowPrivateHosts) {
      const refused = await refusedAddress(target, fetcher.resolveHost);
      if (refused?.internal) throw new HopRefused('internal-address', `refused ${target.host}: ${refused.detail}`);
      if (refused) throw new HopRefused('network-error', refused.detail);
    }
    const disallowed = await allowed(target);
    if (disallowed) throw new HopRefused('robots-disallowed', disallowed);
  }

  let answer;
  try {
    answer = await getWithLimits(fetcher.http, url, {
      timeoutMs: fetcher.timeoutMs,
      maxBytes: fetcher.maxBytes,
      maxRedirects: MAX_REDIRECTS,
      headers: { 'user-agent': fetcher.userAgent, accept: ACCEPT },
      signal: fetcher.signal,
      checkAddress,
      exchange: (target, send) => fetcher.slots.run(target.host, send),
      readErrorBodies: true,
    });
  } catch (error) {
    if (error instanceof HopRefused) return { ok: false, reason: error.reason, detail: error.detail };
    if (!(error instanceof HttpGetError)) throw error;
    // Refused by the client as it connected: the name now resolves inside (it did not a moment ago).
    if (error.cause instanceof AddressRefused) {
      const { host, refusal } = error.cause;
      if (refusal.internal) return { ok: false, reason: 'internal-address', detail: `refused ${host}: ${refusal.detail}` };
      return { ok: false, reason: 'network-error', detail: refusal.detail };
    }
    const reason: UnreadReason =
      error.kind === 'timeout' ? 'timeout' : error.kind === 'too-many-redirects' || error.kind === 'redirect-loop' ? 'too-many-redirects' : 'network-error';
    return { ok: false, reason, detail: error.message };
  }
  // Pages are never asked conditionally: a 304 can only be a server's mistake.
  if (answer.status === 'not-modified') return { ok: false, reason: 'http-error', detail: 'HTTP 304' };
  const { statusCode: status, bytes: body, truncated } = answer;
  if (truncated) return { ok: false, reason: 'too-large', detail: `larger than ${fetcher.maxBytes} bytes`, status };
  const contentType = headerValue(answer.headers, 'content-type') ?? null;
  if (answer.status === 'http-error') {
    // Bot walls answer 403, 429 or 503; the body tells a challenge page from a plain error.
    const reason: UnreadReason = status === 403 || status === 429 || status === 503 ? 'blocked' : 'http-error';
    return { ok: false, reason, detail: `HTTP ${status}`, status, body, contentType };
  }
  return { ok: true, url: answer.url, status, contentType, body };
}
