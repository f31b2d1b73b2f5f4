import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { articleFrontmatterSchema, type ArticleFrontmatter } from '../schema/article.ts';
import { parseFrontmatter } from './parse-frontmatter.ts';

export interface LoadedArticle {
  slug: string;
  file: string;
  frontmatter: ArticleFrontmatter;
  body: string;
}

/**
 * Every article in the folder whose frontmatter is valid (invalid ones are `validate`'s to
 * report, not ours to guess at). Sorted newest first, then by slug, so output is stable.
 */
export async function loadArticles(folder: string): Promise<LoadedArticle[]> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => name.endsWith('.md') && !name.startsWith('.'));
  } catch {
    return [];
  }
  const articles: LoadedArticle[] = [];
  for (const name of names) {
    const file = join(folder, name);
    try {
      // Read synchronously: at 10,000 articles, awaited readFile calls one after the other cost
      // ~1.9 s of CPU against ~0.16 s (and the site build reads them on its busiest thread).
      // Same result as gray-matter's matter(text, {}), several times faster (see parse-frontmatter.ts).
      const parsed = parseFrontmatter(readFileSync(file, 'utf8'));
      const result = articleFrontmatterSchema.safeParse(parsed.data);
      if (result.success) articles.push({ slug: name.slice(0, -3), file, frontmatter: result.data, body: parsed.content });
    } catch {
      // Unparseable frontmatter: reported by validate.
    }
  }
  return articles.sort((a, b) => b.frontmatter.publishedAt.getTime() - a.frontmatter.publishedAt.getTime() || a.slug.localeCompare(b.slug));
}

/** Published means: not a draft, and not dated after the run's clock. */
export function isPublished(article: LoadedArticle, now: Date): boolean {
  return !article.frontmatter.draft && article.frontmatter.publishedAt.getTime() <= now.getTime();
}
