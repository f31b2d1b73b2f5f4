import { Parser } from 'htmlparser2';

/** Elements whose content is never text a reader sees. */
const HIDDEN = new Set(['script', 'style', 'iframe', 'noscript', 'template', 'head', 'title', 'object']);
/** Elements inside a line of text: they do not separate words ("<em>here</em>." reads "here."). */
const INLINE = new Set(['a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'dfn', 'em', 'font', 'i', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var']);

/**
 * Feed text (HTML, or plain text with entities) as plain text: markup removed, script-like blocks
 * with their content, every HTML entity decoded, control characters dropped, whitespace
 * collapsed. Feed text is untrusted; nothing of its HTML survives. Tags other than inline ones
 * count as word breaks, so "<p>one</p><p>two</p>" reads "one two". Encoded markup
 * ("&lt;script&gt;") is text, and stays.
 */
export function toPlainText(html: string): string {
  const pieces: string[] = [];
  let hidden = 0;
  const parser = new Parser(
    {
      onopentagname: (name) => {
        if (HIDDEN.has(name)) hidden++;
        if (!INLINE.has(name)) pieces.push(' ');
      },
      onclosetag: (name, implied) => {
        if (HIDDEN.has(name) && !implied) hidden = Math.max(0, hidden - 1);
        if (!INLINE.has(name)) pieces.push(' ');
      },
      ontext: (text) => {
        if (hidden === 0) pieces.push(text);
      },
    },
    { decodeEntities: true, recognizeCDATA: true },
  );
  parser.end(html);
  return pieces
    .join('')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
