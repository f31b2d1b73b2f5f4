/**
 * Grounding: the checkable claims of a sentence — figures, dates, proper names and direct
 * quotations — and whether a source's text states them. Ordinary rewriting is allowed: "61.8 %",
 * "61.8 percent" and "61.8 per cent" are one figure; "$2.4 billion" and "2.4 billion dollars" one
 * amount; "Oct. 27", "October 27" and "27 October" one date; a quotation may differ from the
 * source in case, punctuation and white space, never in its words.
 *
 * What is checked is deliberately narrow — the things a reader cannot tell are invented and a
 * model invents most — so the check can be strict: a claim that no cited source states is
 * unsupported, whatever else the sentence says.
 */

export type ClaimKind = 'figure' | 'date' | 'name' | 'quotation';

export interface Claim {
  kind: ClaimKind;
  /** As written in the sentence. */
  text: string;
  /** The canonical form the source is searched for. */
  key: string;
}

/** A source's text, read once into the forms claims are compared with. */
export interface SourceIndex {
  words: string;
  figures: Set<string>;
  dates: Set<string>;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = String.raw`(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?`;
const DATE_PATTERNS: readonly RegExp[] = [
  // 2026-10-27
  /\b(\d{4})-(\d{2})-(\d{2})\b/g,
  // October 27, 2026 · Oct. 27
  new RegExp(String.raw`\b(${MONTH})\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b`, 'gi'),
  // 27 October 2026 · 27 Oct.
  new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(${MONTH})(?:,?\s+(\d{4}))?\b`, 'gi'),
];

const SCALES: Record<string, number> = { thousand: 1e3, k: 1e3, million: 1e6, m: 1e6, mn: 1e6, billion: 1e9, bn: 1e9, b: 1e9, trillion: 1e12, tn: 1e12 };
const FIGURE =
  /(?<![\p{L}\p{N}.,]|\p{L}-)([$€£¥])?\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(%|percent\b|per\s?cent\b|percentage points?\b|pp\b)|\s?(thousand|million|billion|trillion|bn|mn|tn|[kmb])\b)?(?:\s?(%|percent\b|per\s?cent\b))?/giu;

const WEEKDAYS = new Set(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
const MONTH_NAMES = new Set(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec']);
/** Words that are capitalised for grammar, not because they name someone. */
const FUNCTION_WORDS = new Set(
  'a an the this that these those it its they their there here he she we you i our your his her in on at of for to from by with as after before but and or if when while what which who why how yet so not no one some many most all each every both either neither according under over about between during since until per via'.split(
    ' ',
  ),
);

/** Text for substring search: lower case, one kind of quote mark, no punctuation but inside numbers. */
export function normaliseText(text: string): string {
  return ` ${text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[\u201c\u201d\u00ab\u00bb]/g, '"')
    .replace(/'s\b/g, '')
    .replace(/(?<!\d)[.,](?!\d)|[^\p{L}\p{N}.,%$€£\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;
}

export function indexSource(text: string): SourceIndex {
  const dates = new Set<string>();
  for (const date of datesIn(text)) {
    dates.add(date.key);
    dates.add(date.key.replace(/-\d{4}$/, ''));
  }
  return { words: normaliseText(text), figures: new Set(figuresIn(withoutDates(text)).map((figure) => figure.key)), dates };
}

/** The checkable claims of one sentence. Citation markers ([2]) are not claims. */
export function claimsOf(sentence: string, ignoredNames: ReadonlySet<string> = new Set()): Claim[] {
  const claims: Claim[] = [];
  // References to the sources themselves ("[2]", "source 3", "sources 1 and 2") are not claims.
  let rest = sentence
    .replace(/\[\[?\d{1,2}\]\]?(?:\([^)]*\))?/g, ' ')
    .replace(/\bsources?\s+\d{1,2}(?:\s*(?:,|and|&|to|-)\s*\d{1,2})*\b/gi, ' ');
  // A quotation is checked word for word; what it contains needs no separate check.
  rest = rest.replace(/["\u201c]([^"\u201c\u201d]{12,}?)["\u201d]/g, (_whole, inner: string) => {
    claims.push({ kind: 'quotation', text: inner.trim(), key: normaliseText(inner).trim() });
    return ' ';
  });
  for (const date of datesIn(rest)) claims.push({ kind: 'date', text: date.text, key: date.key });
  rest = withoutDates(rest);
  for (const figure of figuresIn(rest)) claims.push({ kind: 'figure', text: figure.text, key: figure.key });
  for (const name of namesIn(rest)) {
    const key = normaliseText(name).trim();
    if (key && !ignoredNames.has(key)) claims.push({ kind: 'name', text: name, key });
  }
  return claims;
}

export function isStated(claim: Claim, source: SourceIndex): boolean {
  switch (claim.kind) {
    case 'quotation':
      return source.words.includes(` ${claim.key} `);
    case 'name':
      return source.words.includes(` ${claim.key} `);
    case 'date':
      return source.dates.has(claim.key);
    case 'figure':
      return source.figures.has(claim.key);
  }
}

function datesIn(text: string): { text: string; key: string }[] {
  const found: { text: string; key: string }[] = [];
  for (const pattern of DATE_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const [whole, a = '', b = '', c] = match;
      let month: number;
      let day: number;
      let year: string | undefined;
      if (/^\d{4}$/.test(a)) [year, month, day] = [a, Number(b), Number(c)];
      else if (/^\d/.test(a)) [day, month, year] = [Number(a), monthNumber(b), c];
      else [month, day, year] = [monthNumber(a), Number(b), c];
      if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) continue;
      found.push({ text: whole, key: `${month}-${day}${year ? `-${year}` : ''}` });
    }
  }
  return found;
}

function withoutDates(text: string): string {
  return DATE_PATTERNS.reduce((rest, pattern) => rest.replace(pattern, ' '), text);
}

function monthNumber(name: string): number {
  return MONTHS.indexOf(name.toLowerCase().slice(0, 3)) + 1;
}

function figuresIn(text: string): { text: string; key: string }[] {
  const found: { text: string; key: string }[] = [];
  for (const match of text.matchAll(FIGURE)) {
    const [whole, , integer = '', fraction = '', percentBefore, scale, percentAfter] = match;
    const percent = Boolean(percentBefore ?? percentAfter);
    const factor = scale ? (SCALES[scale.toLowerCase()] ?? 1) : 1;
    // Scaled in integer arithmetic on the digits, so 2.4 billion is exactly 2400000000.
    const digits = `${integer.replace(/,/g, '')}${fraction}`;
    const decimals = fraction ? fraction.length - 1 : 0;
    const value = (Number(digits.replace('.', '')) * factor) / 10 ** decimals;
    found.push({ text: whole.trim(), key: `${Number(value.toPrecision(12))}${percent ? '%' : ''}` });
  }
  return found;
}

/**
 * Runs of capitalised words ("Priya Natarajan", "Harbor Lending", "ETH"), without the function
 * words, months and weekdays that are capitalised for other reasons. The first word of a
 * sentence is capitalised by grammar: it counts only as part of a longer run.
 */
function namesIn(text: string): string[] {
  const names: string[] = [];
  const words = [...text.matchAll(/[\p{L}\p{N}][\p{L}\p{M}\p{N}'’.&-]*/gu)];
  let run: string[] = [];
  let runStartsSentence = false;
  const flush = () => {
    while (run.length && FUNCTION_WORDS.has(run[0]!.toLowerCase())) run.shift();
    const meaningful = run.filter((word) => !MONTH_NAMES.has(word.toLowerCase()) && !WEEKDAYS.has(word.toLowerCase()));
    if (meaningful.length && (!runStartsSentence || run.length > 1)) names.push(run.join(' ').replace(/['’]s$/, '').replace(/[.]$/, ''));
    run = [];
  };
  words.forEach((match, index) => {
    const word = match[0];
    const capitalised = /^\p{Lu}/u.test(word);
    const before = text.slice(index === 0 ? 0 : words[index - 1]!.index + words[index - 1]![0].length, match.index);
    // Words may end in a full stop ("Oct.", "week."): the stop then belongs to the word before.
    const previous = index === 0 ? '' : words[index - 1]![0];
    const sentenceStart = index === 0 || /[.!?:;]["”’)]?\s*$|^\s*[-*>]\s*$/.test(before) || /\n/.test(before) || (/[.!?]$/.test(previous) && !/^(?:[A-Z][a-z]{0,3}|[A-Z])\.$/.test(previous));
    // A comma, a bracket or a dash between two capitalised words ends a name.
    if (run.length && (!capitalised || /[,;:()–—]/.test(before))) flush();
    if (!capitalised) return;
    if (run.length === 0) runStartsSentence = sentenceStart;
    run.push(word.replace(/[.]$/, ''));
  });
  flush();
  return names.filter((name) => name.length > 1);
}
