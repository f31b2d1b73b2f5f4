import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { DraftError } from './draft-error.ts';
import type { Scrub } from './scrub-secrets.ts';
import { truncate } from './truncate.ts';

/** Turning the SDK's transport errors into short, human reasons. */

export interface TransportSettings {
  baseURL?: string | undefined;
  model: string;
  timeoutMs: number;
  maxRetries: number;
}

export function isBadRequest(error: unknown): boolean {
  return error instanceof APIError && error.status === 400;
}

/**
 * A short, human reason for a failed request. The SDK's own error is not attached as `cause`:
 * it carries server-supplied text and headers, which could echo credentials back to us.
 */
export function transportError(error: unknown, settings: TransportSettings, scrub: Scrub): DraftError {
  if (error instanceof DraftError) return error;
  const attempts = `${settings.maxRetries + 1} attempt${settings.maxRetries ? 's' : ''}`;
  let reason: string;
  if (error instanceof APIUserAbortError) reason = 'the request was cancelled';
  else if (error instanceof APIConnectionTimeoutError) reason = `timed out after ${settings.timeoutMs} ms (${attempts})`;
  else if (error instanceof APIConnectionError) reason = `could not connect to ${serverName(settings.baseURL)} (${attempts})`;
  else if (error instanceof APIError) reason = statusReason(error, settings, attempts);
  else reason = `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  return new DraftError('NP4001', scrub(reason), { lasting: isLasting(error) });
}

/**
 * A refused connection, a name that does not resolve, a rejected key or a forbidden model: asking
 * again for the next topic would fail the same way (and pay its retries again). A timeout, a 429
 * or a 5xx may pass.
 */
function isLasting(error: unknown): boolean {
  if (error instanceof APIError && (error.status === 401 || error.status === 403)) return true;
  if (!(error instanceof APIConnectionError) || error instanceof APIConnectionTimeoutError) return false;
  const code = (causeChain(error).find((cause) => typeof (cause as { code?: unknown }).code === 'string') as { code?: string } | undefined)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH';
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let cause: unknown = error; cause instanceof Error && chain.length < 8; cause = cause.cause) chain.push(cause);
  return chain;
}

function statusReason(error: APIError, settings: TransportSettings, attempts: string): string {
  const status = error.status ?? 0;
  const detail = serverDetail(error);
  const request = error.requestID ? `, request ${error.requestID}` : '';
  let label: string;
  if (status === 401) label = 'the API key was rejected';
  else if (status === 403) label = 'permission denied';
  else if (status === 404) label = `model "${settings.model}" or the endpoint was not found`;
  else if (status === 429) label = `rate limited after ${attempts}`;
  else if (status >= 500) label = `server error after ${attempts}`;
  else label = 'request rejected';
  return `${label} (HTTP ${status}${request})${detail ? `: ${detail}` : ''}`;
}

function serverDetail(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  const text = typeof body?.message === 'string' ? body.message : error.message.replace(/^\d{3}\s*/, '');
  return truncate(text.replace(/\s+/g, ' ').trim(), 160);
}

/** Host only: a base URL may carry credentials in its user-info or query. */
function serverName(baseURL: string | undefined): string {
  if (!baseURL) return 'the OpenAI API';
  try {
    return new URL(baseURL).host;
  } catch {
    return 'the configured server';
  }
}
