import { createHash } from 'node:crypto';

/**
 * A MIME multipart/alternative message (RFC 2045–2047, 5322): a plain-text part and an HTML
 * part, both UTF-8 and quoted-printable, ready for any SMTP tool (`sendmail -t < issue.eml`,
 * swaks, an ESP's "import .eml"). Small enough to write by hand; what matters is done right:
 * CRLF line ends, lines within 76 characters, non-ASCII headers as encoded words, no header
 * injection, and a boundary that cannot occur in the encoded parts.
 */
export interface MimeInput {
  /** `Display Name <address@example.com>` or a bare address. */
  from: string;
  subject: string;
  date: Date;
  /** Without the angle brackets: `issue-3.abc123@example.com`. */
  messageId: string;
  /** Further headers in order, e.g. List-Unsubscribe. Values are single-line. */
  headers: Array<[name: string, value: string]>;
  text: string;
  html: string;
}

const CRLF = '\r\n';
const MAX_LINE = 76;

export function buildMimeMessage(input: MimeInput): string {
  const text = quotedPrintable(input.text);
  const html = quotedPrintable(input.html);
  // "=_" never occurs in quoted-printable output ("=" is always followed by hex digits or a
  // line break there), so this boundary cannot collide with the content.
  const boundary = `=_np_${createHash('sha256').update(text).update(html).digest('hex').slice(0, 24)}`;
  const headers: Array<[string, string]> = [
    ['From', encodeAddress(input.from)],
    ['Subject', encodeUnstructured(input.subject)],
    ['Date', rfc5322Date(input.date)],
    ['Message-ID', `<${singleLine(input.messageId)}>`],
    ...input.headers.map(([name, value]): [string, string] => [name, singleLine(value)]),
    ['MIME-Version', '1.0'],
    ['Content-Type', `multipart/alternative; boundary="${boundary}"`],
  ];
  const part = (type: string, body: string) =>
    [`--${boundary}`, `Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: quoted-printable', '', body].join(CRLF);
  return [
    ...headers.map(([name, value]) => foldHeader(`${checkName(name)}: ${value}`)),
    '',
    'This is a multi-part message in MIME format.',
    '',
    part('text/plain', text),
    part('text/html', html),
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

/** RFC 2045 §6.7 quoted-printable of UTF-8 text; line breaks become CRLF hard breaks. */
export function quotedPrintable(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => {
      const bytes = Buffer.from(line, 'utf8');
      const tokens: string[] = [];
      bytes.forEach((byte, index) => {
        const last = index === bytes.length - 1;
        const printable = byte >= 33 && byte <= 126 && byte !== 61;
        const blank = (byte === 32 || byte === 9) && !last; // trailing blanks would be stripped in transit
        tokens.push(printable || blank ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`);
      });
      // Soft breaks ("=" at line end) keep every line within 76 characters; an escape is never split.
      const lines: string[] = [];
      let current = '';
      for (const token of tokens) {
        if (current.length + token.length > MAX_LINE - 1) {
          lines.push(`${current}=`);
          current = '';
        }
        current += token;
      }
      lines.push(current);
      return lines.join(CRLF);
    })
    .join(CRLF);
}

/** Header text as is when it is printable ASCII, otherwise RFC 2047 encoded words (UTF-8, base64). */
export function encodeUnstructured(value: string): string {
  const clean = singleLine(value);
  if (/^[\x20-\x7e]*$/.test(clean)) return clean;
  // Each encoded word holds whole characters and stays within 75 characters (RFC 2047 §2).
  const words: string[] = [];
  let chunk = '';
  for (const character of clean) {
    if (encodedWord(chunk + character).length > 75) {
      words.push(encodedWord(chunk));
      chunk = '';
    }
    chunk += character;
  }
  if (chunk) words.push(encodedWord(chunk));
  return words.join(' ');
}

function encodedWord(text: string): string {
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** `Name <a@b>`: the display name quoted or encoded as needed, the address left as it is. */
function encodeAddress(value: string): string {
  const match = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(singleLine(value));
  if (!match) return singleLine(value).trim();
  const [, name = '', address] = match;
  if (!name) return `<${address}>`;
  const unquoted = name.replace(/^"(.*)"$/, '$1');
  if (!/^[\x20-\x7e]*$/.test(unquoted)) return `${encodeUnstructured(unquoted)} <${address}>`;
  return `"${unquoted.replace(/(["\\])/g, '\\$1')}" <${address}>`;
}

/** `Sun, 01 Nov 2026 09:00:00 +0000` */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** A value from config or an article must not add headers of its own (CR/LF injection). */
function singleLine(value: string): string {
  return value.replace(/[\r\n]+\s*/g, ' ');
}

function checkName(name: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(name)) throw new TypeError(`buildMimeMessage: invalid header name ${JSON.stringify(name)}`);
  return name;
}

/** Folds a header line at spaces so lines stay within 78 characters where possible (RFC 5322 §2.2.3). */
function foldHeader(line: string): string {
  if (line.length <= 78) return line;
  const out: string[] = [];
  let current = '';
  for (const piece of line.split(/(?= )/)) {
    if (current && current.length + piece.length > 78) {
      out.push(current);
      current = piece;
    } else {
      current += piece;
    }
  }
  out.push(current);
  return out.join(CRLF);
}
