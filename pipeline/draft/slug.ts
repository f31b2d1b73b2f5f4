/**
 * A URL- and file-safe slug: lower-case ASCII letters, digits and single hyphens, never empty,
 * never a path (no dots or slashes survive), so a slug from model output cannot escape
 * content/articles.
 */
export function slugify(text: string, maxLength = 80): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = slug.length > maxLength ? slug.slice(0, maxLength).replace(/-[^-]*$/, '') || slug.slice(0, maxLength) : slug;
  return cut.replace(/-+$/g, '') || 'article';
}
