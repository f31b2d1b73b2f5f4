import { blocksOf, lowerOf, plainWords, type Rule, type RuleContext } from './rule.ts';

/**
 * Every paragraph is in the article's declared language (`lang`, else the site's).
 *
 * Models drift into another language mid-article (often the language of a quoted source), and
 * translated scraps slip in; readers and search engines both notice. Detection comes from the
 * detector in the rule context (tinyld by default, see pipeline/lib/language-detector.ts);
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
      if (/^(#|\||```|~~~|    |\t)/.test(block.text)) continue;
      // Statistical detection costs ~0.2 ms a paragraph (half a minute over 10,000 articles); an
      // English paragraph is recognised far cheaper by its function words, and only the rest goes
      // to the detector. The verdict on any other paragraph is still the detector's.
      if (declared === 'en') {
        // Slices of the shared lower-cased body, unless lower-casing changed lengths (rare letters).
        const lowered = lower.length === article.body.length ? lower.slice(block.offset, block.offset + block.text.length) : block.text.toLowerCase();
        const tokens = lowered.split(/\s+/);
        let common = 0;
        for (const token of tokens) if (EN_FUNCTION_WORDS.has(token)) common++;
        if (common >= tokens.length * 0.12) continue;
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
const EN_FUNCTION_WORDS = new Set(
  'the and of to in is that for it with as on are be this by or an at from was not but which have has can their you your if a into about more than its they we our were been will would all one so when there what out up who how also after before over only any each most some other every per within'.split(' '),
);
