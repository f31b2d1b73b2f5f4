/**
 * What a piece of text says about its language without a statistical model: the writing
 * systems its letters belong to, and the function words it uses. Both work on short text, where
 * a detector guesses: a Korean or Thai sentence is Korean or Thai by its letters alone, and a
 * Spanish sentence says "de", "los" and "para" long before it is long enough to detect.
 */
/** Writing systems told apart here; everything else with letters is `Other`. */
export type Script = 'Latin' | 'Cyrillic' | 'Greek' | 'Arabic' | 'Hebrew' | 'Hangul' | 'Han' | 'Kana' | 'Thai' | 'Devanagari' | 'Other';

/** The Unicode script properties of each script told apart here. */
const PROPERTIES: Record<Exclude<Script, 'Other'>, string> = {
  Latin: String.raw`\p{Script=Latin}`,
  Cyrillic: String.raw`\p{Script=Cyrillic}`,
  Greek: String.raw`\p{Script=Greek}`,
  Arabic: String.raw`\p{Script=Arabic}`,
  Hebrew: String.raw`\p{Script=Hebrew}`,
  Hangul: String.raw`\p{Script=Hangul}`,
  Han: String.raw`\p{Script=Han}`,
  Kana: String.raw`\p{Script=Hiragana}\p{Script=Katakana}`,
  Thai: String.raw`\p{Script=Thai}`,
  Devanagari: String.raw`\p{Script=Devanagari}`,
};

const SCRIPTS = Object.entries(PROPERTIES).map(([script, properties]) => [script as Script, new RegExp(`[${properties}]`, 'u')] as const);

/** Scripts written without spaces between words: their length is counted in characters. */
export const UNSPACED: ReadonlySet<Script> = new Set(['Han', 'Kana', 'Thai']);

export function scriptOf(letter: string): Script {
  // ASCII letters are Latin; the Unicode tables answer the rest.
  if (letter.charCodeAt(0) < 0x80) return 'Latin';
  for (const [script, pattern] of SCRIPTS) if (pattern.test(letter)) return script;
  return 'Other';
}

/** The scripts a language is written in (Latin is allowed in every language: names, tickers, terms). */
export function scriptsOfLanguage(language: string): ReadonlySet<Script> {
  const scripts: Record<string, Script[]> = {
    ru: ['Cyrillic'], uk: ['Cyrillic'], bg: ['Cyrillic'], sr: ['Cyrillic'], el: ['Greek'], ar: ['Arabic'], fa: ['Arabic'], ur: ['Arabic'],
    he: ['Hebrew'], ko: ['Hangul', 'Han'], zh: ['Han'], ja: ['Han', 'Kana'], th: ['Thai'], hi: ['Devanagari'],
  };
  return new Set<Script>(['Latin', ...(scripts[language] ?? [])]);
}

const foreignLetters = new Map<string, RegExp>();

/**
 * A letter of none of the given scripts. Whether a text has one is the first question about its
 * scripts: most paragraphs have none, and then no script run can be foreign.
 */
export function foreignLetter(allowed: ReadonlySet<Script>): RegExp {
  const properties = [...allowed].flatMap((script) => (script === 'Other' ? [] : [PROPERTIES[script]])).join('');
  let pattern = foreignLetters.get(properties);
  if (!pattern) foreignLetters.set(properties, (pattern = new RegExp(`[\\p{L}--[${properties}]]`, 'v')));
  return pattern;
}

/** A maximal stretch of letters of one script (spaces, digits and punctuation inside do not end it). */
export interface ScriptRun {
  script: Script;
  /** Offset of its first letter in the text. */
  start: number;
  end: number;
  /** Letters in the run, and words (for scripts written with spaces). */
  letters: number;
  words: number;
}

/** A word: a run of letters with their combining marks, and its offset in the text. */
export interface Word {
  text: string;
  start: number;
}

/** The words of a text with their offsets (for the script runs). */
export function wordsIn(text: string): Word[] {
  const words: Word[] = [];
  LETTERS.lastIndex = 0;
  for (let match = LETTERS.exec(text); match; match = LETTERS.exec(text)) words.push({ text: match[0], start: match.index });
  return words;
}

/** The words of a text as strings, for counting them and reading their function words. */
export function wordsOf(text: string): string[] {
  return text.match(LETTERS) ?? [];
}

const LETTERS = /[\p{L}\p{M}]+/gu;

/** The script runs of a text's words (see `wordsIn`). */
export function scriptRuns(words: readonly Word[]): ScriptRun[] {
  const runs: ScriptRun[] = [];
  const add = (script: Script, start: number, end: number, newWord: boolean) => {
    const last = runs.at(-1);
    if (last && last.script === script) {
      last.end = end;
      last.letters += end - start;
      if (newWord) last.words++;
    } else {
      runs.push({ script, start, end, letters: end - start, words: 1 });
    }
  };
  for (const { text: word, start } of words) {
    // A word of ASCII letters is Latin; any other is followed letter by letter (Japanese mixes
    // Han and kana inside one unspaced run).
    if (/^[A-Za-z]+$/.test(word)) {
      add('Latin', start, start + word.length, true);
      continue;
    }
    let offset = start;
    let first = true;
    for (const letter of word) {
      const script = /\p{M}/u.test(letter) ? (runs.at(-1)?.script ?? 'Other') : scriptOf(letter);
      add(script, offset, offset + letter.length, first || runs.at(-1)?.script !== script);
      offset += letter.length;
      first = false;
    }
  }
  return runs;
}

/**
 * Common function words of the Latin-script languages machine-written articles drift into. A word
 * in two lists ("de", "in") or an English word ("a", "as", "die") tells nothing apart and is left
 * out of every list but English.
 */
const WORD_LISTS: Record<string, string> = {
  en: 'the and of to in is that for it with as on are be this by or an at from was not but which have has can their you your if into about more than its they we our were been will would all so when there what who how also after before over only any each most some other every per within these those',
  es: 'el la los las de del que y en un una es por para con se su sus al lo como más pero este esta son fue ha han está están muy también sobre entre cuando antes después tus tu hay desde hasta sin porque cada todos todas',
  de: 'der die das und ist nicht zu den von mit sich des auf für im dem ein eine einer eines als auch es an wird werden sind bei oder nach wie aus noch wurde hat haben kann über nur dass weil wenn viele vor',
  fr: 'le la les de des et est un une du en que qui dans pour pas sur au aux par avec ce cette ces sont plus ont été mais ou son sa ses leur',
  pt: 'o a os as de do da dos das e é um uma em no na nos nas que para com não por se mais foi são como ao pelo pela seu sua',
  it: 'il lo la gli le di del della dei delle che e è un una in per con non si sono come anche più ma nel nella al alla dal',
  nl: 'de het een en van is dat op te in voor met zijn niet aan er ook als bij door naar wordt worden maar om dan nog',
};

const ENGLISH_LOOKALIKES = new Set(['a', 'as', 'no', 'on', 'an', 'die', 'per', 'plus', 'son', 'come', 'door', 'also', 'over', 'most', 'is', 'in', 'be', 'to', 'it', 'or', 'at', 'all', 'so', 'was', 'will', 'hat', 'men', 'die', 'fee', 'con', 'pro', 'sure', 'ever', 'once']);

/** Each function word with the one language it tells (a word of two lists is in neither, but English's). */
const LANGUAGE_OF_WORD: ReadonlyMap<string, string> = (() => {
  const lists = Object.entries(WORD_LISTS).map(([language, words]) => [language, new Set(words.split(' '))] as const);
  const seen = new Map<string, number>();
  for (const [, words] of lists) for (const word of words) seen.set(word, (seen.get(word) ?? 0) + 1);
  const languageOf = new Map<string, string>();
  for (const [language, words] of lists) {
    for (const word of words) if (language === 'en' || (seen.get(word) === 1 && !ENGLISH_LOOKALIKES.has(word))) languageOf.set(word, language);
  }
  return languageOf;
})();

/** How many function words of each language are among some words. */
export function functionWordHits(words: readonly string[]): Map<string, number> {
  const hits = new Map<string, number>();
  for (const word of words) {
    const language = LANGUAGE_OF_WORD.get(word.toLowerCase());
    if (language) hits.set(language, (hits.get(language) ?? 0) + 1);
  }
  return hits;
}

/**
 * The language whose function words a sentence uses more than any other's, or undefined. Needs
 * two hits at least: one shared word ("a", "de") decides nothing; a tie decides nothing either.
 */
export function functionWordLanguage(hits: ReadonlyMap<string, number>): string | undefined {
  let best: string | undefined;
  let most = 0;
  let tied = false;
  for (const [language, count] of hits) {
    if (count > most) [best, most, tied] = [language, count, false];
    else if (count === most) tied = true;
  }
  return most >= 2 && !tied ? best : undefined;
}

/** Whether the function-word lists above cover a language (the others need the detector). */
export function hasFunctionWords(language: string): boolean {
  return language in WORD_LISTS;
}
