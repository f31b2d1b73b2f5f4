/** What a link points at: its host, and the affiliate program that host or cloaked path belongs to. */
import type { ResolvedConfig } from '../../config/niche-config.ts';
import type { AffiliateProgram } from '../../schema/affiliate.ts';

const hostCache = new Map<string, string | undefined>();

/** Lower-case host of an absolute http(s) URL, or undefined. Cached: the same URLs recur across rules and articles. */
export function httpHost(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  const cached = hostCache.get(url);
  if (cached !== undefined || hostCache.has(url)) return cached;
  if (hostCache.size > 50_000) hostCache.clear();
  // The common case read off the text: a lower-case scheme and a host of lower-case ASCII labels
  // ending in a letter label (no IPv4 forms, ports, credentials, escapes, "xn--" or trailing
  // dot), which the URL parser leaves as written. Anything else goes to the URL parser.
  const plain = PLAIN_HOST.exec(url);
  const host = plain ? plain[1]! : URL.parse(url)?.hostname.toLowerCase().replace(/\.$/, '');
  hostCache.set(url, host);
  return host;
}

const PLAIN_HOST = /^https?:\/\/((?!xn--)[a-z0-9-]+(?:\.(?!xn--)[a-z0-9-]+)*\.[a-z]+)(?=[/?#]|$)/;

/** `host` is `domain` or one of its subdomains. */
export function hostMatches(host: string, domain: string): boolean {
  if (host === domain) return true;
  const wanted = domain.toLowerCase();
  return host === wanted || host.endsWith(`.${wanted}`);
}

/** The registered program whose merchant domains include the URL's host. */
export function programForUrl(url: string, config: ResolvedConfig): AffiliateProgram | undefined {
  const host = httpHost(url);
  if (!host) return undefined;
  // Cached per host and registry: several rules ask for every link of every article.
  let byHost = programsByHost.get(config.affiliates);
  if (!byHost) programsByHost.set(config.affiliates, (byHost = new Map()));
  if (byHost.has(host)) return byHost.get(host);
  if (byHost.size > 50_000) byHost.clear();
  const program = config.affiliates.find((candidate) => candidate.domains.some((domain) => hostMatches(host, domain)));
  byHost.set(host, program);
  return program;
}

const programsByHost = new WeakMap<readonly AffiliateProgram[], Map<string, AffiliateProgram | undefined>>();

/** The program a site-relative cloaked link `/go/<id>/…` names, by id (whether or not it exists). */
export function cloakedProgramId(url: string): string | undefined {
  return /^\/go\/([^/?#]+)/.exec(url)?.[1];
}

