import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { parseFrontmatter } from '../archive/parse-frontmatter.ts';
import { displayPath, type ResolvedConfig } from '../config/niche-config.ts';
import { NewsletterIssueInvalid } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { writeFileAtomic } from '../lib/atomic-write.ts';
import { contentWrite } from '../lib/scratch-dir.ts';
import { schemaIssues } from '../lib/schema-issues.ts';

/**
 * An issue's source: content/newsletter/<NNNN>.md — frontmatter (number, date, subject, the
 * article slugs it carries) and the intro as the body. Committed like the articles, so the
 * archive and every rendered email can be rebuilt from it at any time, and an editor can fix a
 * subject or an intro by hand before sending.
 */

const issueSchema = z.strictObject({
  issue: z.number().int().positive(),
  date: z.coerce.date(),
  subject: z.string().min(1),
  articles: z.array(z.string().min(1)).min(1),
  /** Who wrote the intro: `extractive`, or the model and prompt version (audit trail). */
  introBy: z.strictObject({ model: z.string(), prompt: z.strictObject({ name: z.string(), hash: z.string() }).optional() }).optional(),
});

export type NewsletterIssue = z.infer<typeof issueSchema> & { intro: string };

export function newsletterFolder(config: ResolvedConfig): string {
  return join(config.resolved.articles, '..', 'newsletter');
}

/** `3` → `0003`: folder names and URLs sort in issue order. */
export function padIssue(number: number): string {
  return String(number).padStart(4, '0');
}

/**
 * Every issue source, in issue order. A damaged file is a finding (never silently skipped: the
 * articles it carries would otherwise be sent again in the next issue).
 */
export async function loadIssues(config: ResolvedConfig): Promise<{ issues: NewsletterIssue[]; findings: Finding[] }> {
  const folder = newsletterFolder(config);
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => /^\d+\.md$/.test(name));
  } catch {
    return { issues: [], findings: [] };
  }
  const issues: NewsletterIssue[] = [];
  const findings: Finding[] = [];
  for (const name of names.sort()) {
    const file = join(folder, name);
    const shown = displayPath(config.root, file);
    try {
      const parsed = parseFrontmatter(await readFile(file, 'utf8'));
      const result = issueSchema.safeParse(parsed.data);
      if (!result.success) {
        const first = schemaIssues(result.error)[0];
        findings.push(findingFrom(NewsletterIssueInvalid, [shown, first ? `${first.dottedPath}: ${first.message}` : 'invalid frontmatter'], { file: shown }));
        continue;
      }
      if (`${padIssue(result.data.issue)}.md` !== name) {
        findings.push(findingFrom(NewsletterIssueInvalid, [shown, `the file name says issue ${Number.parseInt(name, 10)} but the frontmatter says ${result.data.issue}`], { file: shown }));
        continue;
      }
      issues.push({ ...result.data, intro: parsed.content.trim() });
    } catch (error) {
      findings.push(findingFrom(NewsletterIssueInvalid, [shown, (error as Error).message.split('\n')[0] ?? 'unreadable'], { file: shown }));
    }
  }
  return { issues: issues.sort((a, b) => a.issue - b.issue), findings };
}

export async function writeIssue(config: ResolvedConfig, issue: NewsletterIssue): Promise<string> {
  const { intro, ...data } = issue;
  const file = join(newsletterFolder(config), `${padIssue(issue.issue)}.md`);
  await writeFileAtomic(file, `---\n${stringify({ ...data, date: data.date.toISOString() }, { lineWidth: 0 })}---\n\n${intro}\n`, contentWrite(config));
  return file;
}
