/**
 * Turns a feed's bytes into text in the encoding it was written in. Order of precedence, as
 * browsers and feed readers do it: a byte-order mark, then the charset from the HTTP
 * Content-Type, then the XML declaration, then UTF-8. Anything before the first `<` (a stray
 * byte, whitespace) is dropped so it cannot sink the parse.
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): string {
  const bom = encodingFromBom(bytes);
  const label = bom ?? charsetFromContentType(contentType) ?? charsetFromXmlDeclaration(bytes) ?? 'utf-8';
  const text = decodeWith(label, bytes);
  const start = text.indexOf('<');
  const body = start > 0 ? text.slice(start) : text;
  // The declaration may still name the original encoding; the text is now a JS string, so drop
  // it to stop a parser from second-guessing.
  return body.replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0"?>');
}

function encodingFromBom(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

function charsetFromContentType(contentType: string | undefined): string | undefined {
  const match = contentType?.match(/charset\s*=\s*"?([\w.:-]+)"?/i);
  return match?.[1];
}

function charsetFromXmlDeclaration(bytes: Uint8Array): string | undefined {
  // The declaration is ASCII in every encoding a feed may use, so latin1 is safe for sniffing.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 512));
  return head.match(/<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i)?.[1];
}

function decodeWith(label: string, bytes: Uint8Array): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(bytes);
}
