import type { SocialBatch } from './batch-source.ts';

/** Display names and where a post goes, for the markdown export a person copies from. */
const NETWORK_NAMES = { x: 'X', bluesky: 'Bluesky', mastodon: 'Mastodon', linkedin: 'LinkedIn' } as const;

/** The JSON export: the batch as recorded, for schedulers and scripts (Buffer, a bot, an API call). */
export function renderSocialJson(batch: SocialBatch): string {
  return `${JSON.stringify(batch, null, 2)}\n`;
}

/**
 * The markdown export: per article, one fenced block per network, so each post can be copied
 * exactly (a fence keeps hashtags and line breaks from being read as markdown).
 */
export function renderSocialMarkdown(batch: SocialBatch): string {
  const lines = [`# Social posts, batch ${batch.batch} (${batch.date.slice(0, 10)})`, ''];
  const articles = [...new Set(batch.posts.map((post) => post.article))];
  for (const slug of articles) {
    const posts = batch.posts.filter((post) => post.article === slug);
    lines.push(`## ${posts[0]!.title}`, '');
    for (const post of posts) {
      const fence = '`'.repeat(Math.max(3, longestBacktickRun(post.text) + 1));
      lines.push(`### ${NETWORK_NAMES[post.network]} (${post.length}/${post.limit})`, '', `${fence}text`, post.text, fence, '');
    }
  }
  return `${lines.join('\n')}`;
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
}
