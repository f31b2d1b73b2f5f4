/**
 * A Sätteri hast plugin (Astro 7's Markdown processor; it does not run rehype plugins) that treats
 * article bodies as untrusted: model output must not smuggle HTML or script URLs into the site.
 *
 * - raw HTML in Markdown is dropped (the site renders Markdown only; text between tags stays);
 * - links and images whose URL is not http(s), mailto, or site-relative lose the link / are dropped;
 * - links to a registered affiliate program's domain get rel="sponsored nofollow noopener";
 * - a link to the tracked URL of a program that allows cloaking points to its /go/<id>/ page, so
 *   the merchant link can be changed in one place (deep links to other merchant pages stay direct);
 * - other absolute links get rel="noopener".
 *
 * Loaded by astro.config.mjs directly on Node (type stripping), so erasable syntax only and
 * relative imports with their .ts extension; the few node shapes it touches are typed locally.
 */
import { isSafeUrl } from '../../pipeline/lib/sanitize-markdown.ts';

interface HastElement {
  type: 'element';
  tagName: string;
  properties?: Record<string, unknown>;
  children?: unknown[];
}

interface HastContext {
  removeNode(node: unknown): void;
  replaceNode(node: unknown, replacement: unknown): void;
  setProperty(node: unknown, key: string, value: unknown): void;
}

export interface MarkdownSafetyOptions {
  /** Hosts of registered affiliate programs (a subdomain of one counts too). */
  affiliateDomains: readonly string[];
  /** Programs that allow cloaking: their tracked `url` is rewritten to `/go/<id>/`. */
  cloaked?: ReadonlyArray<{ id: string; url: string }>;
}

/** Site path of a cloaked program's redirect page. */
export function goPath(id: string): string {
  return `/go/${id}/`;
}

/**
 * The tracked URL of each program that allows cloaking (as the URL parser writes it) → its
 * `/go/<id>/` page; when two programs share a URL, the first one listed.
 */
export function cloakedPaths(cloaked: ReadonlyArray<{ id: string; url: string }>): ReadonlyMap<string, string> {
  const paths = new Map<string, string>();
  for (const { id, url } of cloaked) {
    const href = URL.parse(url)?.href;
    if (href !== undefined && !paths.has(href)) paths.set(href, goPath(id));
  }
  return paths;
}

/** `/go/<id>/` when `value` is the tracked URL of a program that allows cloaking. */
export function cloakedPath(value: string, cloaked: ReadonlyArray<{ id: string; url: string }>): string | undefined {
  const href = URL.parse(value)?.href;
  return href === undefined ? undefined : cloakedPaths(cloaked).get(href);
}

export function isAffiliateUrl(value: string, affiliateDomains: readonly string[]): boolean {
  const url = URL.parse(value);
  return url !== null && isAffiliateHost(url.hostname, affiliateDomains);
}

export function isAffiliateHost(hostname: string, affiliateDomains: readonly string[]): boolean {
  const host = hostname.toLowerCase();
  return affiliateDomains.some((domain) => {
    const wanted = domain.toLowerCase();
    return host === wanted || host.endsWith(`.${wanted}`);
  });
}

export function markdownSafety(options: MarkdownSafetyOptions) {
  // Each link is parsed once; the cloaked programs' URLs once per build, not once per link.
  const cloakedByHref = cloakedPaths(options.cloaked ?? []);
  return {
    name: 'nichepress-markdown-safety',
    raw(node: unknown, ctx: HastContext) {
      ctx.removeNode(node);
    },
    element: {
      filter: ['a', 'img'],
      visit(node: HastElement, ctx: HastContext) {
        const properties = node.properties ?? {};
        if (node.tagName === 'img') {
          if (!isSafeUrl(properties.src)) ctx.removeNode(node);
          return;
        }
        const href = properties.href;
        if (href === undefined) return;
        if (!isSafeUrl(href)) {
          ctx.replaceNode(node, node.children ?? []);
          return;
        }
        const url = String(href);
        const parsed = URL.parse(url);
        if (parsed && isAffiliateHost(parsed.hostname, options.affiliateDomains)) {
          const cloak = cloakedByHref.get(parsed.href);
          if (cloak) ctx.setProperty(node, 'href', cloak);
          ctx.setProperty(node, 'rel', ['sponsored', 'nofollow', 'noopener']);
        } else if (/^https?:\/\//i.test(url)) {
          ctx.setProperty(node, 'rel', ['noopener']);
        }
      },
    },
  };
}
