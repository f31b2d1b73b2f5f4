import type { Context, StageReport } from './context.ts';
import { timed } from './context.ts';
import { BuildSkipped, NoTopics } from './errors/catalogue.ts';
import { findingFrom } from './errors/finding.ts';
import { loadArticles } from './lib/load-articles.ts';
import { createExtractiveProvider } from './llm/extractive-provider.ts';
import type { DraftProvider } from './llm/provider.ts';
import type { FeedItem, Topic } from './schema/feed-item.ts';
import { draftTopics } from './stages/draft.ts';
import { ingest, type FeedSpec } from './stages/ingest.ts';
import { runNewsletter } from './stages/newsletter.ts';
import { rankTrends } from './stages/trends.ts';
import { validatePaths } from './stages/validate.ts';
import { loadState, pruneState, saveState, type State } from './state.ts';

/**
 * The commands, each composed from stages. A command returns its stage reports; the CLI prints
 * them and decides the exit code. State is saved after each stage that changes it, so a run
 * killed in the middle keeps what was done (and a rerun finds it).
 */

export async function commandIngest(context: Context, feeds?: FeedSpec[]): Promise<StageReport[]> {
  const state = await loadState(context.config.resolved.state);
  // Feeds given on the command line are only checked, never added to the history.
  const adHoc = feeds !== undefined && feeds.length > 0;
  const stage = await timed('ingest', async () => {
    const result = await ingest(context, state, adHoc ? feeds : undefined);
    return { ...result, details: { feeds: result.feeds } };
  });
  if (!adHoc) {
    pruneState(state, context.now);
    await persist(context, state);
  }
  return [strip(stage)];
}

export async function commandTrends(context: Context): Promise<StageReport[]> {
  const state = await loadState(context.config.resolved.state);
  const stage = await timed('trends', () => trendsFromState(context, state));
  return [strip(stage)];
}

export async function commandDraft(context: Context, provider: DraftProvider): Promise<StageReport[]> {
  const state = await loadState(context.config.resolved.state);
  const trends = await timed('trends', () => trendsFromState(context, state));
  const draft = await timed('draft', async () => {
    const result = await draftTopics(context, state, trends.result.topics, provider);
    return { ...result, details: { provider: provider.name, model: provider.model, articles: result.articles } };
  });
  await persist(context, state);
  return [strip(trends), strip(draft)];
}

export async function commandValidate(context: Context, paths: string[]): Promise<StageReport[]> {
  return [strip(await timed('validate', () => validatePaths(context.config, paths)))];
}

export async function commandBuild(context: Context): Promise<StageReport[]> {
  if (context.dryRun) return [{ stage: 'build', durationMs: 0, counts: { skipped: 1 }, findings: [] }];
  const stage = await timed('build', async () => {
    const { buildSite } = await import('./stages/build.ts');
    const result = await buildSite(context.config, { log: context.log });
    return { counts: { pages: result.pages, failed: result.ok ? 0 : 1 }, findings: result.findings, details: { outDir: context.config.resolved.outDir } };
  });
  return [strip(stage)];
}

export async function commandNewsletter(context: Context): Promise<StageReport[]> {
  const state = await loadState(context.config.resolved.state);
  const stage = await timed('newsletter', async () => {
    const result = await runNewsletter(context, state);
    return { ...result, details: { created: result.created, rendered: result.rendered } };
  });
  await persist(context, state);
  return [strip(stage)];
}

/** The whole pipeline: ingest → trends → draft → validate → build → newsletter. */
export async function commandRun(context: Context, provider: DraftProvider = createExtractiveProvider()): Promise<StageReport[]> {
  const reports: StageReport[] = [];
  reports.push(...(await commandIngest(context)));
  reports.push(...(await commandDraft(context, provider)));
  const validation = await commandValidate(context, []);
  reports.push(...validation);
  // Building a site from content that fails validation would publish the failure.
  if (validation.some((report) => report.findings.some((finding) => finding.severity === 'error'))) {
    reports.push({ stage: 'build', durationMs: 0, counts: { skipped: 1 }, findings: [findingFrom(BuildSkipped, [])] });
    return reports;
  }
  const build = await commandBuild(context);
  reports.push(...build);
  if (build.some((report) => (report.counts.failed ?? 0) > 0)) return reports;
  reports.push(...(await commandNewsletter(context)));
  return reports;
}

async function trendsFromState(context: Context, state: State) {
  const items: FeedItem[] = Object.entries(state.items).map(([id, record]) => ({
    id,
    title: record.title,
    url: record.url,
    summary: record.summary,
    publishedAt: record.publishedAt,
    feed: record.feed,
    publisher: record.publisher,
  }));
  const articles = await loadArticles(context.config.resolved.articles);
  const covered = new Set<string>(Object.keys(state.topics));
  for (const article of articles) if (article.frontmatter.topic) covered.add(article.frontmatter.topic.key);
  const result = rankTrends(items, context.config, {
    covered,
    coveredTitles: articles.map((article) => article.frontmatter.title),
    coveredSources: new Set(articles.flatMap((article) => article.frontmatter.sources.map((source) => source.url))),
  });
  const findings = result.topics.length === 0 ? [findingFrom(NoTopics, [], { severity: 'info' })] : [];
  return { ...result, findings, details: { anchor: result.anchor, topics: result.topics.map(summariseTopic) } };
}

function summariseTopic(topic: Topic) {
  return {
    key: topic.key,
    label: topic.label,
    score: topic.score,
    parts: topic.parts,
    affiliates: topic.affiliates,
    sources: topic.items.map((item) => ({ title: item.title, url: item.url, publisher: item.publisher, publishedAt: item.publishedAt })),
  };
}

async function persist(context: Context, state: State): Promise<void> {
  if (!context.dryRun) await saveState(context.config.resolved.state, state);
}

/** Reports carry counts, findings and details; the stage's in-memory result stays behind. */
function strip(report: StageReport & { result: unknown }): StageReport {
  const { result: _result, ...rest } = report;
  return rest;
}
