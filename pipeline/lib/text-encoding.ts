/**
 * Where bytes fetched over HTTP say their encoding, shared by feeds and pages: a byte-order mark
 * (it cannot lie) and the charset of the Content-Type header. Each caller adds what its format
 * declares inside the document (an XML declaration, an HTML `<meta>`).
 */

/** The encoding a byte-order mark names, if the bytes start with one. */
export function encodingFromBom(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** The `charset` of a Content-Type header value, lower-cased (encoding labels are case-insensitive). */
export function charsetFromContentType(contentType: string | null | undefined): string | undefined {
  return /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
}
