import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { displayPath, type ResolvedConfig } from '../config/niche-config.ts';
import type { Context } from '../context.ts';
import { CssInlinerMissing, EmailMarkupUnsafe, EmailTooLarge, NewsletterIntroFailed, NothingForNewsletter } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { writeFileIfChanged } from '../lib/atomic-write.ts';
import { CssInlinerUnavailable, inlineCss } from './inline-css.ts';
import { isPublished, type LoadedArticle } from '../archive/archive.ts';
import { buildMimeMessage } from './mime-message.ts';
import { extractiveIntroWriter, type IntroWriter } from './newsletter-intro.ts';
import { checkEmailHtml, EMAIL_MAX_BYTES } from './email-limits.ts';
import { issueContent, type IssueContent } from './issue-content.ts';
import { loadIssues, padIssue, writeIssue, type NewsletterIssue } from './issue-source.ts';
import { renderEmailTemplate } from './render-email-html.ts';
import { renderEmailText } from './render-email-text.ts';
import { renderIssueMarkdown } from './render-issue-markdown.ts';
import type { State } from '../state.ts';

/**
 * Newsletter issues, in two steps:
 *
 * - compose: decide whether there is a new issue and write its source,
 *   content/newsletter/<NNNN>.md (number, date, subject, article slugs, intro). `run` composes
 *   before the site build, so the archive (/newsletter/) already lists the new issue.
 * - render: write every issue's email files into dist/newsletter/<NNNN>/ — email.html (CSS
 *   inlined), email.txt, issue.md and issue.eml. Every run renders every issue again, because
 *   the site build replaces dist/ as a whole; a file that would not change is not rewritten.
 *
 * Which articles: those published since the newsletter began that no issue carried yet (before
 * the first issue: the newest ones), at most `newsletter.maxArticles`, the longest-waiting first
 * so none is skipped for good; shown newest first.
 */

export interface ComposeResult {
  created: number | undefined;
  counts: Record<string, number>;
  findings: Finding[];
}

export interface RenderResult {
  rendered: string[];
  counts: Record<string, number>;
  findings: Finding[];
}

export async function composeIssue(context: Context, state: State, articles: readonly LoadedArticle[], writer: IntroWriter | undefined): Promise<ComposeResult> {
  const { config } = context;
  const { issues, findings } = await loadIssues(config);
  // A damaged issue source could hide which articles were sent: better no issue than a repeat.
  if (findings.length > 0) return { created: undefined, counts: { issues: issues.length, created: 0, articles: 0 }, findings };

  // An issue written by a run killed before it saved the state is the last issue all the same.
  const last = Math.max(state.newsletter.lastIssue, ...issues.map((issue) => issue.issue), 0);
  if (!context.dryRun) state.newsletter.lastIssue = last;
  const published = articles.filter((article) => isPublished(article, context.now));
  const fresh = pickArticles(published, issues, config.newsletter.maxArticles);
  if (fresh.length === 0) {
    findings.push(findingFrom(NothingForNewsletter, [], { severity: 'info' }));
    return { created: undefined, counts: { issues: issues.length, created: 0, articles: 0 }, findings };
  }

  const number = last + 1;
  const intro = await writeIntro(writer, number, fresh, config, findings);
  const issue: NewsletterIssue = {
    issue: number,
    date: context.now,
    subject: `${config.newsletter.title ?? config.site.title} #${number}: ${fresh[0]!.frontmatter.title}`,
    articles: fresh.map((article) => article.slug),
    intro: intro?.text ?? '',
  };
  if (intro) issue.introBy = intro.prompt ? { model: intro.model, prompt: intro.prompt } : { model: intro.model };
  if (!context.dryRun) {
    await writeIssue(config, issue);
    state.newsletter.lastIssue = number;
  }
  return { created: number, counts: { issues: issues.length + 1, created: 1, articles: fresh.length }, findings };
}

/** Renders every issue's email files (in a dry run: nothing is written, nothing is rendered). */
export async function renderIssues(context: Context, articles: readonly LoadedArticle[]): Promise<RenderResult> {
  const { config } = context;
  const { issues, findings } = await loadIssues(config);
  const rendered: string[] = [];
  if (context.dryRun) return { rendered, counts: { rendered: 0 }, findings };

  const bySlug = new Map(articles.map((article) => [article.slug, article]));
  let inlinerMissing = false;
  for (const issue of issues) {
    const articles = issue.articles.map((slug) => bySlug.get(slug)).filter((article) => article !== undefined);
    const content = issueContent(issue, articles, config);
    const out = join(config.resolved.outDir, 'newsletter', padIssue(issue.issue));
    const text = renderEmailText(content);
    await writeFileIfChanged(join(out, 'email.txt'), text);
    await writeFileIfChanged(join(out, 'issue.md'), renderIssueMarkdown(content));
    rendered.push(displayPath(config.root, out));
    if (inlinerMissing) continue;

    let html: string;
    try {
      html = await inlineCss(renderEmailTemplate(content));
    } catch (error) {
      if (!(error instanceof CssInlinerUnavailable)) throw error;
      inlinerMissing = true;
      findings.push(findingFrom(CssInlinerMissing, [error.message]));
      continue;
    }
    const shown = displayPath(config.root, join(out, 'email.html'));
    for (const problem of checkEmailHtml(html, { allowedPlaceholders: [config.newsletter.unsubscribeUrl] })) {
      findings.push(
        problem.kind === 'size'
          ? findingFrom(EmailTooLarge, [shown, Math.ceil(Buffer.byteLength(html) / 1024), EMAIL_MAX_BYTES / 1024], { file: shown })
          : findingFrom(EmailMarkupUnsafe, [shown, problem.message], { file: shown }),
      );
    }
    await writeFileIfChanged(join(out, 'email.html'), html);
    await writeFileIfChanged(join(out, 'issue.eml'), issueMessage(issue, content, text, html, config));
  }
  return { rendered, counts: { rendered: rendered.length }, findings };
}

/** The `newsletter` command: compose a new issue if there is news, then render them all. */
export async function runNewsletter(
  context: Context,
  state: State,
  articles: readonly LoadedArticle[],
  writer: IntroWriter | undefined = extractiveIntroWriter,
): Promise<ComposeResult & RenderResult> {
  const composed = await composeIssue(context, state, articles, writer);
  const rendered = await renderIssues(context, articles);
  return {
    created: composed.created,
    rendered: rendered.rendered,
    counts: { ...composed.counts, ...rendered.counts },
    findings: [...composed.findings, ...rendered.findings.filter((finding) => !composed.findings.some((seen) => seen.message === finding.message))],
  };
}

function pickArticles(published: readonly LoadedArticle[], issues: NewsletterIssue[], max: number): LoadedArticle[] {
  const sent = new Set(issues.flatMap((issue) => issue.articles));
  const unsent = published.filter((article) => !sent.has(article.slug));
  const first = issues[0];
  if (!first) return unsent.slice(0, max);
  // `published` is newest first: the longest-waiting are at the end.
  const waiting = unsent.filter((article) => article.frontmatter.publishedAt.getTime() >= first.date.getTime());
  const picked = new Set(waiting.slice(-max));
  return waiting.filter((article) => picked.has(article));
}

async function writeIntro(
  writer: IntroWriter | undefined,
  issue: number,
  articles: LoadedArticle[],
  config: ResolvedConfig,
  findings: Finding[],
) {
  if (!writer) return undefined;
  try {
    return await writer.write({ issue, articles, config });
  } catch (error) {
    if (writer === extractiveIntroWriter) throw error;
    findings.push(findingFrom(NewsletterIntroFailed, [(error as Error).message], { severity: 'warning' }));
    return extractiveIntroWriter.write({ issue, articles, config });
  }
}

function issueMessage(issue: NewsletterIssue, content: IssueContent, text: string, html: string, config: ResolvedConfig): string {
  const host = new URL(config.site.url).hostname;
  const title = config.newsletter.title ?? config.site.title;
  const unsubscribe = [`<${config.newsletter.unsubscribeUrl}>`];
  if (config.newsletter.unsubscribeMailto) unsubscribe.push(`<${config.newsletter.unsubscribeMailto}>`);
  const digest = createHash('sha256').update(`${content.number}\n${content.date}\n${content.subject}`).digest('hex').slice(0, 12);
  return buildMimeMessage({
    from: config.newsletter.from ?? `${title} <newsletter@${host}>`,
    subject: content.subject,
    date: issue.date,
    messageId: `issue-${content.number}.${digest}@${host}`,
    headers: [
      ['List-Id', `${title.replace(/[<>"]/g, '')} <newsletter.${host}>`],
      // RFC 2369 + RFC 8058: the service replaces the placeholder with the subscriber's own
      // HTTPS one-click link; mail providers POST "List-Unsubscribe=One-Click" to it.
      ['List-Unsubscribe', unsubscribe.join(', ')],
      ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
    ],
    text,
    html,
  });
}
