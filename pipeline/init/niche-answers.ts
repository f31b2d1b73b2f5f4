import { basename } from 'node:path';
import { slugify } from '../lib/slug.ts';

/** What `init` needs to know about a new niche; everything else has a commented default. */
export interface NicheAnswers {
  title: string;
  /** http(s) URLs or file paths (relative to the working directory). */
  feeds: string[];
  language: string;
  url: string;
}

/** Defaults shown in the questions and used for flags left out: derived from the folder name. */
export function defaultAnswers(dir: string): NicheAnswers {
  const name = basename(dir.replace(/[\\/]+$/, '')) || 'niche';
  const title = name
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
  return { title: title || 'My Niche', feeds: [], language: 'en', url: `https://${slugify(title) || 'my-niche'}.example` };
}
