/**
 * The rules an email's HTML must keep to reach an inbox intact. Checked on the final (inlined)
 * HTML of every issue, so a change to the template or an unusually long issue is caught at
 * render time, not by a reader.
 */

/** Gmail clips a message whose HTML exceeds about 102 KB; stay well under it. */
export const EMAIL_MAX_BYTES = 90 * 1024;

export interface EmailProblem {
  kind: 'size' | 'markup';
  message: string;
}

export function checkEmailHtml(html: string, options: { allowedPlaceholders: readonly string[] }): EmailProblem[] {
  const problems: EmailProblem[] = [];
  const bytes = Buffer.byteLength(html, 'utf8');
  if (bytes >= EMAIL_MAX_BYTES) problems.push({ kind: 'size', message: `${bytes} bytes` });
  if (/<script\b/i.test(html)) problems.push({ kind: 'markup', message: 'contains a <script> element; email clients strip scripts' });
  if (/<link\b[^>]*\bstylesheet\b/i.test(html) || /@import\b/i.test(html)) {
    problems.push({ kind: 'markup', message: 'loads an external stylesheet; email clients do not fetch stylesheets, so inline the CSS' });
  }
  for (const match of html.matchAll(/\s(href|src)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
    const value = decodeAttribute(match[3] ?? match[4] ?? match[5] ?? '');
    if (options.allowedPlaceholders.includes(value)) continue;
    if (!/^(https?:\/\/[^/\s]+|mailto:\S+@\S+)/i.test(value)) {
      problems.push({ kind: 'markup', message: `${match[1]!.toLowerCase()}="${value}" is not an absolute http(s) or mailto: link` });
    }
  }
  return problems;
}

function decodeAttribute(value: string): string {
  // &amp; last, so `&amp;lt;` stays the text `&lt;`.
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
