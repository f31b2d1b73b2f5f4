/**
 * The niche config as the site sees it: loaded once per build (top-level await) with the same
 * environment variables as astro.config.mjs, plus small helpers the pages share.
 *
 * Plain TypeScript, no `astro:content` import: content.config.ts imports this module, and it is
 * evaluated before the content layer exists. Article helpers live in ./articles.ts.
 */
import { resolve } from 'node:path';
import { loadConfig, type ResolvedConfig } from '../../pipeline/config/niche-config.ts';
import { readerDateFormatter } from '../../pipeline/lib/reader-date.ts';
import type { AffiliateProgram } from '../../pipeline/schema/affiliate.ts';

export const niche: ResolvedConfig = await loadConfig({
  root: resolve(process.env.NICHEPRESS_ROOT || process.cwd()),
  configPath: process.env.NICHEPRESS_CONFIG || undefined,
});

/**
 * The build's notion of "now": articles published after it are not built. The sample config
 * pins it (`clock:`) so builds are reproducible; without it the real time is used.
 */
export const buildClock: Date = niche.clock ?? new Date();

/** The affiliate registry from the config, by id. */
export const affiliatePrograms: ReadonlyMap<string, AffiliateProgram> = new Map(
  niche.affiliates.map((program) => [program.id, program]),
);

export function affiliateProgram(id: string): AffiliateProgram | undefined {
  return affiliatePrograms.get(id);
}


/** A date for people: the one format of the site and the email (see pipeline/lib/reader-date.ts). */
export const formatDate: (date: Date) => string = readerDateFormatter(niche.site.language, niche.schedule.timezone);

/** Site-absolute path with a trailing slash (the site is built with trailingSlash: 'always'). */
export function articlePath(id: string): string {
  return `/articles/${id}/`;
}

