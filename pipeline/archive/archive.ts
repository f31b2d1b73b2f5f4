import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { digest } from '../lib/hash.ts';
import { articleFrontmatterSchema, type ArticleFrontmatter } from '../schema/article.ts';
import { markdownFilesIn } from './markdown-files.ts';
import { parseFrontmatter } from './parse-frontmatter.ts';

/** An article whose frontmatter passed the schema. */
export interface LoadedArticle {
  slug: string;
  file: string;
  frontmatter: ArticleFrontmatter;
  body: string;
}

/** One Markdown file of the articles folder, read once per run. */
export interface ArchiveFile {
  /** Absolute path. */
  file: string;
  /** Path below the articles folder without `.md` (`liquid-staking`, `guides/fees`). */
  slug: string;
  /** The file as read: validation needs the exact text for its positions. */
  text: string;
  /** Content digest of `text`. */
  hash: string;
  /** The frontmatter as parsed, schema or not (undefined when the YAML itself is broken). */
  data: Record<string, unknown> | undefined;
  /**
   * The parsed article when its frontmatter parses and passes the schema; otherwise undefined
   * (`validate` is the stage that says why).
   */
  article: LoadedArticle | undefined;
}

/**
 * The niche's articles, read and parsed once per run and handed to every stage that needs them
 * (trends, draft, validate, newsletter, social). Stages never re-read the folder; the write step
 * returns what it wrote and the run adds it here with `withFile`.
 */
export interface Archive {
  folder: string;
  /** Every Markdown file, sorted by path. */
  files: readonly ArchiveFile[];
  /** The valid articles, newest first, then by slug (a stable order for every stage). */
  articles: readonly LoadedArticle[];
}

/** Reads every Markdown file under `folder` (none when it does not exist yet). */
export async function readArchive(folder: string): Promise<Archive> {
  let paths: string[];
  try {
    paths = await markdownFilesIn(folder);
  } catch {
    paths = [];
  }
  // Synchronous reads: at 10,000 articles, awaited readFile calls one after the other cost
  // ~1.9 s of CPU against ~0.16 s, and nothing else runs meanwhile.
  return archiveOf(folder, paths.map((file) => archiveFile(folder, file, readFileSync(file, 'utf8'))));
}

/**
 * Every valid article in the folder, newest first. For callers outside a run; a run reads the
 * archive once and hands it to its stages.
 */
export async function loadArticles(folder: string): Promise<LoadedArticle[]> {
  return [...(await readArchive(folder)).articles];
}

/** Published means: not a draft, and not dated after the run's clock. */
export function isPublished(article: LoadedArticle, now: Date): boolean {
  return !article.frontmatter.draft && article.frontmatter.publishedAt.getTime() <= now.getTime();
}

/** The archive with `file` added, or replacing the file at the same path. */
export function withFile(archive: Archive, file: ArchiveFile): Archive {
  return archiveOf(archive.folder, [...archive.files.filter((entry) => entry.file !== file.file), file]);
}

/** A file of the archive from its text (no disk access). */
export function archiveFile(folder: string, file: string, text: string): ArchiveFile {
  const slug = relative(folder, file).replace(/\.md$/i, '');
  let parsed: { data: Record<string, unknown>; content: string } | undefined;
  try {
    parsed = parseFrontmatter(text);
  } catch {
    // Unparseable frontmatter: reported by validate.
  }
  const result = parsed && articleFrontmatterSchema.safeParse(parsed.data);
  const article = parsed && result?.success ? { slug, file, frontmatter: result.data, body: parsed.content } : undefined;
  return { file, slug, text, hash: digest(text), data: parsed?.data, article };
}

/** The archive's file for `slug`, if there is one. */
export function fileOfSlug(archive: Archive, slug: string): ArchiveFile | undefined {
  const file = join(archive.folder, `${slug}.md`);
  return archive.files.find((entry) => entry.file === file);
}

function archiveOf(folder: string, files: ArchiveFile[]): Archive {
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const articles = files.flatMap((entry) => (entry.article ? [entry.article] : []));
  articles.sort((a, b) => b.frontmatter.publishedAt.getTime() - a.frontmatter.publishedAt.getTime() || a.slug.localeCompare(b.slug));
  return { folder, files, articles };
}
