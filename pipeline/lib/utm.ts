/**
 * UTM tagging: tells the site's analytics where a click came from (newsletter issue 3, a
 * Bluesky post). Parameters already on the link win — a merchant's own utm_source on an
 * affiliate link, an editor's hand-set campaign — and every other parameter (affiliate
 * tracking ids included) is kept as it is, in its place.
 */
export interface UtmTags {
  source: string;
  medium: string;
  campaign: string;
}

export function withUtm(url: string, tags: UtmTags): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  // Only web links: a mailto: or a merge tag like {{unsubscribe_url}} must stay untouched.
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return url;
  const missing = (
    [
      ['utm_source', tags.source],
      ['utm_medium', tags.medium],
      ['utm_campaign', tags.campaign],
    ] as const
  ).filter(([key]) => !parsed.searchParams.has(key));
  if (missing.length === 0) return parsed.href;
  // Appended to the query as written: re-serialising it through URLSearchParams could re-encode
  // a tracking id (`a/b` → `a%2Fb`) that the affiliate network matches byte for byte.
  const added = missing.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
  const query = parsed.search.length > 1 ? `${parsed.search}&${added}` : `?${added}`;
  return `${parsed.origin}${parsed.pathname}${query}${parsed.hash}`;
}
