import { Parser, type Handler } from 'htmlparser2';

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
  const visible = new VisibleText();
  new Parser(visible, PARSER_OPTIONS).end(html);
  return visible.text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    // Each run of whitespace becomes one space. A lone space already is one, so it is left alone:
    // most of a text's whitespace is lone spaces, and replacing each costs a match and a copy.
    .replace(/\s{2,}|[^\S ]/g, ' ')
    .trim();
}

const PARSER_OPTIONS = { decodeEntities: true, recognizeCDATA: true } as const;

/** The text a reader sees, gathered from the parser's events: a space for each tag that breaks words. */
class VisibleText implements Partial<Handler> {
  text = '';
  /** How many hidden elements are open. */
  private hidden = 0;

  onopentagname(name: string): void {
    if (HIDDEN.has(name)) this.hidden++;
    if (!INLINE.has(name)) this.text += ' ';
  }

  onclosetag(name: string, implied: boolean): void {
    if (HIDDEN.has(name) && !implied) this.hidden = Math.max(0, this.hidden - 1);
    if (!INLINE.has(name)) this.text += ' ';
  }

  ontext(text: string): void {
    if (this.hidden === 0) this.text += text;
  }
}
