import type { Context, StageReport } from './context.ts';
import { timed } from './context.ts';
import { BuildSkipped, DeskDraftsWaiting, MonthlyBudgetReached, MonthlyBudgetStatus, NoTopics, RunInterrupted } from './errors/catalogue.ts';
import { findingFrom, type Finding } from './errors/finding.ts';
import type { WriteOutcome } from './archive/write-article.ts';
import type { DraftProvider } from './draft/provider.ts';
import type { Topic } from './schema/feed-item.ts';
import type { FeedSpec } from './ingest/ingest.ts';
import { coverageOf, readArchive, type Archive } from './archive/archive.ts';
import { batchesInFlight, loadState, pruneState, saveState, type State } from './state.ts';
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
  const archive = await readArchive(context.config.resolved.articles);
  return [strip(await timed('trends', async () => trendsFromState(context, state, archive)))];
}

/** `draft`: trends → draft → validate the drafts → write them; returns the archive with what was written. */
export async function commandDraft(context: Context, provider: DraftProvider, given?: Archive, options: DraftRunOptions = {}): Promise<{ reports: StageReport[]; archive: Archive }> {
  const state = await loadState(context.config.resolved.state);
  const archive = given ?? (await readArchive(context.config.resolved.articles));
  const { recordArchivedTopics } = await import('./archive/write-article.ts');
  if (!context.dryRun) recordArchivedTopics(state, archive, context.now);
  const trends = await timed('trends', async () => trendsFromState(context, state, archive));
  let written = archive;
  const draft = await timed('draft', async () => {
    const result = await draftValidateWrite(context, state, archive, trends.result.topics, provider, options);
    written = result.archive;
    return { counts: result.counts, findings: result.findings, details: { provider: provider.name, model: provider.model, articles: result.articles } };
  });
  await persist(context, state);
  return { reports: [strip(trends), strip(draft)], archive: written };
}

export interface DraftRunOptions {
  /** `--retry <slug>`: ask again for one topic kept as a draft or cached as a failure. */
  retry?: string | undefined;
}

/**
 * The draft stage after trends: draft the topics, validate the drafts, write them. One report:
 * the provider's counts with what the write step did (written, quarantined, unchanged, failed).
 * In batch mode drafting first collects finished batches and ends by submitting the next one.
 */
export async function draftValidateWrite(context: Context, state: State, archive: Archive, topics: readonly Topic[], provider: DraftProvider, options: DraftRunOptions = {}): Promise<{ articles: WriteOutcome[]; archive: Archive; counts: Record<string, number>; findings: Finding[] }> {
  const { draftTopics } = await import('./draft/draft-topics.ts');
  const { findRetryTarget, replaceIfBetter } = await import('./draft/retry-topic.ts');
  const { validateDrafts } = await import('./validate/validate-drafts.ts');
  const { writeDrafts } = await import('./archive/write-article.ts');
  const { monthBudget, recordSpend } = await import('./draft/monthly-budget.ts');
  // Only calls to a paid API count against the month; the extractive provider costs nothing.
  const paid = provider.name === 'openai';
  const month = monthBudget(context.config, state, context.now);
  const budgetNotes: Finding[] = [];
  // In batch mode the month is weighed after collecting, which turns held estimates into spending.
  if (paid && !provider.batch && month.leftUsd !== undefined && month.leftUsd <= 0) {
    const reached = findingFrom(MonthlyBudgetReached, [month.month, month.spentUsd, context.config.draft.monthlyBudgetUsd!], { severity: 'warning' });
    return { articles: [], archive, counts: { topics: 0, written: 0, monthSpentUsd: month.spentUsd, monthLeftUsd: 0 }, findings: [reached] };
  }
  const retry = options.retry === undefined ? undefined : findRetryTarget(context.config, state, archive, options.retry);
  const ordered = retry ? [retry.topic, ...topics.filter((topic) => topic.key !== retry.topic.key)] : topics;
  const draftContext = paid ? { ...context, config: month.config } : context;
  const drafted = provider.batch
    ? await (await import('./draft/batch-drafting.ts')).draftInBatches(context, state, ordered, provider, { retry: retry?.topic.key, checkpoint: () => persist(context, state) })
    : await draftTopics(draftContext, state, ordered, provider, { retry: retry?.topic.key });
  if (paid && !context.dryRun) recordSpend(state, context.now, { costUsd: drafted.counts.costUsd, calls: drafted.counts.providerCalls });
  if (paid && month.leftUsd !== undefined) {
    const spent = state.spend?.[month.month]?.costUsd ?? month.spentUsd;
    const held = batchesInFlight(state).reduce((sum, batch) => sum + batch.estimatedCostUsd, 0);
    budgetNotes.push(findingFrom(MonthlyBudgetStatus, [month.month, spent, Math.max(0, context.config.draft.monthlyBudgetUsd! - spent - held)], { severity: 'info' }));
  }
  // A retried draft is checked without its old file, which it would otherwise near-duplicate.
  const base = retry?.file ? { ...archive, files: archive.files.filter((entry) => entry !== retry.file), articles: archive.articles.filter((article) => article.file !== retry.file!.file) } : archive;
  const checked = validateDrafts(context.config, base, drafted.drafts);
  const kept = retry ? replaceIfBetter(context.config, archive, checked, retry) : { archive, drafts: checked, findings: [] };
  const written = await writeDrafts(context, state, kept.archive, kept.drafts);
  // A collected batch leaves the state only in the save that follows these writes.
  if (provider.batch) (await import('./draft/batch-drafting.ts')).dropAnsweredBatches(state);
  const articles = written.outcomes;
  const count = (status: string) => articles.filter((article) => article.status === status).length;
  const { topics: chosen = 0, failed = 0, ...spending } = drafted.counts;
  return {
    articles,
    archive: written.archive,
    counts: { topics: chosen, written: count('written'), quarantined: count('quarantined'), unchanged: count('unchanged'), failed: failed + count('failed'), ...spending },
    findings: [...drafted.findings, ...kept.findings, ...articles.flatMap((article) => article.findings), ...budgetNotes],
  };
}

export async function commandValidate(context: Context, paths: string[], archive?: Archive): Promise<StageReport[]> {
  const { validatePaths } = await import('./validate/validate.ts');
  // A dry run reads validate's cache but does not write it.
  return [strip(await timed('validate', () => validatePaths(context.config, paths, undefined, { cache: context.dryRun ? 'read' : true, ...(archive ? { archive } : {}) })))];
}

export async function commandCheckLinks(context: Context): Promise<StageReport[]> {
  const { checkLinks } = await import('./maintenance/check-links.ts');
  const archive = await readArchive(context.config.resolved.articles);
  return [strip(await timed('check-links', () => checkLinks(context, archive, { noCache: context.noCache })))];
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
  const archive = await readArchive(context.config.resolved.articles);
  return [...(await commandComposeIssue(context, archive)), ...(await commandRenderIssues(context, archive))];
}

/** The issue's source only (content/newsletter/); `run` does this before the build, for the archive. */
async function commandComposeIssue(context: Context, archive: Archive): Promise<StageReport[]> {
  const state = await loadState(context.config.resolved.state);
  const { selectIntroWriter } = await import('./newsletter/newsletter-intro.ts');
  const { composeIssue } = await import('./newsletter/newsletter.ts');
  const writer = await selectIntroWriter(context);
  const stage = await timed('newsletter', async () => {
    const result = await composeIssue(context, state, archive.articles, writer);
    return { ...result, details: { created: result.created } };
  });
  await persist(context, state);
  return [strip(stage)];
}

/** Every issue's email files into the outbox (newsletter.outDir), never into the deployed site. */
async function commandRenderIssues(context: Context, archive: Archive): Promise<StageReport[]> {
  const { renderIssues } = await import('./newsletter/newsletter.ts');
  const stage = await timed('email', async () => {
    const result = await renderIssues(context, archive.articles);
    return { ...result, details: { rendered: result.rendered } };
  });
  return [strip(stage)];
}

export async function commandSocial(context: Context, archive?: Archive): Promise<StageReport[]> {
  const { articles } = archive ?? (await readArchive(context.config.resolved.articles));
  const { runSocial } = await import('./social/social.ts');
  const stage = await timed('social', async () => {
    const result = await runSocial(context, articles);
    return { ...result, details: { created: result.created, exported: result.exported } };
  });
  return [strip(stage)];
}

/** `drafts`: what waits on the editor's desk, each draft with what validation finds in it now. */
export async function commandDrafts(context: Context): Promise<StageReport[]> {
  const { deskBatches, deskDrafts } = await import('./desk/desk-drafts.ts');
  const { monthBudget } = await import('./draft/monthly-budget.ts');
  const state = await loadState(context.config.resolved.state);
  const stage = await timed('drafts', async () => {
    const drafts = deskDrafts(context.config, await readArchive(context.config.resolved.articles));
    const count = (severity: string) => drafts.reduce((sum, draft) => sum + draft.findings.filter((finding) => finding.severity === severity).length, 0);
    const month = monthBudget(context.config, state, context.now);
    const spending: Record<string, number> = month.leftUsd === undefined ? {} : { monthSpentUsd: month.spentUsd, monthLeftUsd: month.leftUsd };
    const batches = deskBatches(state);
    // The drafts' findings are the listing's content, not failures of this command.
    return { counts: { drafts: drafts.length, errors: count('error'), warnings: count('warning'), batchesInFlight: batches.length, ...spending }, findings: [], details: { drafts, batches } };
  });
  return [strip(stage)];
}

/** `approve <slug>` and `reject <slug>`: one decision on one draft. */
export async function commandDecide(context: Context, decision: 'approve' | 'reject', slug: string): Promise<StageReport[]> {
  const state = await loadState(context.config.resolved.state);
  const archive = await readArchive(context.config.resolved.articles);
  const act = decision === 'approve' ? (await import('./desk/approve-draft.ts')).approveDraft : (await import('./desk/reject-draft.ts')).rejectDraft;
  const stage = await timed(decision, () => act(context, state, archive, slug));
  await persist(context, state);
  return [strip(stage)];
}

/**
 * The whole pipeline: ingest → trends → draft → validate → newsletter issue → build → email files
 * → social posts. The articles are read once, after ingest, into the archive every later stage is
 * handed; the write step adds what it wrote, so nothing is read back.
 */
export async function commandRun(context: Context, provider?: DraftProvider, options: { build?: boolean } & DraftRunOptions = {}): Promise<StageReport[]> {
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
  const drafted = await commandDraft(context, provider, await readArchive(context.config.resolved.articles), { retry: options.retry });
  const archive = drafted.archive;
  reports.push(...drafted.reports);
  if (stopped()) return reports;
  // Drafts wait on the desk (they were checked when written, and are checked again on approval):
  // what gates the build is the articles that would be published.
  const onDesk = archive.files.filter((entry) => entry.data?.draft === true).length;
  const validation = await commandValidate(context, [], { ...archive, files: archive.files.filter((entry) => entry.data?.draft !== true) });
  if (onDesk > 0) validation[0]!.findings.push(findingFrom(DeskDraftsWaiting, [onDesk], { severity: 'info' }));
  reports.push(...validation);
  // Building a site from content that fails validation would publish the failure.
  if (validation.some((report) => report.findings.some((finding) => finding.severity === 'error'))) {
    reports.push({ stage: 'build', durationMs: 0, counts: { skipped: 1 }, findings: [findingFrom(BuildSkipped, [])] });
    return reports;
  }
  // The issue's source is written before the build, so the site's archive lists it.
  reports.push(...(await commandComposeIssue(context, archive)));
  if (stopped()) return reports;
  // `run --no-build`: content only (a CI job that builds in a step of its own, the steady-state bench).
  if (options.build !== false) {
    const build = await commandBuild(context);
    reports.push(...build);
    if (stopped()) return reports;
    if (build.some((report) => (report.counts.failed ?? 0) > 0)) return reports;
  }
  reports.push(...(await commandRenderIssues(context, archive)));
  if (stopped()) return reports;
  reports.push(...(await commandSocial(context, archive)));
  return reports;
}

async function trendsFromState(context: Context, state: State, archive: Archive) {
  const { rankHistory } = await import('./trends/rank-history.ts');
  const result = rankHistory(context.config, state, coverageOf(archive));
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
