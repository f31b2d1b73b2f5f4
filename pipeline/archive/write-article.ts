import { join } from 'node:path';
import { displayPath } from '../config/niche-config.ts';
import type { Context } from '../context.ts';
import { ArticleKept, DraftQuarantined, HumanEditKept, WriteFailed } from '../errors/catalogue.ts';
import { findingFrom, formatLocation, type Finding } from '../errors/finding.ts';
import { writeFileAtomic } from '../lib/atomic-write.ts';
import { contentWrite } from '../lib/scratch-dir.ts';
import type { State } from '../state.ts';
import { serializeArticle, type AssembledArticle } from '../draft/assemble-article.ts';
import type { CheckedDraft } from '../validate/validate-drafts.ts';
import { archiveFile, fileOfSlug, withFile, type Archive, type ArchiveFile } from './archive.ts';

export interface WriteOutcome {
  status: 'written' | 'quarantined' | 'unchanged' | 'failed';
  /** Path relative to the project root. */
  file: string;
  slug: string;
  findings: Finding[];
}

export interface WriteDraftsResult {
  outcomes: WriteOutcome[];
  /** The archive with what was written: later stages of the run see it without reading it back. */
  archive: Archive;
}

/**
 * The write step: each checked draft into the articles folder, one after the other (two topics
 * with the same title must not both see `<slug>.md` free).
 */
export async function writeDrafts(context: Context, state: State, archive: Archive, drafts: readonly CheckedDraft[]): Promise<WriteDraftsResult> {
  const outcomes: WriteOutcome[] = [];
  for (const draft of drafts) {
    const { outcome, text, file } = await writeArticle(context, state, archive, draft.article, draft.validation);
    // Error-level findings of the draft are part of its validation, reported with it below.
    outcomes.push({ ...outcome, findings: [...draft.findings.filter((finding) => finding.severity !== 'error'), ...outcome.findings] });
    if (text !== undefined) archive = withFile(archive, archiveFile(archive.folder, file, text));
  }
  return { outcomes, archive };
}

/**
 * The state learns which file covers each topic the archive holds but the state does not know: a
 * run killed between writing an article and saving the state leaves such a file, and its topic
 * counts as covered, so it would never be drafted (and recorded) again.
 */
export function recordArchivedTopics(state: State, archive: Archive, now: Date): void {
  for (const entry of archive.files) {
    const key = topicKeyOf(entry);
    if (key === undefined || state.topics[key]) continue;
    state.topics[key] = { slug: entry.slug, status: entry.data?.draft === true ? 'draft' : 'published', draftedAt: now.toISOString() };
  }
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
async function writeArticle(
  context: Context,
  state: State,
  archive: Archive,
  article: AssembledArticle,
  validation: Finding[],
): Promise<{ outcome: WriteOutcome; file: string; text?: string }> {
  const topicKey = article.frontmatter.topic?.key ?? article.slug;
  const errors = validation.filter((finding) => finding.severity === 'error');

  const slot = findSlot(archive, article.slug, topicKey);
  const file = join(archive.folder, `${slot.slug}.md`);
  const shown = displayPath(context.config.root, file);
  const findings: Finding[] = slot.humanFiles.map((name) => {
    const human = displayPath(context.config.root, join(archive.folder, name));
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
      for (const error of errors) {
        // Rule findings point into the draft as validated; drafting's own (about the answer) point nowhere.
        const at = error.file ? ` (in the draft, at ${formatLocation(error)})` : '';
        findings.push({ ...error, file: shown, message: `${error.message}${at}` });
      }
    }
  }
  if (slot.existing !== undefined) {
    // Compared with the draft as drafted too: validated against an archive that holds this very
    // file, a redraft is flagged as its near-duplicate and would look different when it is not.
    if (slot.existing !== text && slot.existing !== article.text) findings.push(findingFrom(ArticleKept, [shown, topicKey], { severity: 'info', file: shown }));
    if (!context.dryRun && !state.topics[topicKey]) {
      state.topics[topicKey] = { slug: slot.slug, status: /^draft: true$/m.test(slot.existing) ? 'draft' : 'published', draftedAt: context.now.toISOString() };
    }
    return { outcome: { status: 'unchanged', file: shown, slug: slot.slug, findings }, file };
  }

  if (!context.dryRun) {
    try {
      await writeFileAtomic(file, text, contentWrite(context.config));
    } catch (error) {
      return { outcome: { status: 'failed', file: shown, slug: slot.slug, findings: [findingFrom(WriteFailed, [shown, (error as Error).message], { file: shown })] }, file };
    }
    state.topics[topicKey] = { slug: slot.slug, status: errors.length > 0 ? 'draft' : 'published', draftedAt: context.now.toISOString() };
  }
  return { outcome: { status: errors.length > 0 ? 'quarantined' : 'written', file: shown, slug: slot.slug, findings }, file, text };
}

/**
 * The first free `<slug>[-n].md`, or the file this topic already wrote with its current text (a
 * rerun after a crash between writing the article and saving the state must not write a
 * duplicate), plus the hand-written files (no topic key) passed over on the way.
 */
function findSlot(archive: Archive, slug: string, topicKey: string): { slug: string; existing: string | undefined; humanFiles: string[] } {
  const humanFiles: string[] = [];
  for (let attempt = 1; attempt < 100; attempt++) {
    const candidate = attempt === 1 ? slug : `${slug}-${attempt}`;
    const taken = fileOfSlug(archive, candidate);
    if (!taken) return { slug: candidate, existing: undefined, humanFiles };
    const key = topicKeyOf(taken);
    if (key === topicKey) return { slug: candidate, existing: taken.text, humanFiles: [] };
    if (key === undefined) humanFiles.push(`${candidate}.md`);
  }
  throw new Error(`no free file name for ${slug} after 99 attempts`);
}

/** The topic key in a file's frontmatter; hand-written articles have none. */
function topicKeyOf(entry: ArchiveFile): string | undefined {
  const topic = entry.data?.topic as { key?: unknown } | undefined;
  return typeof topic?.key === 'string' ? topic.key : undefined;
}
