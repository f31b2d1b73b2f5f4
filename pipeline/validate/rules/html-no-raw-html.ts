import { nodesOfType } from '../tree-nodes.ts';
import { defineRule, type RuleMessage } from './rule.ts';

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
export const htmlNoRawHtml = defineRule({
  id: 'html/no-raw-html',
  version: 2,
  severity: 'error',
  description: 'Article bodies are markdown without raw HTML.',
  check(article) {
    const messages: RuleMessage[] = [];
    for (const node of nodesOfType(article.tree, 'html')) {
      const tag = /^<\/?([a-z][a-z0-9-]*)/i.exec(node.value)?.[1]?.toLowerCase() ?? (node.value.startsWith('<!--') ? 'comment' : 'markup');
      const dangerous = /^(script|iframe|style|object|embed|form|meta|link)$/.test(tag) || /\son\w+\s*=/i.test(node.value);
      messages.push({
        message: dangerous ? `Raw HTML <${tag}> can run code or load content on the page` : `Raw HTML <${tag}> in markdown`,
        hint: 'Remove the HTML and write it as markdown; the site strips raw HTML anyway.',
        node,
      });
    }
    return messages;
  },
});
