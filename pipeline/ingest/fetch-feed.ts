/**
 * One polite fetch of a feed through the run's HTTP client: the bounded GET of
 * lib/http-client.ts (time limit, byte cap, manual redirects, decoded codings) with conditional
 * GET — the ETag / Last-Modified of the previous answer go out as If-None-Match /
 * If-Modified-Since, and a 304 costs nothing but the round trip — and a User-Agent that says who
 * we are.
 */
import type { Dispatcher } from 'undici';
import { getWithLimits, headerValue, HttpGetError, type LimitedGetResult } from '../lib/http-client.ts';

export { HttpGetError as FeedFetchError } from '../lib/http-client.ts';

export interface FetchFeedOptions {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  etag?: string | undefined;
  lastModified?: string | undefined;
}

export type FetchFeedResult =
  | Extract<LimitedGetResult, { status: 'not-modified' }>
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

const ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';

export async function fetchFeed(http: Dispatcher, url: string, options: FetchFeedOptions): Promise<FetchFeedResult> {
  const validators: Record<string, string> = {};
  if (options.etag) validators['if-none-match'] = options.etag;
  if (options.lastModified) validators['if-modified-since'] = options.lastModified;
  const answer = await getWithLimits(http, url, {
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
    maxRedirects: options.maxRedirects,
    headers: { 'user-agent': options.userAgent, accept: ACCEPT },
    firstRequestHeaders: validators,
  });
  if (answer.status === 'not-modified') return answer;
  if (answer.status === 'http-error') throw new HttpGetError(`HTTP ${answer.statusCode}${answer.statusText ? ` ${answer.statusText}` : ''}`, 'http-status');
  return {
    status: 'ok',
    url: answer.url,
    bytes: answer.bytes,
    truncated: answer.truncated,
    contentType: headerValue(answer.headers, 'content-type'),
    etag: headerValue(answer.headers, 'etag'),
    lastModified: headerValue(answer.headers, 'last-modified'),
  };
}
