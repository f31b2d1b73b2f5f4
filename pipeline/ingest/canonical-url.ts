const TRACKING_PARAMS = /^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref_src)$/i;

/**
 * An absolute http(s) URL the URL parser would leave exactly as written: lower-case scheme and
 * host, no user, port, IP address or punycode, a path of characters that are never
 * percent-encoded, and a query of `name=value` pairs that URLSearchParams reads and writes back
 * unchanged. Anything else takes the full URL parser.
 * The last host label starts with a letter, so the host is never read as an IPv4 number.
 */
const PLAIN_URL =
  /^(https?:\/\/(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*)(\/[\w\-.~!$&'()*+,;=:@/]*)?(?:\?([\w\-.*=&]*))?$/;
/** Path segments the parser would resolve away ("." and ".."). */
const DOT_SEGMENT = /\/\.\.?(?:\/|$)/;
/** A query pair URLSearchParams serialises back byte for byte. */
const PLAIN_PAIR = /^[\w\-.*]*(?:=[\w\-.*]*)?$/;

/**
 * Canonical form of an item's URL, used to de-duplicate the same story seen in several feeds:
 * resolved against the feed's base, lower-case host, no fragment, no tracking parameters,
 * default ports dropped. Returns undefined for anything that is not http(s).
 */
export function canonicalUrl(raw: string, base?: string): string | undefined {
  const trimmed = raw.trim();
  // Ingest canonicalises every entry of every feed; most links are already plain absolute URLs,
  // for which the parser's only work is dropping the fragment and tracking parameters.
  const plain = plainCanonicalUrl(trimmed, base);
  if (plain !== undefined) return plain;
  let url: URL;
  try {
    url = base ? new URL(trimmed, base) : new URL(trimmed);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  url.username = '';
  url.password = '';
  for (const key of [...url.searchParams.keys()]) {
    if (TRACKING_PARAMS.test(key)) url.searchParams.delete(key);
  }
  url.searchParams.sort();
  return url.toString();
}

/** The canonical form of a plain absolute URL (see PLAIN_URL), or undefined to take the parser. */
function plainCanonicalUrl(text: string, base: string | undefined): string | undefined {
  const hash = text.indexOf('#');
  const match = PLAIN_URL.exec(hash === -1 ? text : text.slice(0, hash));
  if (!match) return undefined;
  const origin = match[1]!;
  const path = match[2] ?? '/';
  const query = match[3];
  if (origin.includes('xn--') || DOT_SEGMENT.test(path)) return undefined;
  // The parser rejects an absolute URL when the base it was given is invalid: so must we.
  if (base && !isValidBase(base)) return undefined;
  if (!query) return `${origin}${path}`;
  // Pairs are cut out one by one rather than split into an array: feed links mostly carry one or
  // two tracking parameters and nothing else.
  let pairs: Array<{ name: string; text: string }> | undefined;
  for (let start = 0; start < query.length; ) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    if (end > start) {
      const pair = query.slice(start, end);
      if (!PLAIN_PAIR.test(pair)) return undefined;
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      if (!TRACKING_PARAMS.test(name)) (pairs ??= []).push({ name, text: equals === -1 ? `${pair}=` : pair });
    }
    start = end + 1;
  }
  if (pairs === undefined) return `${origin}${path}`;
  // URLSearchParams.sort(): stable, by code units of the names.
  pairs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return `${origin}${path}?${pairs.map((pair) => pair.text).join('&')}`;
}

let lastBase: { text: string; valid: boolean } | undefined;

/** Whether `new URL(…, base)` accepts this base; one feed's entries share it, so the last answer is kept. */
function isValidBase(base: string): boolean {
  if (lastBase?.text !== base) lastBase = { text: base, valid: URL.canParse(base) };
  return lastBase.valid;
}
