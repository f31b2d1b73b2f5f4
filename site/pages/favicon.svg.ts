/** The site icon: the niche title's initial on the accent colour, as SVG (no image file to keep). */
import type { APIRoute } from 'astro';
import { niche } from '../lib/niche.ts';

export const GET: APIRoute = () => {
  const initial = (niche.site.title.trim().charAt(0) || 'N').toUpperCase().replace(/[<>&"']/g, '');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#14171b"/><rect x="12" y="50" width="40" height="5" fill="#d9a521"/><text x="32" y="42" font-family="system-ui,sans-serif" font-size="38" font-weight="700" text-anchor="middle" fill="#e6e9ed">${initial}</text></svg>\n`;
  return new Response(svg, { headers: { 'Content-Type': 'image/svg+xml' } });
};
