/**
 * Month and weekday names in the languages feeds are written in, so that a date like
 * "lun., 02 févr. 2026" or "2 de febrero de 2026" can be handed to `Date` in English.
 *
 * Names are written lower-case and without accents (as the date text is matched: "févr." and
 * "FEVR" are the same word). A month is found by its full name or any abbreviation of it that is
 * at least three letters long and belongs to that month alone in every language here: "févr",
 * "sept", "okt", "dez" all work; "jui" is refused because it starts both "juin" and "juillet".
 * Abbreviations that are not a name's beginning ("mrz", "mrt") are listed with the names.
 */

/** Per language: the twelve months, each with its full name first and any irregular abbreviations after. */
const MONTHS: Record<string, readonly (readonly string[])[]> = {
  en: [['january'], ['february'], ['march'], ['april'], ['may'], ['june'], ['july'], ['august'], ['september'], ['october'], ['november'], ['december']],
  fr: [['janvier'], ['fevrier'], ['mars'], ['avril'], ['mai'], ['juin'], ['juillet'], ['aout'], ['septembre'], ['octobre'], ['novembre'], ['decembre']],
  de: [['januar', 'janner'], ['februar', 'feber'], ['marz', 'mrz'], ['april'], ['mai'], ['juni'], ['juli'], ['august'], ['september'], ['oktober'], ['november'], ['dezember']],
  es: [['enero'], ['febrero'], ['marzo'], ['abril'], ['mayo'], ['junio'], ['julio'], ['agosto'], ['septiembre', 'setiembre'], ['octubre'], ['noviembre'], ['diciembre']],
  pt: [['janeiro'], ['fevereiro'], ['marco'], ['abril'], ['maio'], ['junho'], ['julho'], ['agosto'], ['setembro'], ['outubro'], ['novembro'], ['dezembro']],
  it: [['gennaio'], ['febbraio'], ['marzo'], ['aprile'], ['maggio'], ['giugno'], ['luglio'], ['agosto'], ['settembre'], ['ottobre'], ['novembre'], ['dicembre']],
  nl: [['januari'], ['februari'], ['maart', 'mrt'], ['april'], ['mei'], ['juni'], ['juli'], ['augustus'], ['september'], ['oktober'], ['november'], ['december']],
};

/**
 * Weekday names, Monday first, full and as publishers shorten them. They carry nothing a date
 * needs; they are known so that a weekday that is also a month's beginning ("mar." for mardi,
 * martes, martedì) is not taken for March when the date names its month as well.
 */
const WEEKDAYS: Record<string, readonly string[]> = {
  en: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'],
  fr: ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'],
  de: ['montag', 'dienstag', 'mittwoch', 'donnerstag', 'freitag', 'samstag', 'sonntag'],
  es: ['lunes', 'martes', 'miercoles', 'jueves', 'viernes', 'sabado', 'domingo'],
  pt: ['segunda', 'terca', 'quarta', 'quinta', 'sexta', 'sabado', 'domingo'],
  it: ['lunedi', 'martedi', 'mercoledi', 'giovedi', 'venerdi', 'sabato', 'domenica'],
  nl: ['maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag'],
};

/**
 * Words that join a date's parts ("2 de febrero", "um 10:30 Uhr", "1er", "27th of", the "feira" of
 * "segunda-feira", ISO's "T"). A date holding any other word is prose, not a date.
 */
const JOINING_WORDS: ReadonlySet<string> = new Set([
  't', 'at', 'of', 'the', 'on', 'st', 'nd', 'rd', 'th',
  'le', 'a', 'er', 'h',
  'um', 'uhr', 'den',
  'de', 'del', 'la', 'las', 'el',
  'do', 'as', 'em', 'o', 'feira',
  'alle', 'ore', 'il', 'di',
  'om', 'uur', 'van',
]);

const ENGLISH_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** A word as it is matched: lower-case, accents removed ("Févr" → "fevr"). */
export function foldWord(word: string): string {
  return word.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

/** Every word that names one month: full names, irregular abbreviations, and beginnings of three letters and more. */
const MONTH_WORDS: ReadonlyMap<string, number> = (() => {
  const months = new Map<string, number | 'ambiguous'>();
  const add = (word: string, month: number) => {
    const known = months.get(word);
    months.set(word, known === undefined || known === month ? month : 'ambiguous');
  };
  for (const names of Object.values(MONTHS)) {
    names.forEach(([name, ...abbreviations], month) => {
      for (let length = 3; length <= name!.length; length++) add(name!.slice(0, length), month);
      for (const abbreviation of abbreviations) add(abbreviation, month);
    });
  }
  return new Map([...months].filter((entry): entry is [string, number] => entry[1] !== 'ambiguous'));
})();

/** Every weekday name and beginning of one, of two letters and more ("mo", "mar", "sab"). */
const WEEKDAY_WORDS: ReadonlySet<string> = new Set(
  Object.values(WEEKDAYS).flatMap((days) => days.flatMap((day) => Array.from({ length: day.length - 1 }, (_unused, cut) => day.slice(0, cut + 2)))),
);

/** The month (0–11) a folded word names in any of the languages, or undefined (unknown, or ambiguous). */
export function monthOf(word: string): number | undefined {
  return MONTH_WORDS.get(word);
}

/** Whether a folded word is a weekday's name or the beginning of one. */
export function isWeekday(word: string): boolean {
  return WEEKDAY_WORDS.has(word);
}

/** The English abbreviation `Date` reads for a month (0–11). */
export function englishMonth(month: number): string {
  return ENGLISH_MONTHS[month]!;
}

/** Whether a folded word only joins a date's parts (see JOINING_WORDS). */
export function isJoiningWord(word: string): boolean {
  return JOINING_WORDS.has(word);
}
