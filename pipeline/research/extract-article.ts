import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

/**
 * The article text of a page, as paragraphs, with Readability (`@mozilla/readability`, a
 * browser's reader view as a library) over linkedom's DOM: it scores the DOM to find the
 * article and drops navigation, bylines, share bars, "trending" lists and footers.
 *
 * Comment threads are removed before Readability sees the page, and not left to its scoring: a
 * thread inside `<article>` can score as content, and comment text is the classic way to plant
 * instructions for a language model. Only the semantic markers a comment section carries are used
 * (its id or class, a Comment microdata type, ARIA labels), never site-specific rules.
 */

export interface ExtractedArticle {
  title: string;
  /** Paragraph, list-item, quotation and heading texts, in page order, white space normalised. */
  paragraphs: string[];
  /** What Readability found as the byline; kept out of the paragraphs, never sent to a prompt. */
  byline: string | undefined;
  /** The page's visible text before extraction, for telling a challenge or paywall stub. */
  pageText: string;
}

const NOT_ARTICLE = [
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'form',
  'nav',
  'footer',
  '[role="navigation"]',
  '[role="contentinfo"]',
  '[role="dialog"]',
  '[aria-modal="true"]',
  '[itemtype*="schema.org/Comment" i]',
  '[id*="comment" i]',
  '[class*="comment" i]',
  '[id*="disqus" i]',
  '[aria-label*="comment" i]',
  '[id*="cookie" i]',
  '[class*="cookie" i]',
  '[id*="consent" i]',
  '[class*="consent" i]',
];

const BLOCKS = 'p, li, blockquote, h2, h3, h4, pre, td';

export function extractArticle(html: string): ExtractedArticle {
  const { document } = parseHTML(html);
  const pageText = normalise(document.body?.textContent ?? document.documentElement?.textContent ?? '');
  for (const element of [...document.querySelectorAll(NOT_ARTICLE.join(', '))]) element.remove();
  const title = normalise(document.querySelector('title')?.textContent ?? '');

  // Readability needs a base URL to resolve links; linkedom has no `documentURI` of its own.
  const parsed = new Readability(document as unknown as Document, { charThreshold: 200, keepClasses: false }).parse();
  if (!parsed?.content) return { title, paragraphs: [], byline: undefined, pageText };
  const { document: article } = parseHTML(`<!doctype html><html><body>${parsed.content}</body></html>`);
  const paragraphs: string[] = [];
  for (const block of [...article.querySelectorAll(BLOCKS)]) {
    // A block inside another block (a <p> in a <li> or <blockquote>) is read with its parent.
    if (block.parentElement?.closest(BLOCKS)) continue;
    const text = normalise(block.textContent ?? '');
    if (text && !paragraphs.includes(text)) paragraphs.push(text);
  }
  return { title: normalise(parsed.title ?? '') || title, paragraphs, byline: parsed.byline ?? undefined, pageText };
}

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
