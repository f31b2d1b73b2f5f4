import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/**
 * Feed links are untrusted: a page URL, or any hop it redirects to, must not reach the machine
 * running nichepress or its network (loopback, private, link-local, carrier-grade NAT, unique-local,
 * multicast, reserved…). The host name is resolved first and every address it resolves to must be
 * public unicast, so a public-looking name that points inside is refused too.
 *
 * The fetch that follows resolves the name again; a name that changes its answer between the two
 * (DNS rebinding) is not caught here. That is the limit of doing the check above a WHATWG fetch.
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
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      return { internal: false, detail: `${host} does not resolve` };
    }
  }
  if (addresses.length === 0) return { internal: false, detail: `${host} does not resolve` };
  for (const address of addresses) {
    const range = rangeOf(address);
    if (range !== 'unicast') return { internal: true, detail: `${host} resolves to ${address}, a ${range} address` };
  }
  return undefined;
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
