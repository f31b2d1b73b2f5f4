import { charsetFromContentType, encodingFromBom } from '../lib/text-encoding.ts';

/**
 * Turns a feed's bytes into text in the encoding it was written in.
 *
 * Precedence: a byte-order mark (it cannot lie), then the charset of the HTTP Content-Type, then
 * the XML declaration, then UTF-8. Servers often send `charset=utf-8` for files that are not, so
 * when the chosen encoding is UTF-8 and the bytes are not valid UTF-8, the XML declaration's
 * encoding is tried, then windows-1252 (what "Latin-1" text almost always really is).
 * Anything before the first `<` or `{` (a stray byte, whitespace) is dropped so it cannot sink
 * the parse.
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): string {
  const declared = charsetFromXmlDeclaration(bytes);
  /** The XML declaration names an encoding other than UTF-8. */
  const declaresOther = declared !== undefined && !UTF_8.test(declared);
  const label = encodingFromBom(bytes) ?? charsetFromContentType(contentType) ?? declared ?? 'utf-8';
  let text = decodeWith(label, bytes);
  if (text === undefined) {
    const fallback = declaresOther ? declared : 'windows-1252';
    text = decodeWith(fallback, bytes) ?? new TextDecoder('windows-1252').decode(bytes);
  }
  const start = text.search(/[<{]/);
  const body = start > 0 ? text.slice(start) : text;
  // A declaration naming another encoding is wrong about the text, which is now a JS string:
  // it is dropped so no parser second-guesses. (A UTF-8 one is left alone: replacing it would
  // copy the whole document.)
  return declaresOther ? body.replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0"?>') : body;
}

const UTF_8 = /^utf-?8$/i;

function charsetFromXmlDeclaration(bytes: Uint8Array): string | undefined {
  // The declaration is ASCII in every encoding a feed may use, so latin1 is safe for sniffing.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 512));
  return head.match(/<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i)?.[1];
}

/** Decoded text, or undefined when UTF-8 was asked for and the bytes are not UTF-8. */
function decodeWith(label: string, bytes: Uint8Array): string | undefined {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: UTF_8.test(label) });
  } catch {
    // An unknown label: UTF-8, checked.
    return decodeWith('utf-8', bytes);
  }
  try {
    // stream: a body cut off at the byte cap may end inside a character; that tail is dropped.
    return decoder.decode(bytes, { stream: true });
  } catch {
    return undefined;
  }
}
