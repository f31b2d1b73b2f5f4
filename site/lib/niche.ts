/**
 * The niche config as the site sees it: loaded once per build (top-level await) with the same
 * environment variables as astro.config.mjs, plus small helpers the pages share.
 *
 * Plain TypeScript, no `astro:content` import: content.config.ts imports this module, and it is
 * evaluated before the content layer exists. Article helpers live in ./articles.ts.
 */
import { resolve } from 'node:path';
import { loadConfig, type ResolvedConfig } from '../../pipeline/config/niche-config.ts';
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

/** Every domain of every registered program, for spotting affiliate links in a body. */
export const affiliateDomains: readonly string[] = niche.affiliates.flatMap((program) => program.domains);

const timeZone = (() => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: niche.schedule.timezone });
    return niche.schedule.timezone;
  } catch {
    return 'UTC';
  }
})();

const dateFormat = (() => {
  try {
    return new Intl.DateTimeFormat(niche.site.language, { dateStyle: 'long', timeZone });
  } catch {
    return new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone });
  }
})();

const formatted = new Map<number, string>();

/**
 * A date for people, in the site's language and the niche's time zone. Remembered per instant:
 * each article's date appears on its page, its tag pages, the archive and beside related articles.
 */
export function formatDate(date: Date): string {
  const time = date.getTime();
  let text = formatted.get(time);
  if (text === undefined) formatted.set(time, (text = dateFormat.format(date)));
  return text;
}

/** Site-absolute path with a trailing slash (the site is built with trailingSlash: 'always'). */
export function articlePath(id: string): string {
  return `/articles/${id}/`;
}
