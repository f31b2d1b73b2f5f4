import type { Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import type { LoadedArticle } from '../archive/archive.ts';
import type { ResolvedConfig } from '../config/niche-config.ts';
import { claimsOf, indexSource, isStated, normaliseText } from '../research/ground-claims.ts';
import { linksOf } from '../validate/markdown-links.ts';
import { parseMarkdown } from '../lib/markdown-tree.ts';
import { complianceNoPromises } from '../validate/rules/compliance-no-promises.ts';
import { qualityAssistantResidue } from '../validate/rules/quality-assistant-residue.ts';
import type { ParsedArticle } from '../validate/rules/rule.ts';
import { reasonInIssue } from './issue-reasons.ts';

/**
 * A model's newsletter intro is untrusted text that goes into every subscriber's inbox and onto
 * the site, so it is checked like the articles' model output before it is used, and refused
 * (the extractive intro is used instead) when it breaks a rule of prompts/newsletter-intro.md:
 *
 * - one plain paragraph: no links or bare URLs, no HTML, no headings, lists or second paragraph
 *   (emphasis marks are dropped: they change no word);
 * - short: at most MAX_SENTENCES sentences, MAX_WORDS words and MAX_CHARS characters — the prompt
 *   asks for 2–3 sentences and 80 words; the margin is for sentence splitting ("e.g.") and
 *   languages with longer words, not for a longer intro;
 * - statements: no question to the reader, no exclamation mark (quoted words aside);
 * - no hype words (HYPE, and the niche's `voice.avoidWords`), no promise language where the
 *   niche's `compliance/no-promises` rule is on, no assistant residue ("Sure! Here is…");
 * - no claim the issue's articles do not make: every figure, date, name and quotation must be
 *   stated in an article of the issue (its title, description, takeaways, body, sources'
 *   publishers) or in why it is in the issue.
 *
 * Control, bidirectional and zero-width characters are removed first: they can hide text from
 * whoever reads the email before it is sent.
 */

const MIN_CHARS = 20;
const MAX_CHARS = 700;
const MAX_WORDS = 100;
const MAX_SENTENCES = 4;

/** Words that sell instead of inform, in any niche. */
const HYPE =
  /(?<![\p{L}\p{N}])(?:game[- ]chang(?:er|ers|ing)|revolution(?:ary|i[sz]e[sd]?|i[sz]ing)|groundbreaking|skyrocket(?:s|ed|ing)?|explosive|mind[- ]blowing|jaw[- ]dropping|must[- ](?:read|see|know)|don['’]t miss|unmissable|incredible|amazing|exciting|thrilling|unbelievable|breathtaking|to the moon|moonshot|next big thing|once[- ]in[- ]a[- ]lifetime|hottest|blockbuster)(?![\p{L}\p{N}])/giu;

/** Characters that are invisible or reorder text on screen; nothing an intro needs. */
const HIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** A URL-like token remark does not autolink (`javascript:…`, `data:…`, `ftp://…`). */
const SCHEME = /(?<![\p{L}\p{N}])(?:https?|ftp|javascript|data|vbscript|file|mailto):\S/iu;

export type IntroCheck = { ok: true; text: string } | { ok: false; problems: string[] };

export function checkIntro(answer: string, articles: readonly LoadedArticle[], config: ResolvedConfig): IntroCheck {
  const cleaned = answer.normalize('NFC').replace(HIDDEN, '').trim();
  if (cleaned.length < MIN_CHARS) return { ok: false, problems: ['the answer was empty or too short'] };

  const tree = parseMarkdown(cleaned);
  const problems: string[] = [];
  if (linksOf(tree).length > 0 || SCHEME.test(cleaned)) problems.push('it contains a link');
  if (hasNode(tree, 'html')) problems.push('it contains HTML');
  const [first, ...others] = tree.children;
  if (!first || first.type !== 'paragraph' || others.length > 0) problems.push('it is not one plain paragraph');

  const text = tree.children.map((node: RootContent) => toString(node)).join(' ').replace(/\s+/g, ' ').trim();
  const sentences = [...new Intl.Segmenter(config.site.language, { granularity: 'sentence' }).segment(text)].filter(({ segment }) => segment.trim());
  const words = text.split(' ').filter(Boolean).length;
  if (sentences.length > MAX_SENTENCES || words > MAX_WORDS || text.length > MAX_CHARS) {
    problems.push(`it is too long (${sentences.length} sentences, ${words} words; at most ${MAX_SENTENCES} and ${MAX_WORDS})`);
  }
  const unquoted = withoutQuotations(text);
  if (unquoted.includes('?')) problems.push('it asks the reader a question');
  if (unquoted.includes('!')) problems.push('it uses an exclamation mark');

  const hype = [...text.matchAll(HYPE)].map((match) => match[0]);
  const avoided = config.voice.avoidWords.filter((word) => wordPattern(word).test(text));
  const flagged = [...new Set([...hype, ...avoided].map((word) => word.toLowerCase()))];
  if (flagged.length > 0) problems.push(`it uses hype or words the site avoids (${flagged.map((word) => `"${word}"`).join(', ')})`);

  const asArticle: ParsedArticle = { file: 'newsletter intro', text: cleaned, frontmatter: undefined, tree };
  if (config.validate.rules[complianceNoPromises.id] !== 'off') {
    const promises = complianceNoPromises.check(asArticle, undefined, {});
    if (promises.length > 0) problems.push(`it makes a promise (${promises.map((message) => message.message).join('; ')})`);
  }
  const residue = qualityAssistantResidue.check(asArticle, undefined, {});
  if (residue.length > 0) problems.push(`it talks to the requester, not the reader (${residue[0]!.message})`);

  const ownNames = [config.site.title, config.newsletter.title].filter((name): name is string => Boolean(name));
  const unsupported = unsupportedClaims(sentences.map(({ segment }) => segment), articles, ownNames);
  if (unsupported.length > 0) problems.push(`it states what no article of the issue does (${unsupported.join(', ')})`);

  return problems.length > 0 ? { ok: false, problems } : { ok: true, text };
}

/** Claims are read sentence by sentence: across a full stop, "March. It" is not a name. */
function unsupportedClaims(sentences: readonly string[], articles: readonly LoadedArticle[], ownNames: readonly string[]): string[] {
  const source = indexSource(
    articles
      .flatMap((article, position) => [
        article.frontmatter.title,
        article.frontmatter.description,
        ...article.frontmatter.keyTakeaways,
        article.body,
        ...article.frontmatter.sources.map((entry) => entry.publisher ?? ''),
        reasonInIssue(articles, position),
      ])
      .join('\n'),
  );
  // The site and its newsletter may name themselves.
  const ignored = new Set(ownNames.map((name) => normaliseText(name).trim()));
  return sentences
    .flatMap((sentence) => claimsOf(sentence, ignored))
    .filter((claim) => !isStated(claim, source))
    .map((claim) => `${claim.kind} "${claim.text}"`);
}

function hasNode(tree: Root, type: string): boolean {
  let found = false;
  visit(tree, type, () => {
    found = true;
  });
  return found;
}

/** The text without what it quotes: a quoted question is the source's, not the intro's. */
function withoutQuotations(text: string): string {
  return text.replace(/“[^”]*”|"[^"]*"|«[^»]*»|„[^“”]*[“”]/g, '');
}

/** Whole words, any case; a space matches any run of white space. */
function wordPattern(word: string): RegExp {
  const escaped = word.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu');
}
