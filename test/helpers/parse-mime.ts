/**
 * A strict reader for the MIME messages nichepress writes (test helper): it fails on what a
 * mail server would choke on (bare LF, lines over 998 characters, a missing boundary) and decodes
 * headers (RFC 2047 B and Q words) and quoted-printable bodies independently of the writer.
 */
export interface ParsedPart {
  headers: Map<string, string>;
  body: string;
}

export interface ParsedMessage {
  headers: Map<string, string>;
  /** Header names in order, as written. */
  headerNames: string[];
  parts: ParsedPart[];
  raw: string;
}

export function parseMime(raw: string): ParsedMessage {
  if (/(?<!\r)\n/.test(raw)) throw new Error('bare LF line ending');
  if (/\r(?!\n)/.test(raw)) throw new Error('bare CR');
  for (const line of raw.split('\r\n')) if (line.length > 998) throw new Error(`line over 998 characters: ${line.slice(0, 40)}…`);
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) throw new Error('no blank line after the headers');
  const { headers, names } = parseHeaders(raw.slice(0, split));
  const type = headers.get('content-type') ?? '';
  const boundary = /boundary="([^"]+)"/.exec(type)?.[1];
  if (!boundary) throw new Error(`no boundary in Content-Type: ${type}`);
  const body = raw.slice(split + 4);
  const end = body.indexOf(`\r\n--${boundary}--`);
  if (end < 0) throw new Error('no closing boundary');
  // The CRLF before each delimiter belongs to the delimiter (RFC 2046 §5.1.1): keep it on every
  // chunk, the last included, and strip it from each one alike.
  const chunks = body.slice(0, end + 2).split(`--${boundary}\r\n`).slice(1);
  const parts = chunks.map((chunk) => {
    const at = chunk.indexOf('\r\n\r\n');
    const partHeaders = parseHeaders(chunk.slice(0, at)).headers;
    let content = chunk.slice(at + 4).replace(/\r\n$/, '');
    if (partHeaders.get('content-transfer-encoding')?.toLowerCase() === 'quoted-printable') content = decodeQuotedPrintable(content);
    return { headers: partHeaders, body: content };
  });
  return { headers, headerNames: names, parts, raw };
}

function parseHeaders(block: string): { headers: Map<string, string>; names: string[] } {
  // Unfold: CRLF followed by whitespace continues the previous line.
  const lines = block.replace(/\r\n(?=[ \t])/g, '').split('\r\n');
  const headers = new Map<string, string>();
  const names: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`malformed header line: ${line}`);
    const name = line.slice(0, colon);
    names.push(name);
    headers.set(name.toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, names };
}

function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_match, charset: string, encoding: string, text: string) => {
      if (charset.toLowerCase() !== 'utf-8') throw new Error(`unexpected charset ${charset}`);
      const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : Buffer.from(decodeQ(text), 'latin1');
      return bytes.toString('utf8');
    });
}

function decodeQ(text: string): string {
  return text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function decodeQuotedPrintable(text: string): string {
  const lines = text.split('\r\n');
  for (const line of lines) if (line.length > 76) throw new Error(`quoted-printable line over 76 characters: ${line}`);
  const joined = text.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let index = 0; index < joined.length; index++) {
    const character = joined[index]!;
    if (character === '=') {
      const hex = joined.slice(index + 1, index + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) throw new Error(`bad escape =${hex}`);
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(character.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8').replace(/\r\n/g, '\n');
}
