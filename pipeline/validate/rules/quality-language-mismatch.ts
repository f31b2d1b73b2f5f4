import { foreignLetter, functionWordHits, functionWordLanguage, hasFunctionWords, scriptRuns, scriptsOfLanguage, UNSPACED, wordsIn, wordsOf, type ScriptRun } from '../language-signals.ts';
import { matchesIn, proseOf } from '../prose.ts';
import { nodesOfType } from '../tree-nodes.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * Every paragraph and list item is in the article's declared language (`lang`, else the site's),
 * sentence by sentence.
 *
 * Models drift into another language mid-article (often the language of a quoted source), glue a
 * foreign sentence to an English one, or leave one list item untranslated; readers and search
 * engines both notice. Three signals, strongest first:
 * - letters of a script the language is not written in: a stretch of at least 4 words, or of 10
 *   characters in scripts written without spaces (Chinese, Japanese, Thai), is a foreign passage;
 *   a short term with its translation — 가상자산 (virtual assets) — is not;
 * - a sentence of 4 or more words whose function words are another language's ("los", "und");
 * - for longer sentences (12 words or more) with few of the declared language's function words,
 *   the statistical detector in the rule context, when it is sure.
 * Code, link targets and headings are not checked.
 *
 * ok:     English paragraphs in a `lang: en` article
 * not-ok: a German paragraph in a `lang: en` article
 */
export const qualityLanguageMismatch = defineRule({
  id: 'quality/language-mismatch',
  version: 2,
  severity: 'error',
  description: 'Paragraphs, list items and sentences are in the declared language.',
  options: (config) => ({ siteLanguage: config.site.language }),
  check(article, { siteLanguage }, context) {
    if (!article.frontmatter) return [];
    const declared = (article.frontmatter.lang || siteLanguage).slice(0, 2).toLowerCase();
    const allowed = scriptsOfLanguage(declared);
    const foreign = foreignLetter(allowed);
    const messages: RuleMessage[] = [];
    for (const paragraph of nodesOfType(article.tree, 'paragraph')) {
      const prose = proseOf(paragraph);
      const foreignScript = foreign.test(prose.text) ? scriptRuns(wordsIn(prose.text)).find((run) => !allowed.has(run.script) && isPassage(run)) : undefined;
      if (foreignScript) {
        messages.push({
          message: `A passage in ${foreignScript.script} script in an article declared "${declared}": "${prose.text.slice(foreignScript.start, foreignScript.end).slice(0, 40)}"`,
          hint: HINT,
          point: prose.pointAt(foreignScript.start),
        });
        continue;
      }
      for (const sentence of sentencesOf(prose.text)) {
        const words = wordsOf(sentence.text);
        if (words.length < 4) continue;
        const hits = functionWordHits(words);
        let language = functionWordLanguage(hits);
        // The detector only for long sentences that do not already read as the declared language.
        if (language === undefined && words.length >= 12 && context.detectLanguage && !(hasFunctionWords(declared) && (hits.get(declared) ?? 0) >= 2)) {
          language = context.detectLanguage(sentence.text)?.slice(0, 2).toLowerCase();
        }
        if (language === undefined || language === declared) continue;
        messages.push({ message: `A sentence in "${language}" in an article declared "${declared}": "${sentence.text.trim().slice(0, 50)}"`, hint: HINT, point: prose.pointAt(sentence.start) });
        break;
      }
    }
    return messages;
  },
});

const HINT = 'Translate it, or set `lang` if the whole article is in that language; a short foreign term can stay with its translation in brackets.';

/** Long enough to be a passage rather than a term: 4 words, or 10 characters of an unspaced script. */
function isPassage(run: ScriptRun): boolean {
  return UNSPACED.has(run.script) ? run.letters >= 10 : run.words >= 4;
}

/**
 * Sentences with their offsets: split after ".", "!", "?" (and their full-width forms) followed
 * by a space or by a capital letter glued on ("ends.Withdrawals"), and at line breaks.
 * Abbreviations ("e.g.", "U.S.") split a sentence early, which only makes the pieces shorter.
 */
function sentencesOf(text: string): Array<{ text: string; start: number }> {
  const sentences: Array<{ text: string; start: number }> = [];
  let start = 0;
  for (const match of matchesIn(text, SENTENCE_END)) {
    sentences.push({ text: text.slice(start, match.index), start });
    start = match.index + match[0].length;
  }
  sentences.push({ text: text.slice(start), start });
  return sentences.filter((sentence) => sentence.text.trim() !== '');
}

const SENTENCE_END = /(?<=[.!?。！？])(?:\s+|(?=\p{Lu}))|\n/gu;
