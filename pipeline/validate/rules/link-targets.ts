/** What a link points at: its host, and the affiliate program that host or cloaked path belongs to. */
import type { AffiliateProgram } from '../../schema/affiliate.ts';

/** Lower-case host of an absolute http(s) URL (without a trailing dot), or undefined. */
export function httpHost(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  return URL.parse(url)?.hostname.toLowerCase().replace(/\.$/, '');
}

/** `host` is `domain` or one of its subdomains. */
export function hostMatches(host: string, domain: string): boolean {
  const wanted = domain.toLowerCase();
  return host === wanted || host.endsWith(`.${wanted}`);
}

/** The registered program whose merchant domains include the URL's host. */
export function programForUrl(url: string, programs: readonly AffiliateProgram[]): AffiliateProgram | undefined {
  const host = httpHost(url);
  if (!host) return undefined;
  return programs.find((program) => program.domains.some((domain) => hostMatches(host, domain)));
}

/** The program a site-relative cloaked link `/go/<id>/…` names, by id (whether or not it exists). */
export function cloakedProgramId(url: string): string | undefined {
  return /^\/go\/([^/?#]+)/.exec(url)?.[1];
}

/** The program a link goes to: cloaked by id, or by the merchant's domain. */
export function programOfLink(url: string, programs: readonly AffiliateProgram[]): AffiliateProgram | undefined {
  const cloaked = cloakedProgramId(url);
  return cloaked !== undefined ? programs.find((program) => program.id === cloaked) : programForUrl(url, programs);
}
