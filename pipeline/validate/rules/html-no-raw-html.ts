import { codeOf, inRanges } from './markdown-scan.ts';
import { type Rule } from './rule.ts';

/**
 * No raw HTML in article markdown.
 *
 * Script, iframe, style and event-handler attributes are how untrusted text turns into an
 * attack on readers; other tags break the site's layout and accessibility. Write markdown
 * instead; code samples inside backticks or fences are fine.
 *
 * ok:     Some **bold** text and `<b>` in code.
 * not-ok: <script>alert(1)</script>
 */
export const htmlNoRawHtml: Rule = {
  id: 'html/no-raw-html',
  severity: 'error',
  description: 'Article bodies are markdown without raw HTML.',
  check(article) {
    // Every tag and comment starts with "<": most bodies have none, and skip the pattern.
    if (!article.body.includes('<')) return [];
    const code = codeOf(article);
    const messages = [];
    for (const match of article.body.matchAll(/(?<!\\)<\/?([a-z][a-z0-9-]*)(\s[^>]*)?\/?>|<!--/gi)) {
      if (inRanges(match.index, code)) continue;
      const tag = (match[1] ?? 'comment').toLowerCase();
      const dangerous = /^(script|iframe|style|object|embed|form|meta|link)$/.test(tag) || /\son\w+\s*=/i.test(match[2] ?? '');
      messages.push({
        message: dangerous ? `Raw HTML <${tag}> can run code or load content on the page` : `Raw HTML <${tag}> in markdown`,
        hint: 'Remove the HTML and write it as markdown; the site strips raw HTML anyway.',
        offset: match.index,
      });
    }
    return messages;
  },
};
