import { blocksOf, lowerOf, plainWords } from './markdown-scan.ts';
import { type Rule, type RuleContext } from './rule.ts';

/**
 * Every paragraph is in the article's declared language (`lang`, else the site's).
 *
 * Models drift into another language mid-article (often the language of a quoted source), and
 * translated scraps slip in; readers and search engines both notice. Detection comes from the
 * detector in the rule context (tinyld by default, see ../language-detector.ts);
 * paragraphs under 12 words, headings, tables and code are skipped because detection on short
 * text is a guess.
 *
 * ok:     English paragraphs in a `lang: en` article
 * not-ok: a German paragraph in a `lang: en` article
 */
export const qualityLanguageMismatch: Rule = {
  id: 'quality/language-mismatch',
  severity: 'error',
  description: 'Paragraphs are in the declared language.',
  check(article, config, context: RuleContext) {
    const detect = context.detectLanguage;
    if (!detect || !article.frontmatter) return [];
    const declared = (article.frontmatter.lang || config.site.language).slice(0, 2).toLowerCase();
    const messages = [];
    const lower = lowerOf(article);
    for (const block of blocksOf(article)) {
      if (isMarkup(block.text)) continue;
      // Statistical detection costs ~0.2 ms a paragraph (half a minute over 10,000 articles); an
      // English paragraph is recognised far cheaper by its function words, and only the rest goes
      // to the detector. The verdict on any other paragraph is still the detector's.
      if (declared === 'en') {
        // Counted on the shared lower-cased body, unless lower-casing changed lengths (rare letters).
        const sameLength = lower.length === article.body.length;
        const lowered = sameLength ? lower : block.text.toLowerCase();
        const from = sameLength ? block.offset : 0;
        if (looksEnglish(lowered, from, sameLength ? from + block.text.length : lowered.length)) continue;
      }
      const text = plainWords(block.text.replace(/^\s*(?:[-*+]|\d+[.)])\s+/gm, ''));
      if (text.split(' ').length < MIN_WORDS) continue;
      const detected = detect(text);
      if (!detected || detected.slice(0, 2).toLowerCase() === declared) continue;
      messages.push({
        message: `Paragraph looks like "${detected}", but the article is "${declared}"`,
        hint: 'Translate the paragraph, or set `lang` if the whole article is in that language.',
        offset: block.offset,
      });
    }
    return messages;
  },
};

const MIN_WORDS = 12;

/** The commonest English words: a quarter or more of English prose, a few percent of any other language's. */
const EN_FUNCTION_WORDS = 'the and of to in is that for it with as on are be this by or an at from was not but which have has can their you your if a into about more than its they we our were been will would all one so when there what out up who how also after before over only any each most some other every per within'.split(' ');

/** Longest function word: longer tokens cannot be one. */
const MAX_FUNCTION_WORD = Math.max(...EN_FUNCTION_WORDS.map((word) => word.length));

/** A word of a–z as a number (base 27), so tokens are looked up without making a string each. */
const letterCode = (word: string) => [...word].reduce((code, letter) => code * 27 + (letter.charCodeAt(0) - 0x60), 0);
const FUNCTION_WORD_CODES = new Set(EN_FUNCTION_WORDS.map(letterCode));

/** `\s` as regular expressions see it: the separators of `split(/\s+/)`. */
function isSpace(code: number): boolean {
  return (
    code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}

/** Headings, tables, fenced and indented code: `/^(#|\||```|~~~|    |\t)/`, without a regex per block. */
function isMarkup(text: string): boolean {
  const first = text.charCodeAt(0);
  return first === 0x23 /* # */ || first === 0x7c /* | */ || first === 0x09 || text.startsWith('```') || text.startsWith('~~~') || text.startsWith('    ');
}

/**
 * At least 12 % of the whitespace-separated tokens of `lower[from, to)` are English function words
 * (the same count as `split(/\s+/)` and a set lookup per token). A character loop: splitting
 * 280,000 paragraphs into strings cost most of this rule's time over 10,000 articles. It stops
 * as soon as the share is certain: the tokens still to come are at most one per two characters.
 */
export function looksEnglish(lower: string, from: number, to: number): boolean {
  let tokens = 1;
  let common = 0;
  let code = 0;
  let length = 0;
  let letters = true;
  let inSpace = false;
  for (let index = from; index < to; index++) {
    const char = lower.charCodeAt(index);
    if (char > 0x20 && char < 0x7f) {
      // Printable ASCII, the common case: part of a token.
      inSpace = false;
      length++;
      if (letters && char >= 0x61 && char <= 0x7a && length <= MAX_FUNCTION_WORD) code = code * 27 + (char - 0x60);
      else letters = false;
      continue;
    }
    if (!isSpace(char)) {
      inSpace = false;
      length++;
      letters = false;
      continue;
    }
    if (!inSpace) {
      tokens++;
      inSpace = true;
      if (length > 0 && letters && FUNCTION_WORD_CODES.has(code)) {
        common++;
        // Each token still to come needs a space before it and a character of its own.
        if (common >= (tokens + ((to - index - 1) >> 1)) * 0.12) return true;
      }
    }
    code = 0;
    length = 0;
    letters = true;
  }
  if (length > 0 && letters && FUNCTION_WORD_CODES.has(code)) common++;
  return common >= tokens * 0.12;
}
