/** ads.txt, generated from the `ads:` section of the niche config (comments only while ads are off). */
import type { APIRoute } from 'astro';
import { adsTxt } from '../lib/ads.ts';
import { niche } from '../lib/niche.ts';

export const GET: APIRoute = () => new Response(adsTxt(niche.ads), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
