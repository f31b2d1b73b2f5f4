import { englishMonth, foldWord, isJoiningWord, isWeekday, monthOf } from './date-names.ts';

/** Zone abbreviations publishers write, lower-case, as offsets (Date.parse knows only UT, UTC, GMT, Z and the US zones). */
const ZONES: ReadonlyMap<string, string> = new Map(Object.entries({
  ut: '+0000', utc: '+0000', gmt: '+0000', z: '+0000',
  est: '-0500', edt: '-0400', cst: '-0600', cdt: '-0500', mst: '-0700', mdt: '-0600', pst: '-0800', pdt: '-0700',
  bst: '+0100', ist: '+0530', cet: '+0100', cest: '+0200', met: '+0100', mest: '+0200', eet: '+0200', eest: '+0300',
  wet: '+0000', west: '+0100', mez: '+0100', mesz: '+0200', jst: '+0900', kst: '+0900', aest: '+1000', aedt: '+1100', hkt: '+0800', sgt: '+0800', msk: '+0300',
}));

/**
 * Feed dates as publishers really write them: RFC 822 (RSS) and ISO 8601 / RFC 3339 (Atom, JSON
 * Feed), read by Date.parse, plus what it misses or reads wrongly —
 * - ISO date-times without an offset and bare dates are UTC, never the machine's local time, so
 *   runs are reproducible,
 * - ISO offsets written without a colon (+0200),
 * - month and weekday names in other languages ("lun., 02 févr. 2026", "2 de febrero de 2026",
 *   "Di, 27 Okt 2026"; the names are in date-names.ts): the month is put in English and every
 *   other word is dropped,
 * - zone abbreviations JavaScript does not know (CEST), and no zone at all (UTC).
 * Returns epoch milliseconds, or undefined when there is no date to read: the entry is then dated
 * by when it was first seen.
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
  let english = inEnglish(value);
  if (english === undefined) return undefined;
  // Date.parse reads an offset only after a time, and with neither it takes local time.
  const offset = /(?:^|\s)[+-]\d{2}:?\d{2}\b/.exec(english);
  if (!/\d:\d{2}/.test(english)) english = offset ? `${english.slice(0, offset.index)} 00:00${english.slice(offset.index)}` : `${english} 00:00`;
  return inRange(Date.parse(offset ? english : `${english} +0000`));
}

/**
 * The date with only what Date.parse reads: numbers, the month in English, the zone as an offset,
 * AM / PM. Weekday names and words such as "de", "à" or "um … Uhr" are dropped; so is a
 * parenthesised zone name after an offset ("GMT+0200 (CEST)"). Undefined when another word is
 * left: that is prose with a year in it ("Published in 2026"), not a date.
 */
function inEnglish(value: string): string | undefined {
  const folded = foldWord(value)
    .replace(/\([^)]*\)/g, ' ')
    // "10h30", as French writes times.
    .replace(/\b(\d{1,2})h(\d{2})\b/g, '$1:$2')
    // "GMT+0200": the offset is the zone.
    .replace(/\b(?:gmt|utc|ut)(?=[+-]\d)/g, ' ');
  // Words at odd places, the rest (numbers, punctuation) between them.
  const parts = folded.split(/(\p{L}+)/u);
  // A weekday may also begin a month's name ("mar." for mardi, martes): it is the month only
  // when no other word names one.
  const month = monthAt(parts, false) ?? monthAt(parts, true);
  for (let index = 1; index < parts.length; index += 2) {
    const word = parts[index]!;
    const zone = ZONES.get(word);
    if (index === month) parts[index] = englishMonth(monthOf(word)!);
    else if (zone) parts[index] = ` ${zone} `;
    else if (isWeekday(word) || isJoiningWord(word)) parts[index] = ' ';
    else if (word !== 'am' && word !== 'pm') return undefined;
  }
  return parts.join('');
}

/** Where among the words (odd places of `parts`) the first month's name is; weekday names count only when asked. */
function monthAt(parts: readonly string[], weekdaysToo: boolean): number | undefined {
  for (let index = 1; index < parts.length; index += 2) {
    if (monthOf(parts[index]!) !== undefined && (weekdaysToo || !isWeekday(parts[index]!))) return index;
  }
  return undefined;
}

/** A real time, within the years a feed can mean (a two-digit year read as 1926 is not one). */
function inRange(value: number): number | undefined {
  return Number.isFinite(value) && value >= Date.UTC(1990, 0, 1) && value < Date.UTC(2200, 0, 1) ? value : undefined;
}
