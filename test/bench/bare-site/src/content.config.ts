/**
 * One collection over the benchmark corpus, with Astro's glob loader and a permissive schema
 * (only `title` is required; every other key passes through unchecked).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

const folder = process.env.BENCH_BARE_ARTICLES;
if (!folder) throw new Error('BENCH_BARE_ARTICLES is not set: point it at the folder of markdown articles to build');

const articles = defineCollection({
  loader: glob({
    pattern: '**/*.md',
    base: pathToFileURL(`${resolve(folder)}/`),
    deferRender: process.env.BENCH_BARE_DEFER_RENDER === '1',
  }),
  schema: z.looseObject({ title: z.string() }),
});

export const collections = { articles };
