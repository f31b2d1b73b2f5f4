import { charsetFromContentType, encodingFromBom } from '../lib/text-encoding.ts';

/**
 * Bytes of an HTML page to text, in the page's own encoding: the byte-order mark, then the HTTP
 * charset, then a `<meta>` declaration in the first 1,024 bytes (the order browsers use), else
 * UTF-8. An unknown label falls back to UTF-8 rather than failing the page.
 */
export function decodeHtml(bytes: Uint8Array, contentType: string | null): string {
  const label = encodingFromBom(bytes) ?? charsetFromContentType(contentType) ?? metaCharset(bytes) ?? 'utf-8';
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function metaCharset(bytes: Uint8Array): string | undefined {
  // Latin-1 maps every byte to one character, so ASCII markup reads the same in any encoding.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  const match = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head);
  return match?.[1]?.toLowerCase();
}
