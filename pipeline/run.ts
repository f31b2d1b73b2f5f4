import type { Context, StageReport } from './context.ts';
import { timed } from './context.ts';
import { BuildSkipped, NoTopics, RunInterrupted } from './errors/catalogue.ts';
import { findingFrom } from './errors/finding.ts';
import type { DraftProvider } from './draft/provider.ts';
import type { Topic } from './schema/feed-item.ts';
import type { FeedSpec } from './ingest/ingest.ts';
import { loadState, pruneState, saveState, type State } from './state.ts';
import { contentWrite } from './lib/scratch-dir.ts';

/**
 * The commands, each composed from stages. A command returns its stage reports; the CLI prints
 * them and decides the exit code. State is saved after each stage that changes it, so a run
 * killed in the middle keeps what was done (and a rerun finds it).
 *
 * Stages are imported when a command needs them: the email inliner, the language detector and
 * the OpenAI SDK take hundreds of milliseconds to load, which `validate --help` should not pay.
 */

export async function commandIngest(context: Context, feeds?: FeedSpec[]): Promise<StageReport[]> {
  const state = await loadState(context.config.resolved.state);
  // Feeds given on the command line are only checked, never added to the history.
  const adHoc = feeds !== undefined && feeds.length > 0;
  const { ingest } = await import('./ingest/ingest.ts');
  const stage = await timed('ingest', async () => {
    const result = await ingest(context, state, adHoc ? feeds : undefined, { record: !adHoc });
    return { ...result, details: { feeds: result.feeds } };
  });
  if (!adHoc) {
    pruneState(state, context.now, context.config.ingest.historyDays);
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
  const { draftTopics } = await import('./draft/draft-topics.ts');
  const draft = await timed('draft', async () => {
    const result = await draftTopics(context, state, trends.result.topics, provider);
    return { ...result, details: { provider: provider.name, model: provider.model, articles: result.articles } };
  });
  await persist(context, state);
  return [strip(trends), strip(draft)];
}

export async function commandValidate(context: Context, paths: string[]): Promise<StageReport[]> {
  const { validatePaths } = await import('./validate/validate.ts');
  return [strip(await timed('validate', () => validatePaths(context.config, paths)))];
}

export async function commandCheckLinks(context: Context): Promise<StageReport[]> {
  const { checkLinks } = await import('./maintenance/check-links.ts');
  return [strip(await timed('check-links', () => checkLinks(context, { noCache: context.noCache })))];
}

export async function commandBuild(context: Context): Promise<StageReport[]> {
  if (context.dryRun) return [{ stage: 'build', durationMs: 0, counts: { skipped: 1 }, findings: [] }];
  const stage = await timed('build', async () => {
    const { buildSite } = await import('./site-build/build-site.ts');
    const result = await buildSite(context.config, { log: context.log, ...(context.signal ? { signal: context.signal } : {}) });
    return { counts: { pages: result.pages, failed: result.ok ? 0 : 1 }, findings: result.findings, details: { outDir: context.config.resolved.outDir } };
  });
  return [strip(stage)];
}

/** `newsletter`: compose a new issue when there is news, then render every issue's email files. */
export async function commandNewsletter(context: Context): Promise<StageReport[]> {
  return [...(await commandComposeIssue(context)), ...(await commandRenderIssues(context))];
}

/** The issue's source only (content/newsletter/); `run` does this before the build, for the archive. */
async function commandComposeIssue(context: Context): Promise<StageReport[]> {
  const state = await loadState(context.config.resolved.state);
  const { selectIntroWriter } = await import('./newsletter/newsletter-intro.ts');
  const { composeIssue } = await import('./newsletter/newsletter.ts');
  const writer = await selectIntroWriter(context);
  const stage = await timed('newsletter', async () => {
    const result = await composeIssue(context, state, writer);
    return { ...result, details: { created: result.created } };
  });
  await persist(context, state);
  return [strip(stage)];
}

/** Every issue's email files into the outbox (newsletter.outDir), never into the deployed site. */
async function commandRenderIssues(context: Context): Promise<StageReport[]> {
  const { renderIssues } = await import('./newsletter/newsletter.ts');
  const stage = await timed('email', async () => {
    const result = await renderIssues(context);
    return { ...result, details: { rendered: result.rendered } };
  });
  return [strip(stage)];
}

export async function commandSocial(context: Context): Promise<StageReport[]> {
  const { runSocial } = await import('./social/social.ts');
  const stage = await timed('social', async () => {
    const result = await runSocial(context);
    return { ...result, details: { created: result.created, exported: result.exported } };
  });
  return [strip(stage)];
}

/** The whole pipeline: ingest → trends → draft → validate → newsletter issue → build → email files → social posts. */
export async function commandRun(context: Context, provider?: DraftProvider, options: { build?: boolean } = {}): Promise<StageReport[]> {
  provider ??= (await import('./draft/extractive-provider.ts')).createExtractiveProvider();
  const reports: StageReport[] = [];
  // On SIGINT/SIGTERM the stage in hand finishes (or abandons) its item; the rest is skipped.
  const stopped = () => {
    if (!context.signal?.aborted) return false;
    const signal = typeof context.signal.reason === 'string' ? context.signal.reason : 'a stop signal';
    reports.push({ stage: 'interrupted', durationMs: 0, counts: {}, findings: [findingFrom(RunInterrupted, [signal], { severity: 'info' })] });
    return true;
  };
  reports.push(...(await commandIngest(context)));
  if (stopped()) return reports;
  reports.push(...(await commandDraft(context, provider)));
  if (stopped()) return reports;
  const validation = await commandValidate(context, []);
  reports.push(...validation);
  // Building a site from content that fails validation would publish the failure.
  if (validation.some((report) => report.findings.some((finding) => finding.severity === 'error'))) {
    reports.push({ stage: 'build', durationMs: 0, counts: { skipped: 1 }, findings: [findingFrom(BuildSkipped, [])] });
    return reports;
  }
  // The issue's source is written before the build, so the site's archive lists it.
  reports.push(...(await commandComposeIssue(context)));
  if (stopped()) return reports;
  // `run --no-build`: content only (a CI job that builds in a step of its own, the steady-state bench).
  if (options.build !== false) {
    const build = await commandBuild(context);
    reports.push(...build);
    if (stopped()) return reports;
    if (build.some((report) => (report.counts.failed ?? 0) > 0)) return reports;
  }
  reports.push(...(await commandRenderIssues(context)));
  if (stopped()) return reports;
  reports.push(...(await commandSocial(context)));
  return reports;
}

async function trendsFromState(context: Context, state: State) {
  const { rankHistory } = await import('./trends/rank-history.ts');
  const result = await rankHistory(context.config, state);
  const findings = result.topics.length === 0 ? [findingFrom(NoTopics, [], { severity: 'info' })] : [];
  return { ...result, findings, details: { anchor: result.anchor, topics: result.topics.map(summariseTopic) } };
}

function summariseTopic(topic: Topic) {
  return {
    key: topic.key,
    label: topic.label,
    score: topic.score,
    parts: topic.parts,
    series: topic.series,
    affiliates: topic.affiliates,
    sources: topic.items.map((item) => ({ title: item.title, url: item.url, publisher: item.publisher, publishedAt: item.publishedAt })),
  };
}

async function persist(context: Context, state: State): Promise<void> {
  if (!context.dryRun) await saveState(context.config.resolved.state, state, contentWrite(context.config));
}

/** Reports carry counts, findings and details; the stage's in-memory result stays behind. */
function strip(report: StageReport & { result: unknown }): StageReport {
  const { result: _result, ...rest } = report;
  return rest;
}
