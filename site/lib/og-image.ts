/**
 * The site's Open Graph / Twitter card image for pages that are not articles: the niche's own
 * (config `site.ogImage`, a PNG in the project, served as /og.png) or the bundled brand-neutral
 * default. Articles have cards of their own (./article-card.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ogDefault from '../assets/og-default.png';
import { niche } from './niche.ts';

export interface OgImage {
  /** Site-relative URL. */
  path: string;
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The configured image's bytes and size; throws a message that names the file and the fix. */
export function configuredOgImage(): { bytes: Buffer; width: number; height: number } | undefined {
  const configured = niche.site.ogImage;
  if (!configured) return undefined;
  const file = resolve(niche.root, configured);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new Error(`site.ogImage: ${configured} was not found (paths are relative to the project root, ${niche.root}); add the file or remove the setting to use the default card.`);
  }
  // The IHDR chunk follows the signature: width and height are its first two 32-bit fields.
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE) || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error(`site.ogImage: ${configured} is not a PNG file; save the card as PNG (1200×630 is what networks show best).`);
  }
  return { bytes, width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const configured = configuredOgImage();

export const ogImage: OgImage = configured
  ? { path: '/og.png', width: configured.width, height: configured.height }
  : { path: ogDefault.src, width: ogDefault.width, height: ogDefault.height };
