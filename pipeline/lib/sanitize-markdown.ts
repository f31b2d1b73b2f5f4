/**
 * Model output is untrusted input to the site. Before it becomes an article body:
 * - raw HTML tags are removed (their text content stays, escaped),
 * - links and images may only point at allowed URLs (the topic's sources, registered affiliate
 *   programs, or site-relative paths); others keep their text and lose the link,
 * - `javascript:`, `data:` and other schemes never survive.
 * Each removal is reported so the draft's findings say what was cut.
 */
export interface SanitizeResult {
  markdown: string;
  removed: string[];
}

export function sanitizeMarkdown(markdown: string, isAllowedUrl: (url: string) => boolean): SanitizeResult {
  const removed: string[] = [];

  let text = markdown.replace(/(?<!\\)<\/?([a-z][a-z0-9-]*)\b[^>]*>/gi, (tag) => {
    removed.push(`raw HTML ${tag.slice(0, 40)}`);
    return '';
  });

  // Images: model output has no business embedding remote images.
  text = text.replace(/(?<!\\)!\[([^\]]*)\]\(([^)]*)\)/g, (_match, alt: string, target: string) => {
    removed.push(`image ${target.slice(0, 80)}`);
    return alt;
  });

  // Inline links [text](url "title")
  text = text.replace(/(?<![\\!])\[([^\]]+)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g, (match, label: string, url: string) => {
    if (isSafeUrl(url) && isAllowedUrl(url)) return match;
    removed.push(`link ${url.slice(0, 80)}`);
    return label;
  });

  // Reference definitions [id]: url
  text = text.replace(/^\s{0,3}\[[^\]]+\]:\s*(\S+).*$/gm, (match, url: string) => {
    if (isSafeUrl(url) && isAllowedUrl(url)) return match;
    removed.push(`link ${url.slice(0, 80)}`);
    return '';
  });

  // Bare autolinks <https://…> were removed with the tags above; bare URLs in text are left as
  // text (the site renders them unlinked).
  return { markdown: text, removed };
}

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * http(s), mailto, or a URL without a scheme (site-relative, #fragment) — nothing else is ever a
 * link. Browsers ignore ASCII control characters and spaces inside a scheme ("java\tscript:"), so
 * they are removed before looking at it. Shared with the site's Markdown plugin.
 */
export function isSafeUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const compact = value.replace(/[\u0000-\u0020\u007f]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact);
  if (!scheme) return true;
  return SAFE_PROTOCOLS.has(`${scheme[1]!.toLowerCase()}:`);
}
