/**
 * /og.png: the niche's own social card (config `site.ogImage`), copied from the project at build
 * time. Without the setting no file is written and pages use the bundled default (lib/og-image.ts).
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { configuredOgImage } from '../lib/og-image.ts';

export const getStaticPaths = (() => (configuredOgImage() ? [{ params: { card: 'og' } }] : [])) satisfies GetStaticPaths;

export const GET: APIRoute = () => {
  const image = configuredOgImage()!;
  return new Response(new Uint8Array(image.bytes), { headers: { 'content-type': 'image/png' } });
};
