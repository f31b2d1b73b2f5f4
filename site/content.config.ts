/**
 * One collection, `articles`: the niche's markdown files (config `paths.articles`), validated by
 * the same frontmatter schema the pipeline's `validate` stage uses.
 *
 * Entry ids come from the glob loader: the file path relative to the articles folder, without
 * `.md`, each segment slugified (github-slugger: lower-case, spaces to hyphens, most punctuation
 * dropped). `liquid-staking.md` → `liquid-staking` → /articles/liquid-staking/.
 */
import { pathToFileURL } from 'node:url';
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { articleFrontmatterSchema } from '../pipeline/schema/article.ts';
import { niche } from './lib/niche.ts';
import { bodiesOnDisk } from './lib/bodies-on-disk.ts';
import { skipDrafts } from './lib/skip-drafts.ts';

const articles = defineCollection({
  // Drafts are left out before validation (see lib/skip-drafts.ts): a draft the pipeline kept
  // aside because it failed validation must not fail the build. Rendered bodies are kept in files
  // beside the data store, not in it (see lib/bodies-on-disk.ts): the build's memory.
  loader: bodiesOnDisk(skipDrafts(
    glob({
      pattern: '**/*.md',
      // A plain path is resolved against Astro's root as a URL; a file URL is unambiguous.
      base: pathToFileURL(`${niche.resolved.articles}/`),
      // Rendered during content sync and cached with the data store (in the cache folder), so an
      // unchanged article is not rendered again. Measured on 10,000 articles with Astro 7.3.5:
      // deferRender: true took 3× the time and 2× the memory (every article became a module in
      // the bundle), so it stays off.
      deferRender: false,
      // The pages use the rendered HTML only; not keeping the Markdown source as well keeps the
      // data store (and the build's memory) smaller.
      retainBody: false,
    }),
  )),
  schema: articleFrontmatterSchema,
});

export const collections = { articles };
