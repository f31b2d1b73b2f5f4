import type { ResolvedConfig } from '../config/niche-config.ts';
import type { LoadedArticle } from '../archive/archive.ts';
import { withUtm } from '../lib/utm.ts';
import { fits, postLength, POST_LIMITS, type Network } from './post-length.ts';
import { shortenProse, splitSentences } from './shorten-text.ts';

/**
 * One post per network for an article, written for how each network is read:
 *
 * - X and Bluesky: the title and the article's first key takeaway (a sourced sentence from the
 *   article itself, not its meta description), the link, two hashtags.
 * - Mastodon: the same with room for the description, four hashtags.
 * - LinkedIn: title, description, up to four takeaways as bullets, a line on the sources when the
 *   article has them, the link, three hashtags.
 *
 * Nothing is claimed that the article does not carry: every sentence is the article's own.
 * Hashtags come from the article's tags (`liquid-staking` → #LiquidStaking); the niche's
 * `social.hashtags` are used only for an article without tags. When a post is too long it is
 * shortened by sentence, then by clause (./shorten-text.ts) — optional parts first, then the
 * hashtags, the lead sentence, and last the title — and never by cutting the link.
 */
export interface SocialPost {
  network: Network;
  text: string;
  url: string;
  /** The length as the network counts it, and its limit. */
  length: number;
  limit: number;
}

export type ComposeOutcome = { ok: true; post: SocialPost } | { ok: false; network: Network; length: number; limit: number };

const HASHTAGS: Readonly<Record<Network, number>> = { x: 2, bluesky: 2, mastodon: 4, linkedin: 3 };

/** Citation markers like [1] point at the article's source list, which a post does not have. */
const stripCitations = (text: string) => text.replace(/\s*\[\d+\]/g, '').trim();

/** `liquid-staking` → `LiquidStaking`; tags that are not letters and digits after that are skipped. */
export function hashtagOf(tag: string): string | undefined {
  const words = tag.split(/[-_\s]+/).filter(Boolean);
  const camel = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
  return /^[\p{L}\p{N}_]+$/u.test(camel) && !/^\d+$/.test(camel) ? `#${camel}` : undefined;
}

export function postHashtags(article: LoadedArticle, network: Network, config: ResolvedConfig): string[] {
  const own = [...new Set(article.frontmatter.tags.map(hashtagOf).filter((tag): tag is string => tag !== undefined))];
  const tags = own.length > 0 ? own : config.social.hashtags.map((tag) => `#${tag}`);
  return tags.slice(0, HASHTAGS[network]);
}

interface Parts {
  title: string | undefined;
  lead: string | undefined;
  extras: string[];
  hashtags: string[];
}

export function composePost(article: LoadedArticle, network: Network, config: ResolvedConfig): ComposeOutcome {
  const site = config.site.url.endsWith('/') ? config.site.url : `${config.site.url}/`;
  const url = withUtm(new URL(`articles/${article.slug}/`, site).href, {
    source: network,
    medium: config.social.utmMedium,
    campaign: article.slug,
  });
  const { title, description, keyTakeaways, sources } = article.frontmatter;
  const takeaways = keyTakeaways.map(stripCitations).filter(Boolean);
  const descriptionText = stripCitations(description);

  let parts: Parts;
  switch (network) {
    case 'x':
    case 'bluesky':
      parts = { title, lead: takeaways[0] ?? descriptionText, extras: [], hashtags: postHashtags(article, network, config) };
      break;
    case 'mastodon':
      parts = {
        title,
        lead: takeaways[0] ?? descriptionText,
        extras: takeaways[0] ? [descriptionText] : [],
        hashtags: postHashtags(article, network, config),
      };
      break;
    case 'linkedin':
      parts = {
        title,
        lead: descriptionText,
        extras: [
          ...(takeaways.length ? [takeaways.slice(0, 4).map((line) => `• ${line}`).join('\n')] : []),
          ...(sources.length ? [`Every claim in the article links to its source (${sources.length} ${sources.length === 1 ? 'source' : 'sources'}).`] : []),
        ],
        hashtags: postHashtags(article, network, config),
      };
      break;
  }

  const assemble = (candidate: Parts) =>
    [candidate.title, candidate.lead, ...candidate.extras, url, candidate.hashtags.join(' ')].filter((part) => part !== undefined && part !== '').join('\n\n');
  const fitsWith = (candidate: Parts) => fits(network, assemble(candidate));

  // Shorten in order of what a reader misses least; every step keeps whole sentences or clauses.
  while (!fitsWith(parts) && parts.extras.length > 0) parts = { ...parts, extras: parts.extras.slice(0, -1) };
  if (!fitsWith(parts) && parts.lead !== undefined) {
    const sentences = splitSentences(parts.lead);
    while (!fitsWith(parts) && sentences.length > 1) {
      sentences.pop();
      parts = { ...parts, lead: sentences.join(' ') };
    }
  }
  while (!fitsWith(parts) && parts.hashtags.length > 1) parts = { ...parts, hashtags: parts.hashtags.slice(0, -1) };
  // The lead sentence says more than the title it expands on: keep it whole and drop the title.
  if (!fitsWith(parts) && parts.lead !== undefined && fitsWith({ ...parts, title: undefined })) parts = { ...parts, title: undefined };
  if (!fitsWith(parts) && parts.lead !== undefined) {
    const current = parts;
    parts = { ...parts, lead: shortenProse(parts.lead, (text) => fitsWith({ ...current, lead: text })) };
  }
  if (!fitsWith(parts)) parts = { ...parts, hashtags: [] };
  if (!fitsWith(parts) && parts.title !== undefined) {
    const current = parts;
    parts = { ...parts, title: shortenProse(parts.title!, (text) => fitsWith({ ...current, title: text })) ?? parts.title };
  }
  const text = assemble(parts);
  if (!fits(network, text)) return { ok: false, network, length: postLength(network, text), limit: POST_LIMITS[network] };
  return { ok: true, post: { network, text, url, length: postLength(network, text), limit: POST_LIMITS[network] } };
}
