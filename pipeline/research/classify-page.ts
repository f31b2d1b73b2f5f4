import type { ExtractedArticle } from './extract-article.ts';
import type { UnreadReason } from './fetch-page.ts';

/**
 * Pages that answered but hold no article: a bot wall's challenge, a paywall's teaser, an empty
 * shell. Told apart by what the visitor would read, never by site-specific rules. Such a page is
 * not read; its item falls back to the feed text.
 */

const CHALLENGE = /\b(just a moment|checking (?:your|if the site connection is) (?:browser|secure)|verify(?:ing)? (?:you are|that you are) (?:a )?human|enable javascript and cookies to continue|attention required|are you a robot|captcha)\b/i;
const PAYWALL =
  /\b(subscribe (?:now )?to (?:continue|read|keep reading|unlock)|already a (?:subscriber|member)\?|(?:sign|log) in to (?:continue|read|keep reading)|this (?:article|story|content) is (?:for|available to|reserved for) (?:paid )?(?:subscribers|members)|become a (?:subscriber|member) to read|to continue reading)\b/i;

/** Fewer words than this is a teaser or a shell, not an article to learn from. */
export const MIN_ARTICLE_WORDS = 80;

export function isBotChallenge(pageText: string): boolean {
  // A real article may mention a captcha; a challenge page is short and says little else.
  return pageText.split(' ').length < 400 && CHALLENGE.test(pageText);
}

export function unreadableReason(article: ExtractedArticle): { reason: UnreadReason; detail: string } | undefined {
  if (isBotChallenge(article.pageText)) return { reason: 'bot-challenge', detail: 'the page is a bot challenge' };
  const words = article.paragraphs.join(' ').split(' ').filter(Boolean).length;
  if (words >= MIN_ARTICLE_WORDS) return undefined;
  if (PAYWALL.test(article.pageText)) return { reason: 'paywall', detail: `a paywall teaser (${words} words of article text)` };
  return { reason: 'no-article-text', detail: `only ${words} words of article text` };
}
