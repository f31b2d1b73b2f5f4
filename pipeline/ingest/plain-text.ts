const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', hellip: '…', mdash: '—', ndash: '–',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', euro: '€', copy: '©', reg: '®', trade: '™',
};

/** Decodes HTML entities (named, decimal, hex). Unknown names stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (match, body: string) => decodeEntity(body) ?? match);
}

/** The text of one entity, its body being what stands between `&` and `;`; undefined when it is not one we know. */
function decodeEntity(body: string): string | undefined {
  if (body[0] === '#') {
    const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
  }
  // Own names only: "&constructor;" is not Object.prototype.constructor.
  const name = body.toLowerCase();
  return Object.hasOwn(NAMED_ENTITIES, name) ? NAMED_ENTITIES[name] : undefined;
}

/**
 * Feed text as plain text: markup removed (script/style with their content), entities decoded,
 * whitespace collapsed. Feed text is untrusted; nothing of its HTML survives.
 */
export function toPlainText(html: string): string {
  // Most titles carry no markup, entity or control character: only collapse their whitespace.
  if (!/[<&\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(html)) return collapseWhitespace(html);
  // Most summaries are plain tags and entities: one pass does it (see scanPlainText). CDATA,
  // comments and script-like blocks take the pipeline of replacements below.
  if (!/<!|<(?:script|style|iframe|noscript)\b/i.test(html)) return scanPlainText(html);
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

/**
 * toPlainText for text without CDATA, comments or script-like blocks, in one pass instead of four
 * replacements and a trim: each tag (`<` or `</`, a letter, up to the next `>`) counts as
 * whitespace, each entity is decoded, control characters are dropped and whitespace runs become
 * one space, none at the ends — the same steps in the same order, so the same text: a decoded
 * entity is never read as markup or as another entity, but is subject to the control-character
 * and whitespace rules.
 *
 * The text is copied in runs: visible characters and single spaces between them go to the output
 * as one slice. The pieces are joined rather than concatenated: a concatenation of slices would
 * keep the whole feed document they were cut from alive for as long as the item lives.
 */
function scanPlainText(html: string): string {
  const length = html.length;
  const parts: string[] = [];
  /** Whether anything visible has gone out: leading whitespace is dropped. */
  let started = false;
  /** Start of the run being copied, or -1. A run holds visible characters and single spaces. */
  let run = -1;
  /** Whitespace was seen since the last visible character: a space goes out before the next one. */
  let space = false;
  // Ends the run at `end`; a space it ends with is owed rather than copied.
  const endRun = (end: number) => {
    if (run === -1) return;
    if (html.charCodeAt(end - 1) === 0x20) {
      end--;
      space = true;
    }
    parts.push(html.slice(run, end));
    run = -1;
  };
  let index = 0;
  while (index < length) {
    const code = html.charCodeAt(index);
    if (code === 0x3c) {
      // A tag: `<`, an optional `/`, a letter, anything up to the next `>`.
      const name = html.charCodeAt(index + 1) === 0x2f ? index + 2 : index + 1;
      const close = isAsciiLetter(html.charCodeAt(name)) ? html.indexOf('>', name + 1) : -1;
      if (close !== -1) {
        endRun(index);
        space = true;
        index = close + 1;
        continue;
      }
    } else if (code === 0x26) {
      const end = entityEnd(html, index);
      const decoded = end === -1 ? undefined : decodeEntity(html.slice(index + 1, end));
      if (decoded !== undefined) {
        endRun(index);
        for (let at = 0; at < decoded.length; at++) {
          const unit = decoded.charCodeAt(at);
          if (isControl(unit)) continue;
          if (isWhitespace(unit)) {
            space = true;
            continue;
          }
          if (space && started) parts.push(' ');
          space = false;
          started = true;
          parts.push(decoded[at]!);
        }
        index = end + 1;
        continue;
      }
      // Not an entity: its characters are plain text.
    } else if (isControl(code)) {
      endRun(index);
      index++;
      continue;
    } else if (isWhitespace(code)) {
      // A single space after a visible character may stay in the run.
      if (code !== 0x20 || run === -1 || html.charCodeAt(index - 1) === 0x20) {
        endRun(index);
        space = true;
      }
      index++;
      continue;
    }
    if (run === -1) {
      if (space && started) parts.push(' ');
      space = false;
      started = true;
      run = index;
    }
    // Within a run, go straight to the next character that needs a look (a native search rather
    // than this loop): a double space is found at its first space.
    NEEDS_A_LOOK.lastIndex = index + 1;
    index = NEEDS_A_LOOK.test(html) ? NEEDS_A_LOOK.lastIndex - (html.charCodeAt(NEEDS_A_LOOK.lastIndex - 1) === 0x20 ? 2 : 1) : length;
  }
  endRun(length);
  return parts.join('');
}

/** What ends a run: markup, an entity, a control character, whitespace other than a single space. */
const NEEDS_A_LOOK = /[<&\u0000-\u001f\u007f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]| {2}/g;

/**
 * The index of the `;` ending the entity at `start` (an `&`), or -1: as `&(#x[0-9a-f]+|#[0-9]+|[a-z]+);`
 * (case-insensitive) matches there. None of those alternatives can end early, so the longest run
 * of its characters must be followed by `;`.
 */
function entityEnd(text: string, start: number): number {
  let at = start + 1;
  let first: number;
  if (text.charCodeAt(at) === 0x23) {
    at++;
    if ((text.charCodeAt(at) | 0x20) === 0x78) {
      first = ++at;
      while (isHexDigit(text.charCodeAt(at))) at++;
    } else {
      first = at;
      while (isDigit(text.charCodeAt(at))) at++;
    }
  } else {
    first = at;
    while (isAsciiLetter(text.charCodeAt(at))) at++;
  }
  return at > first && text.charCodeAt(at) === 0x3b ? at : -1;
}

function isAsciiLetter(code: number): boolean {
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x7a;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isHexDigit(code: number): boolean {
  const lower = code | 0x20;
  return isDigit(code) || (lower >= 0x61 && lower <= 0x66);
}

/** [\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]: the control characters plain text drops. */
function isControl(code: number): boolean {
  return (code <= 0x1f && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f;
}

/** What `\s` matches (and `trim` removes). */
function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 ||
    code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}
