import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import matter from 'gray-matter';
import { displayPath } from '../config/niche-config.ts';
import type { Context } from '../context.ts';
import { ArticleKept, DraftQuarantined, HumanEditKept, WriteFailed } from '../errors/catalogue.ts';
import { findingFrom, formatLocation, type Finding } from '../errors/finding.ts';
import { writeFileAtomic } from '../lib/atomic-write.ts';
import { contentWrite } from '../lib/scratch-dir.ts';
import type { State } from '../state.ts';
import { serializeArticle, type AssembledArticle } from '../draft/assemble-article.ts';

export interface WriteOutcome {
  status: 'written' | 'quarantined' | 'unchanged' | 'failed';
  /** Path relative to the project root. */
  file: string;
  slug: string;
  findings: Finding[];
}

/**
 * Writes a drafted article to content/articles/<slug>.md — atomically, and never over an
 * existing file:
 *
 * - a slug taken by another topic's article, or by a human's article (no `topic.key`), gets a
 *   numeric suffix (`<slug>-2.md`); the human's file is reported (NP6002, info);
 * - the file this topic wrote before is never rewritten: identical (a rerun after a crash between
 *   writing the article and saving the state) it is simply found again; different (edited by
 *   hand, or drafted again from other sources) it is kept and the difference reported (NP6004).
 *
 * An article that failed error-level validation is still written, but as `draft: true` with its
 * findings recorded, so nothing is lost and nothing bad is published.
 */
export async function writeArticle(
  context: Context,
  state: State,
  article: AssembledArticle,
  validation: Finding[],
): Promise<WriteOutcome> {
  const topicKey = article.frontmatter.topic?.key ?? article.slug;
  const errors = validation.filter((finding) => finding.severity === 'error');

  const slot = await findSlot(context.config.resolved.articles, article.slug, topicKey);
  const file = join(context.config.resolved.articles, `${slot.slug}.md`);
  const shown = displayPath(context.config.root, file);
  const findings: Finding[] = slot.humanFiles.map((name) => {
    const human = displayPath(context.config.root, join(context.config.resolved.articles, name));
    return findingFrom(HumanEditKept, [human], { severity: 'info', file: human });
  });

  let text = article.text;
  if (errors.length > 0) {
    const frontmatter = {
      ...article.frontmatter,
      draft: true,
      validation: errors.map((finding) => `${finding.rule ?? finding.code}: ${finding.message}`),
    };
    text = serializeArticle(frontmatter, article.body);
    if (slot.existing === undefined) {
      findings.push(findingFrom(DraftQuarantined, [shown], { severity: 'warning', file: shown }));
      for (const error of errors) findings.push({ ...error, file: shown, message: `${error.message} (in the draft, at ${formatLocation(error)})` });
    }
  }
  if (slot.existing !== undefined) {
    // Compared with the draft as drafted too: validated against an archive that holds this very
    // file, a redraft is flagged as its near-duplicate and would look different when it is not.
    if (slot.existing !== text && slot.existing !== article.text) findings.push(findingFrom(ArticleKept, [shown, topicKey], { severity: 'info', file: shown }));
    if (!context.dryRun && !state.topics[topicKey]) {
      state.topics[topicKey] = { slug: slot.slug, status: /^draft: true$/m.test(slot.existing) ? 'draft' : 'published', draftedAt: context.now.toISOString() };
    }
    return { status: 'unchanged', file: shown, slug: slot.slug, findings };
  }

  if (!context.dryRun) {
    try {
      await writeFileAtomic(file, text, contentWrite(context.config));
    } catch (error) {
      return { status: 'failed', file: shown, slug: slot.slug, findings: [findingFrom(WriteFailed, [shown, (error as Error).message], { file: shown })] };
    }
    state.topics[topicKey] = { slug: slot.slug, status: errors.length > 0 ? 'draft' : 'published', draftedAt: context.now.toISOString() };
  }
  return { status: errors.length > 0 ? 'quarantined' : 'written', file: shown, slug: slot.slug, findings };
}

/**
 * The first free `<slug>[-n].md`, or the file this topic already wrote with its current text (a
 * rerun after a crash between writing the article and saving the state must not write a
 * duplicate), plus the hand-written files (no topic key) passed over on the way.
 */
async function findSlot(folder: string, slug: string, topicKey: string): Promise<{ slug: string; existing: string | undefined; humanFiles: string[] }> {
  const humanFiles: string[] = [];
  for (let attempt = 1; attempt < 100; attempt++) {
    const candidate = attempt === 1 ? slug : `${slug}-${attempt}`;
    let text: string;
    try {
      text = await readFile(join(folder, `${candidate}.md`), 'utf8');
    } catch {
      return { slug: candidate, existing: undefined, humanFiles };
    }
    const key = topicKeyOf(text);
    if (key === topicKey) return { slug: candidate, existing: text, humanFiles: [] };
    if (key === undefined) humanFiles.push(`${candidate}.md`);
  }
  throw new Error(`no free file name for ${slug} after 99 attempts`);
}

function topicKeyOf(text: string): string | undefined {
  try {
    const data = matter(text, {}).data as { topic?: { key?: unknown } };
    return typeof data.topic?.key === 'string' ? data.topic.key : undefined;
  } catch {
    return undefined;
  }
}
