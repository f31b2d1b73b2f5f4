import type { ArticleFrontmatter } from '../schema/article.ts';
import { readArchive } from './archive.ts';

export interface LoadedArticle {
  slug: string;
  file: string;
  frontmatter: ArticleFrontmatter;
  body: string;
}

/**
 * Every article in the folder whose frontmatter is valid (invalid ones are `validate`'s to
 * report, not ours to guess at), newest first, then by slug. For callers outside a run; a run
 * reads the archive once (`readArchive`) and hands it to its stages.
 */
export async function loadArticles(folder: string): Promise<LoadedArticle[]> {
  return [...(await readArchive(folder)).articles];
}

/** Published means: not a draft, and not dated after the run's clock. */
export function isPublished(article: LoadedArticle, now: Date): boolean {
  return !article.frontmatter.draft && article.frontmatter.publishedAt.getTime() <= now.getTime();
}
