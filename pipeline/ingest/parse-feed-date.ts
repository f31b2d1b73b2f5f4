const ZONES: Record<string, string> = {
  UT: '+0000', UTC: '+0000', GMT: '+0000', Z: '+0000',
  EST: '-0500', EDT: '-0400', CST: '-0600', CDT: '-0500', MST: '-0700', MDT: '-0600', PST: '-0800', PDT: '-0700',
  BST: '+0100', IST: '+0530', CET: '+0100', CEST: '+0200', EET: '+0200', EEST: '+0300', JST: '+0900', KST: '+0900',
  AEST: '+1000', AEDT: '+1100', HKT: '+0800', SGT: '+0800',
};

/**
 * Feed dates as publishers really write them: RFC 822 (RSS), RFC 3339 (Atom, JSON Feed), and the
 * usual departures — time-zone abbreviations JavaScript does not know (CEST), ISO date-times
 * without an offset (taken as UTC, never as the machine's local time, so runs are reproducible),
 * bare dates, day names in any language. Returns epoch milliseconds, or undefined.
 */
export function parseFeedDate(text: string | undefined): number | undefined {
  if (!text) return undefined;
  // The form rss-parser gives every RSS and Atom date it can read (isoDate): no regex needed.
  if (isIsoTimestamp(text)) return parseIsoTimestamp(text);
  const value = text.trim();
  if (!value) return undefined;
  // RFC 822 as nearly every RSS feed writes it, with a zone JavaScript reads itself: one test, then
  // Date.parse on the text as it is (what the rewriting below would hand it comes to the same time).
  if (RFC_822_PLAIN.test(value)) return finite(Date.parse(value));

  // ISO 8601 without an offset, or a bare date: UTC.
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/.exec(value);
  if (iso) return finite(Date.parse(`${iso[1]}T${iso[2] ?? '00:00:00'}Z`));
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value)) return finite(Date.parse(value.replace(' ', 'T')));

  // V8's lenient parser turns prose into dates ("sometime last week +0000" is 1 January 2000):
  // without a four-digit year there is no date to read.
  if (!/\b\d{4}\b/.test(value)) return undefined;

  // RFC 822 and friends: drop the day name (any language), map zone abbreviations to offsets.
  const rfc = value
    .replace(/^[^\d,]+,\s*/, '')
    .replace(/\b([A-Z]{1,5})$/, (zone) => ZONES[zone] ?? zone);
  const parsed = Date.parse(/[+-]\d{4}$|Z$/.test(rfc) ? rfc : `${rfc} +0000`);
  return finite(parsed) ?? finite(Date.parse(value));
}

/**
 * "Tue, 27 Oct 2026 08:00:00 GMT", "27 Oct 2026 08:00 +0200": an optional English day name, day,
 * English month, four-digit year, time, and a numeric offset or GMT / UT / UTC / Z.
 */
const RFC_822_PLAIN = /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|GMT|UTC?|Z)$/;

/**
 * Whether `text` is exactly what Date.prototype.toISOString writes (YYYY-MM-DDTHH:mm:ss.sssZ,
 * four-digit year) for a real date and time of day — so `new Date(Date.parse(text)).toISOString()`
 * gives `text` back, and ingest can keep the string instead of writing it again.
 */
export function isIsoTimestamp(text: string): boolean {
  if (text.length !== 24) return false;
  for (let index = 0; index < 24; index++) {
    const code = text.charCodeAt(index);
    const expected = ISO_SHAPE.charCodeAt(index);
    if (expected === 0x39 ? code < 0x30 || code > 0x39 : code !== expected) return false;
  }
  const year = number(text, 0, 4);
  const month = number(text, 5, 7);
  const day = number(text, 8, 10);
  return (
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) &&
    number(text, 11, 13) <= 23 && number(text, 14, 16) <= 59 && number(text, 17, 19) <= 59
  );
}

/** The time of a text for which isIsoTimestamp holds, or undefined when it is out of range (as parseFeedDate says). */
export function parseIsoTimestamp(text: string): number | undefined {
  return finite(Date.parse(text));
}

/**
 * `new Date(time).toISOString()`, written out here for the years 1000–9999: ingest writes one per
 * entry, and the built-in goes through the engine's date cache at about three times the cost
 * (property test against it). Other times take the built-in.
 */
export function formatIsoTimestamp(time: number): string {
  if (!(time >= FIRST_FOUR_DIGIT_YEAR && time < FIRST_FIVE_DIGIT_YEAR) || !Number.isInteger(time)) return new Date(time).toISOString();
  const days = Math.floor(time / DAY_MS);
  let rest = time - days * DAY_MS;
  // Days since 1970-01-01 to a date of the proleptic Gregorian calendar, counting 400-year eras
  // whose years start on 1 March, so that the leap day ends the year.
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const ms = rest - seconds * 1000;
  return `${year}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}

const DAY_MS = 86_400_000;
const FIRST_FOUR_DIGIT_YEAR = Date.UTC(1000, 0, 1);
const FIRST_FIVE_DIGIT_YEAR = Date.UTC(10_000, 0, 1);
const TWO_DIGITS = Array.from({ length: 100 }, (_unused, value) => String(value).padStart(2, '0'));

/** toISOString's shape, a 9 standing for any digit. */
const ISO_SHAPE = '9999-99-99T99:99:99.999Z';

function number(text: string, start: number, end: number): number {
  let value = 0;
  for (let index = start; index < end; index++) value = value * 10 + text.charCodeAt(index) - 0x30;
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/** A real time, within the years a feed can mean (a two-digit year read as 1926 is not one). */
function finite(value: number): number | undefined {
  return Number.isFinite(value) && value >= Date.UTC(1990, 0, 1) && value < Date.UTC(2200, 0, 1) ? value : undefined;
}
