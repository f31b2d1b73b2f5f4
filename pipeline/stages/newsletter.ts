import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import matter from 'gray-matter';
import { stringify } from 'yaml';
import { z } from 'zod';
import { displayPath, type ResolvedConfig } from '../config.ts';
import type { Context } from '../context.ts';
import { NothingForNewsletter } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { writeFileAtomic } from '../lib/atomic-write.ts';
import { isPublished, loadArticles, type LoadedArticle } from '../lib/load-articles.ts';
import type { State } from '../state.ts';

/**
 * Newsletter issues. An issue's source is a small file in content/newsletter/ (number, date,
 * the articles it carries), committed like the articles, so the archive survives `dist/` being
 * rebuilt. Each run renders every issue's email files into dist/newsletter/<number>/.
 */

const issueSchema = z.object({
  issue: z.number().int().positive(),
  date: z.coerce.date(),
  subject: z.string(),
  articles: z.array(z.string()).min(1),
});

export type NewsletterIssue = z.infer<typeof issueSchema> & { intro: string };

export interface NewsletterResult {
  created: number | undefined;
  rendered: string[];
  counts: Record<string, number>;
  findings: Finding[];
}

export async function runNewsletter(context: Context, state: State): Promise<NewsletterResult> {
  const { config } = context;
  const folder = newsletterFolder(config);
  const issues = await loadIssues(folder);
  const articles = (await loadArticles(config.resolved.articles)).filter((article) => isPublished(article, context.now));
  const sent = new Set(issues.flatMap((issue) => issue.articles));
  const fresh = articles.filter((article) => !sent.has(article.slug)).slice(0, config.newsletter.maxArticles);

  const findings: Finding[] = [];
  let created: number | undefined;
  if (fresh.length === 0) {
    findings.push(findingFrom(NothingForNewsletter, [], { severity: 'info' }));
  } else {
    const number = Math.max(state.newsletter.lastIssue, ...issues.map((issue) => issue.issue), 0) + 1;
    const issue: NewsletterIssue = {
      issue: number,
      date: context.now,
      subject: `${config.newsletter.title ?? config.site.title} #${number}: ${fresh[0]!.frontmatter.title}`,
      articles: fresh.map((article) => article.slug),
      intro: extractiveIntro(fresh),
    };
    if (!context.dryRun) {
      const { intro, ...data } = issue;
      await writeFileAtomic(join(folder, `${pad(number)}.md`), `---\n${stringify({ ...data, date: data.date.toISOString() })}---\n\n${intro}\n`);
      state.newsletter.lastIssue = number;
    }
    issues.push(issue);
    created = number;
  }

  const rendered: string[] = [];
  if (!context.dryRun) {
    const bySlug = new Map(articles.map((article) => [article.slug, article]));
    for (const issue of issues) {
      const items = issue.articles.map((slug) => bySlug.get(slug)).filter((article) => article !== undefined);
      const out = join(config.resolved.outDir, 'newsletter', pad(issue.issue));
      await writeFileAtomic(join(out, 'email.html'), renderEmailHtml(issue, items, config));
      await writeFileAtomic(join(out, 'email.txt'), renderEmailText(issue, items, config));
      await writeFileAtomic(join(out, 'issue.md'), renderIssueMarkdown(issue, items, config));
      rendered.push(displayPath(config.root, out));
    }
  }
  return { created, rendered, counts: { issues: issues.length, created: created ? 1 : 0, articles: fresh.length }, findings };
}

export function newsletterFolder(config: ResolvedConfig): string {
  return join(config.resolved.articles, '..', 'newsletter');
}

async function loadIssues(folder: string): Promise<NewsletterIssue[]> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => /^\d+\.md$/.test(name));
  } catch {
    return [];
  }
  const issues: NewsletterIssue[] = [];
  for (const name of names.sort()) {
    const parsed = matter(await readFile(join(folder, name), 'utf8'), {});
    const result = issueSchema.safeParse(parsed.data);
    if (result.success) issues.push({ ...result.data, intro: parsed.content.trim() });
  }
  return issues;
}

/** The offline intro: plain, factual, built from the articles' own descriptions. */
function extractiveIntro(articles: LoadedArticle[]): string {
  const count = articles.length;
  return `This issue collects ${count} new ${count === 1 ? 'article' : 'articles'}. Each one links to its sources; read them before acting, and mind the risks listed in every piece.`;
}

function articleUrl(config: ResolvedConfig, slug: string, issue: number): string {
  const url = new URL(`articles/${slug}/`, config.site.url.endsWith('/') ? config.site.url : `${config.site.url}/`);
  // UTM tags say where a click came from; existing parameters are kept.
  for (const [key, value] of [
    ['utm_source', 'newsletter'],
    ['utm_medium', 'email'],
    ['utm_campaign', `issue-${issue}`],
  ] as const) {
    if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  }
  return url.toString();
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export function renderEmailHtml(issue: NewsletterIssue, articles: LoadedArticle[], config: ResolvedConfig): string {
  const date = issue.date.toISOString().slice(0, 10);
  const rows = articles
    .map(
      (article) => `<tr><td style="padding:16px 0;border-bottom:1px solid #e5e7eb;">
<a href="${escapeHtml(articleUrl(config, article.slug, issue.issue))}" style="color:#1d4ed8;font-size:18px;font-weight:bold;text-decoration:none;">${escapeHtml(article.frontmatter.title)}</a>
<p style="margin:8px 0 0;color:#374151;font-size:15px;line-height:1.5;">${escapeHtml(article.frontmatter.description)}</p>
</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${escapeHtml(config.site.language)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(issue.subject)}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6;">
<div style="display:none;max-height:0;overflow:hidden;">${escapeHtml(issue.intro.slice(0, 140))}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6;"><tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff;font-family:Arial,Helvetica,sans-serif;">
<tr><td style="padding:24px;">
<p style="margin:0;color:#6b7280;font-size:13px;">${escapeHtml(config.site.title)} · Issue ${issue.issue} · ${date}</p>
<h1 style="margin:8px 0 16px;font-size:24px;color:#111827;">${escapeHtml(issue.subject)}</h1>
<p style="margin:0 0 16px;color:#374151;font-size:15px;line-height:1.5;">${escapeHtml(issue.intro)}</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0">
${rows}
</table>
<p style="margin:24px 0 0;color:#6b7280;font-size:12px;line-height:1.5;">${escapeHtml(config.site.riskDisclaimer)}</p>
<p style="margin:12px 0 0;color:#6b7280;font-size:12px;"><a href="${escapeHtml(config.newsletter.unsubscribeUrl)}" style="color:#6b7280;">Unsubscribe</a></p>
</td></tr></table>
</td></tr></table>
</body>
</html>
`;
}

export function renderEmailText(issue: NewsletterIssue, articles: LoadedArticle[], config: ResolvedConfig): string {
  const lines = [
    `${config.site.title} · Issue ${issue.issue} · ${issue.date.toISOString().slice(0, 10)}`,
    '',
    issue.subject,
    '',
    issue.intro,
    '',
  ];
  for (const article of articles) {
    lines.push(`* ${article.frontmatter.title}`, `  ${article.frontmatter.description}`, `  ${articleUrl(config, article.slug, issue.issue)}`, '');
  }
  lines.push(config.site.riskDisclaimer, '', `Unsubscribe: ${config.newsletter.unsubscribeUrl}`, '');
  return lines.join('\n');
}

function renderIssueMarkdown(issue: NewsletterIssue, articles: LoadedArticle[], config: ResolvedConfig): string {
  const items = articles.map((article) => `- [${article.frontmatter.title}](${articleUrl(config, article.slug, issue.issue)}) — ${article.frontmatter.description}`);
  return `# ${issue.subject}\n\n${issue.intro}\n\n${items.join('\n')}\n\n${config.site.riskDisclaimer}\n`;
}

function pad(number: number): string {
  return String(number).padStart(4, '0');
}
