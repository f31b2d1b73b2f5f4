import { join } from 'node:path';
import { displayPath } from '../config/niche-config.ts';
import type { Context } from '../context.ts';
import { NothingForSocial, SocialPostTooLong } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { writeFileIfChanged } from '../lib/atomic-write.ts';
import { isPublished, type LoadedArticle } from '../archive/archive.ts';
import { loadBatches, padBatch, writeBatch, type SocialBatch, type SocialPostRecord } from './batch-source.ts';
import { composePost } from './compose-posts.ts';
import { renderSocialJson, renderSocialMarkdown } from './render-social.ts';

/**
 * social: posts for X, Bluesky, Mastodon and LinkedIn for every article that has none yet,
 * recorded as one batch per run in content/social/<NNNN>.json, then every batch exported to
 * dist/social/<NNNN>.json and .md (rendered again each run, as the site build replaces dist/).
 *
 * Which articles: published ones without posts, since the first batch (before it: the newest),
 * at most `social.maxArticles` per run, the longest-waiting first so none is skipped for good.
 */

export interface SocialResult {
  created: number | undefined;
  exported: string[];
  counts: Record<string, number>;
  findings: Finding[];
}

export async function runSocial(context: Context, articles: readonly LoadedArticle[]): Promise<SocialResult> {
  const { config } = context;
  const { batches, findings } = await loadBatches(config);
  let created: number | undefined;
  let articleCount = 0;
  let postCount = 0;

  // A damaged batch could hide which articles were posted: make nothing new until it is fixed.
  if (findings.length === 0) {
    const published = articles.filter((article) => isPublished(article, context.now));
    const fresh = pickArticles(published, batches, config.social.maxArticles);
    const posts: SocialPostRecord[] = [];
    for (const article of fresh) {
      for (const network of config.social.networks) {
        const outcome = composePost(article, network, config);
        if (outcome.ok) posts.push({ article: article.slug, title: article.frontmatter.title, ...outcome.post });
        else findings.push(findingFrom(SocialPostTooLong, [network, article.slug, outcome.length, outcome.limit], { subject: article.slug }));
      }
    }
    if (posts.length === 0) {
      if (fresh.length === 0) findings.push(findingFrom(NothingForSocial, [], { severity: 'info' }));
    } else {
      const batch: SocialBatch = {
        batch: Math.max(0, ...batches.map((entry) => entry.batch)) + 1,
        date: context.now.toISOString(),
        posts,
      };
      if (!context.dryRun) await writeBatch(config, batch);
      batches.push(batch);
      created = batch.batch;
      articleCount = fresh.length;
      postCount = posts.length;
    }
  }

  const exported: string[] = [];
  if (!context.dryRun) {
    const out = join(config.resolved.outDir, 'social');
    for (const batch of batches) {
      await writeFileIfChanged(join(out, `${padBatch(batch.batch)}.json`), renderSocialJson(batch));
      await writeFileIfChanged(join(out, `${padBatch(batch.batch)}.md`), renderSocialMarkdown(batch));
      exported.push(displayPath(config.root, join(out, padBatch(batch.batch))));
    }
  }
  return {
    created,
    exported,
    counts: { batches: batches.length, created: created ? 1 : 0, articles: articleCount, posts: postCount },
    findings,
  };
}

function pickArticles(published: readonly LoadedArticle[], batches: SocialBatch[], max: number): LoadedArticle[] {
  const posted = new Set(batches.flatMap((batch) => batch.posts.map((post) => post.article)));
  const unposted = published.filter((article) => !posted.has(article.slug));
  const first = batches[0];
  if (!first) return unposted.slice(0, max);
  const since = Date.parse(first.date);
  // `published` is newest first: the longest-waiting are at the end.
  const waiting = unposted.filter((article) => article.frontmatter.publishedAt.getTime() >= since);
  const picked = new Set(waiting.slice(-max));
  return waiting.filter((article) => picked.has(article));
}
