/**
 * Pagefind records made from the article sources instead of the built pages.
 *
 * Why: indexing 10,000 built pages made Pagefind parse every page's HTML after Astro had
 * finished, ~40 % of the whole build. A record made from the Markdown can be indexed while Astro
 * is still rendering (see ./search-index.ts), and Pagefind skips the HTML parsing.
 *
 * Plain functions (no `astro:content`), so the indexing child process and the tests use them.
 * The text is what a reader sees: title, description, key takeaways, body, FAQ — with Markdown
 * syntax, raw HTML, link targets and citation markers removed (read off the Markdown tree). It never contains `<` or `>`:
 * Pagefind's excerpts are inserted into the search page as HTML, and article text is untrusted.
 *
 * Search bundles are cached by the hash of their article files: when the way a record is made
 * changes, bump CACHE_FORMAT in ./pagefind-shards.ts so old bundles are not reused.
 */
import { parseFrontmatter, type ParsedFrontmatter } from '../../pipeline/archive/parse-frontmatter.ts';
import { toString } from 'mdast-util-to-string';
import { CONTINUE, SKIP, visit } from 'unist-util-visit';
import { articleFrontmatterSchema, type ArticleFrontmatter } from '../../pipeline/schema/article.ts';
import { parseMarkdown } from '../../pipeline/lib/markdown-tree.ts';

export interface SearchRecord {
  url: string;
  content: string;
  language: string;
  meta: { title: string };
}

/**
 * The page URL Astro's glob loader gives an article file: its path under the articles folder
 * without `.md`, each segment slugified the way github-slugger does (lower case, spaces to
 * hyphens, punctuation dropped). The build checks the result against the pages it really wrote.
 */
export function articleUrl(relativePath: string): string {
  const segments = relativePath
    .replace(/\\/g, '/')
    .replace(/\.md$/i, '')
    .split('/')
    .map((segment) =>
      segment
        .toLowerCase()
        .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
        .replace(/ /g, '-'),
    );
  return `/articles/${segments.join('/')}/`;
}

/** A published article's validated frontmatter and Markdown body. */
export interface PublishedArticle {
  data: ArticleFrontmatter;
  body: string;
}

/**
 * The parsed frontmatter and body of an article file, or undefined when the article is not
 * published (a draft, dated after `clock`) or its frontmatter is not valid (Astro's build reports
 * that one).
 */
export function publishedArticle(text: string, clock: Date): PublishedArticle | undefined {
  let parsed: ParsedFrontmatter;
  try {
    parsed = parseFrontmatter(text);
  } catch {
    return undefined;
  }
  if ((parsed.data as { draft?: unknown }).draft === true) return undefined;
  const result = articleFrontmatterSchema.safeParse(parsed.data);
  if (!result.success) return undefined;
  if (result.data.draft || result.data.publishedAt.getTime() > clock.getTime()) return undefined;
  return { data: result.data, body: parsed.content };
}

/** The article's last change (updatedAt, else publishedAt), ISO, for the sitemap. */
export function lastModifiedOf(data: ArticleFrontmatter): string {
  return (data.updatedAt && data.updatedAt.getTime() > data.publishedAt.getTime() ? data.updatedAt : data.publishedAt).toISOString();
}

/** The search record of a published article file at `relativePath` (under the articles folder). */
export function recordOf(article: PublishedArticle, relativePath: string, language: string): SearchRecord {
  const { data } = article;
  const parts = [
    data.title,
    data.description,
    ...data.keyTakeaways,
    markdownToSearchText(article.body),
    ...data.faq.flatMap((entry) => [entry.question, entry.answer]),
  ];
  return {
    url: articleUrl(relativePath),
    // Citation markers such as "[1]" also appear in key takeaways and answers; they are not words.
    content: withoutAngleBrackets(parts.join('\n').replace(/\[\d+\]/g, ' ')),
    language,
    meta: { title: withoutAngleBrackets(data.title) },
  };
}

/**
 * Markdown as the words a reader sees, one block per line: the Markdown tree's text (headings,
 * paragraphs, list items, table rows, code), without raw HTML (the site's sanitizer drops it),
 * link targets, reference definitions and citation markers. Entities are decoded by the parser.
 */
export function markdownToSearchText(markdown: string): string {
  const lines: string[] = [];
  // The project's one Markdown model (Sätteri, the processor that renders the pages): the words
  // indexed are the words on the page. remark's parser took ~3 ms an article here, ~30 s of a
  // 10,000-article build; Sätteri ~0.3 ms.
  visit(parseMarkdown(markdown), (node) => {
    if (node.type === 'html' || node.type === 'definition' || node.type === 'yaml') return SKIP;
    if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'code' || node.type === 'tableRow') {
      const text = node.type === 'tableRow' ? node.children.map((cell) => toString(cell, { includeHtml: false })).join(' ') : toString(node, { includeHtml: false });
      lines.push(...text.replace(/\[\d+\]/g, ' ').split('\n'));
      return SKIP;
    }
    return CONTINUE;
  });
  return lines
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

function withoutAngleBrackets(text: string): string {
  return text.replace(/[<>]/g, ' ');
}
