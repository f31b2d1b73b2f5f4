const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', hellip: '…', mdash: '—', ndash: '–',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', euro: '€', copy: '©', reg: '®', trade: '™',
};

/** Decodes HTML entities (named, decimal, hex). Unknown names stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (match, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? match;
  });
}

/**
 * Feed text as plain text: markup removed (script/style with their content), entities decoded,
 * whitespace collapsed. Feed text is untrusted; nothing of its HTML survives.
 */
export function toPlainText(html: string): string {
  // Most titles carry no markup, entity or control character: only collapse their whitespace.
  if (!/[<&\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(html)) return collapseWhitespace(html);
  // Each pass below runs only when its marker is present: ingest turns every title and summary
  // of every feed into plain text, and most summaries have tags but no CDATA or comments.
  let text = html;
  if (text.includes('<![CDATA[')) text = text.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1');
  if (text.includes('<')) {
    text = text.replace(/<(script|style|iframe|noscript)\b[\s\S]*?<\/\1\s*>/gi, ' ');
    if (text.includes('<!--')) text = text.replace(/<!--[\s\S]*?-->/g, ' ');
    text = text.replace(/<\/?[a-z][^>]*>/gi, ' ');
  }
  // Decode after stripping so that encoded markup (&lt;script&gt;) stays visible text, then strip
  // any control characters except newlines and tabs.
  if (text.includes('&')) text = decodeEntities(text);
  return collapseWhitespace(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ''));
}

/** Runs of whitespace as one space, none at the ends; text that has nothing to collapse is returned as is. */
function collapseWhitespace(text: string): string {
  return /\s\s|[^\S ]|^ | $/.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
}
