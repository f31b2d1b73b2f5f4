const TRACKING_PARAMS = /^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref_src)$/i;

/**
 * Canonical form of an item's URL, used to de-duplicate the same story seen in several feeds:
 * resolved against the feed's base, lower-case host, no fragment, no user name or password, no
 * tracking parameters, the other parameters sorted, default ports dropped. Returns undefined for
 * anything that is not http(s).
 */
export function canonicalUrl(raw: string, base?: string): string | undefined {
  let url: URL;
  try {
    url = base ? new URL(raw.trim(), base) : new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // Each change re-serialises the URL: only what is there is removed.
  if (url.hash) url.hash = '';
  if (url.username) url.username = '';
  if (url.password) url.password = '';
  if (url.search) {
    for (const key of [...url.searchParams.keys()]) {
      if (TRACKING_PARAMS.test(key)) url.searchParams.delete(key);
    }
    url.searchParams.sort();
  }
  return url.href;
}
