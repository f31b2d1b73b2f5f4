/** Zone abbreviations publishers write that Date.parse does not know (it knows UT, UTC, GMT, Z and the US zones). */
const ZONES: Record<string, string> = {
  UT: '+0000', UTC: '+0000', GMT: '+0000', Z: '+0000',
  EST: '-0500', EDT: '-0400', CST: '-0600', CDT: '-0500', MST: '-0700', MDT: '-0600', PST: '-0800', PDT: '-0700',
  BST: '+0100', IST: '+0530', CET: '+0100', CEST: '+0200', EET: '+0200', EEST: '+0300', JST: '+0900', KST: '+0900',
  AEST: '+1000', AEDT: '+1100', HKT: '+0800', SGT: '+0800', MSK: '+0300',
};

/**
 * Feed dates as publishers really write them: RFC 822 (RSS) and ISO 8601 / RFC 3339 (Atom, JSON
 * Feed), read by Date.parse, plus what it misses or reads wrongly —
 * - ISO date-times without an offset and bare dates are UTC, never the machine's local time, so
 *   runs are reproducible,
 * - ISO offsets written without a colon (+0200),
 * - day names in any language ("Mar, 27 Oct 2026"), or none,
 * - zone abbreviations JavaScript does not know (CEST), and no zone at all (UTC).
 * Returns epoch milliseconds, or undefined when there is no date to read.
 */
export function parseFeedDate(text: string | undefined): number | undefined {
  const value = text?.trim();
  if (!value) return undefined;

  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?)?$/i.exec(value);
  if (iso) {
    const [, date, time = '00:00:00', zone = 'Z'] = iso;
    const offset = /^[+-]\d{2}$/.test(zone) ? `${zone}:00` : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
    return inRange(Date.parse(`${date}T${time.replace(',', '.')}${offset.toUpperCase()}`));
  }

  // Date.parse's lenient reading turns prose into dates ("sometime last week +0000" is 1 January
  // 2000): without a four-digit year there is no date to read.
  if (!/\b\d{4}\b/.test(value)) return undefined;
  // RFC 822 and friends: drop the day name, map a zone abbreviation to its offset, UTC when none.
  const rfc = value
    .replace(/^[^\d,]+,\s*/, '')
    .replace(/\b([A-Z]{1,5})$/, (zone) => ZONES[zone] ?? zone);
  return inRange(Date.parse(/[+-]\d{2}:?\d{2}$/.test(rfc) ? rfc : `${rfc} +0000`)) ?? inRange(Date.parse(value));
}

/** A real time, within the years a feed can mean (a two-digit year read as 1926 is not one). */
function inRange(value: number): number | undefined {
  return Number.isFinite(value) && value >= Date.UTC(1990, 0, 1) && value < Date.UTC(2200, 0, 1) ? value : undefined;
}
