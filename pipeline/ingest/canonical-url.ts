const TRACKING_PARAMS = /^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref_src)$/i;

/**
 * Canonical form of an item's URL, used to de-duplicate the same story seen in several feeds:
 * resolved against the feed's base, lower-case host, no fragment, no user name or password, no
 * tracking parameters, the other parameters sorted, default ports dropped. Returns undefined for
 * anything that is not http(s).
 */
export function canonicalUrl(raw: string, base?: string): string | undefined {
  const url = base ? URL.parse(raw.trim(), base) : URL.parse(raw.trim());
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) return undefined;
  // Each change re-serialises the URL: only what is there is removed, and the query, filtered
  // and sorted apart, is written back once.
  if (url.hash) url.hash = '';
  if (url.username) url.username = '';
  if (url.password) url.password = '';
  if (url.search) {
    const params = new URLSearchParams(url.search);
    for (const key of [...params.keys()]) {
      if (TRACKING_PARAMS.test(key)) params.delete(key);
    }
    params.sort();
    url.search = params.toString();
  }
  return url.href;
}
