import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fits } from '../../../pipeline/social/post-length.ts';
import { runSocial } from '../../../pipeline/social/social.ts';
import { articlesOf, newsletterNiche } from '../../helpers/newsletter-niche.ts';

interface Batch {
  batch: number;
  date: string;
  posts: Array<{ article: string; network: 'x' | 'bluesky' | 'mastodon' | 'linkedin'; text: string; url: string; length: number; limit: number }>;
}

describe('nichepress social (stage)', () => {
  it('writes one post per network per new article, records them, exports JSON and markdown, and never repeats', async () => {
    const niche = await newsletterNiche();
    await niche.addArticle('first-note', { publishedAt: '2026-10-20T07:00:00Z' });
    await niche.addArticle('second-note', { publishedAt: '2026-10-25T07:00:00Z' });
    await niche.addArticle('draft-note', { draft: true });

    const first = await runSocial(niche.context, await articlesOf(niche.context));
    expect(first.created).toBe(1);
    expect(first.counts).toMatchObject({ batches: 1, created: 1, articles: 2, posts: 8 });
    const recorded = JSON.parse(await readFile(join(niche.root, 'content/social/0001.json'), 'utf8')) as Batch;
    const exported = JSON.parse(await readFile(join(niche.root, 'dist/social/0001.json'), 'utf8')) as Batch;
    expect(exported).toEqual(recorded);
    expect(recorded.posts.map((post) => `${post.article}:${post.network}`).sort()).toEqual(
      ['first-note', 'second-note'].flatMap((slug) => ['bluesky', 'linkedin', 'mastodon', 'x'].map((network) => `${slug}:${network}`)),
    );
    for (const post of recorded.posts) {
      expect(fits(post.network, post.text), `${post.network} ${post.article}`).toBe(true);
      expect(new URL(post.url).searchParams.get('utm_source')).toBe(post.network);
    }
    const markdown = await readFile(join(niche.root, 'dist/social/0001.md'), 'utf8');
    for (const post of recorded.posts) expect(markdown).toContain(post.text);
    expect(markdown).toMatch(/^### Bluesky \(\d+\/300\)$/m);

    const again = await runSocial(niche.context, await articlesOf(niche.context));
    expect(again.created).toBeUndefined();
    expect(again.findings.map((finding) => finding.code)).toEqual(['NP8008']);

    await niche.addArticle('third-note', { publishedAt: '2026-11-02T08:00:00Z' });
    // Published before the first batch and never posted: older than the social feed, left alone.
    await niche.addArticle('old-note', { publishedAt: '2026-09-01T08:00:00Z' });
    const third = await runSocial({ ...niche.context, now: new Date('2026-11-03T09:00:00Z') }, await articlesOf(niche.context));
    expect(third.created).toBe(2);
    const batch2 = JSON.parse(await readFile(join(niche.root, 'content/social/0002.json'), 'utf8')) as Batch;
    expect([...new Set(batch2.posts.map((post) => post.article))]).toEqual(['third-note']);
  });

  it('makes no new posts while a batch is damaged, so nothing is posted twice', async () => {
    const niche = await newsletterNiche();
    await niche.addArticle('some-note');
    await runSocial(niche.context, await articlesOf(niche.context));
    await writeFile(join(niche.root, 'content/social/0001.json'), '{"batch": 1, "posts": [');
    await niche.addArticle('other-note', { publishedAt: '2026-11-02T08:00:00Z' });
    const result = await runSocial({ ...niche.context, now: new Date('2026-11-03T09:00:00Z') }, await articlesOf(niche.context));
    expect(result.created).toBeUndefined();
    expect(result.findings.map((finding) => finding.code)).toEqual(['NP8010']);
  });

  it('writes nothing in a dry run', async () => {
    const niche = await newsletterNiche();
    await niche.addArticle('dry-note');
    const result = await runSocial({ ...niche.context, dryRun: true }, await articlesOf(niche.context));
    expect(result.created).toBe(1);
    await expect(readFile(join(niche.root, 'content/social/0001.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
