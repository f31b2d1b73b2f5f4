import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import type { Dispatcher } from 'undici';

/**
 * Feed links are untrusted: a page URL, or any hop it redirects to, must not reach the machine
 * running nichepress or its network (loopback, private, link-local, carrier-grade NAT, unique-local,
 * multicast, reserved…). The host name is resolved and every address it resolves to must be
 * public unicast, so a public-looking name that points inside is refused too.
 *
 * The check is made twice, for two reasons. `refusedAddress` runs before a hop is requested, so
 * the page is refused with a clear reason before anything else (robots.txt) is asked of its host.
 * `connectToPublicAddressesOnly` runs in the HTTP client as the request is sent: it resolves the
 * name again, checks those addresses, and sends the request to one of them, so the address checked
 * is the address connected to and a name that changes its answer between two lookups (DNS
 * rebinding) cannot lead the connection inside.
 */

export type ResolveHost = (hostname: string) => Promise<string[]>;

export const resolveHost: ResolveHost = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

export interface Refusal {
  /** True for an internal address; false when the name does not resolve at all. */
  internal: boolean;
  detail: string;
}

/** Why the URL may not be fetched, or undefined when every address it resolves to is public. */
export async function refusedAddress(url: URL, resolve: ResolveHost = resolveHost): Promise<Refusal | undefined> {
  const checked = await publicAddresses(url.hostname, resolve);
  return 'refusal' in checked ? checked.refusal : undefined;
}

/** A request the client refused to send: its host is, or resolves to, an address it must not reach. */
export class AddressRefused extends Error {
  /** The host as the request named it (with its port, if any). */
  readonly host: string;
  readonly refusal: Refusal;
  constructor(host: string, refusal: Refusal) {
    super(refusal.detail);
    this.name = 'AddressRefused';
    this.host = host;
    this.refusal = refusal;
  }
}

/**
 * An interceptor for the run's HTTP client (`http.compose(...)`: the same connections, this rule
 * added) that sends each request to a checked public address of its host: the Host header and the
 * TLS server name stay the name's, so the site and its certificate are the ones asked for. A host
 * that is, or resolves to, an internal address fails the request with `AddressRefused`.
 */
export function connectToPublicAddressesOnly(resolve: ResolveHost = resolveHost): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => {
    const fail = (error: Error) => handler.onResponseError?.(null as never, error);
    if (Array.isArray(options.headers) || (options.headers && Symbol.iterator in options.headers)) {
      fail(new TypeError('connectToPublicAddressesOnly needs the request headers as an object'));
      return true;
    }
    const origin = new URL(String(options.origin));
    publicAddresses(origin.hostname, resolve)
      .then((checked) => {
        if ('refusal' in checked) return fail(new AddressRefused(origin.host, checked.refusal));
        const address = checked.addresses[0]!;
        const direct = new URL(origin.href);
        direct.hostname = address.includes(':') ? `[${address}]` : address;
        const headers = { ...(options.headers as Record<string, string> | null | undefined), host: origin.host };
        // undici reads `servername` (the TLS server name) from the request, though its types omit it.
        const request: Dispatcher.DispatchOptions & { servername: string } = { ...options, origin: direct.origin, headers, servername: origin.hostname };
        dispatch(request, handler);
      })
      .catch(fail);
    return true;
  };
}

/** Every address `hostname` resolves to, when all are public unicast; otherwise why not. */
async function publicAddresses(hostname: string, resolve: ResolveHost): Promise<{ addresses: string[] } | { refusal: Refusal }> {
  const host = hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      return { refusal: { internal: false, detail: `${host} does not resolve` } };
    }
  }
  if (addresses.length === 0) return { refusal: { internal: false, detail: `${host} does not resolve` } };
  for (const address of addresses) {
    const range = rangeOf(address);
    if (range !== 'unicast') return { refusal: { internal: true, detail: `${host} resolves to ${address}, a ${range} address` } };
  }
  return { addresses };
}

function rangeOf(address: string): string {
  try {
    let parsed = ipaddr.parse(address);
    // ::ffff:127.0.0.1 is loopback in IPv4 clothing.
    if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    return parsed.range();
  } catch {
    return 'unparseable';
  }
}
