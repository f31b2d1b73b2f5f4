import type { ResolvedConfig } from '../config/niche-config.ts';
import type { LoadedArticle } from '../archive/archive.ts';
import { withUtm } from '../lib/utm.ts';
import { fits, postLength, POST_LIMITS, type Network } from './post-length.ts';

/**
 * One post per network for an article: its title, as much of the description (and, on
 * LinkedIn, of the key takeaways and the risk note) as the network allows, a UTM-tagged link to
 * the article, and the niche's hashtags. When the full post does not fit, it is shortened in
 * this order — extras, the description (word by word, then whole), hashtags (last first), then
 * the title with an ellipsis — and never by cutting the link.
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

export function composePost(article: LoadedArticle, network: Network, config: ResolvedConfig): ComposeOutcome {
  const site = config.site.url.endsWith('/') ? config.site.url : `${config.site.url}/`;
  const url = withUtm(new URL(`articles/${article.slug}/`, site).href, {
    source: network,
    medium: config.social.utmMedium,
    campaign: article.slug,
  });
  const { title, description, keyTakeaways } = article.frontmatter;
  const extras =
    network === 'linkedin'
      ? [
          // Citation markers like [1] point at the article's source list, which a post does not have.
          ...(keyTakeaways.length ? [keyTakeaways.slice(0, 4).map((line) => `• ${line.replace(/\s*\[\d+\]/g, '')}`).join('\n')] : []),
          'Sourced research, not financial advice: every claim links to its source, and the risks come first.',
        ]
      : [];
  let hashtags = config.social.hashtags.map((tag) => `#${tag}`);
  let parts = { title, description: description as string | undefined, extras };

  const assemble = () =>
    [parts.title, parts.description, ...parts.extras, url, hashtags.join(' ')].filter((part) => part !== undefined && part !== '').join('\n\n');

  let text = assemble();
  while (!fits(network, text)) {
    if (parts.extras.length > 0) parts = { ...parts, extras: parts.extras.slice(0, -1) };
    else if (parts.description !== undefined && parts.description.length > MIN_DESCRIPTION) parts = { ...parts, description: shortenText(parts.description) };
    else if (parts.description !== undefined) parts = { ...parts, description: undefined };
    else if (hashtags.length > 0) hashtags = hashtags.slice(0, -1);
    else {
      const shorter = shortenText(parts.title);
      if (shorter === parts.title) return { ok: false, network, length: postLength(network, text), limit: POST_LIMITS[network] };
      parts = { ...parts, title: shorter };
    }
    text = assemble();
  }
  return { ok: true, post: { network, text, url, length: postLength(network, text), limit: POST_LIMITS[network] } };
}

/** A description cut shorter than this says too little: drop it instead. */
const MIN_DESCRIPTION = 60;

/** Drops the last word and ends with an ellipsis; returns the text unchanged when nothing is left to drop. */
function shortenText(title: string): string {
  const words = title.replace(/…$/, '').split(/\s+/);
  if (words.length <= 1) return title;
  return `${words.slice(0, -1).join(' ').replace(/[,;:.\s]+$/, '')}…`;
}
