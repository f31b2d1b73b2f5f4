import { fileOfSlug, type Archive } from '../archive/archive.ts';
import { displayPath } from '../config/niche-config.ts';
import type { Context } from '../context.ts';
import { DeskApproveRefused, DeskDraftMissing, DeskNotADraft, WriteFailed } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { writeFileAtomic } from '../lib/atomic-write.ts';
import { contentWrite } from '../lib/scratch-dir.ts';
import type { State } from '../state.ts';
import { checkAgainstArchive } from './desk-drafts.ts';
import { editFrontmatter } from './edit-frontmatter.ts';

export interface DeskResult {
  counts: Record<string, number>;
  findings: Finding[];
  details: { slug: string; file?: string; status: string };
}

/**
 * Publishes a draft the editor has looked at: the file is validated as it is now, and only when no
 * error-level finding remains does it lose `draft: true` and the recorded `validation:` list. Its
 * `publishedAt` becomes the run's clock (a draft approved today is news today), unless the editor
 * dated it later on purpose. Otherwise nothing changes and the findings say what to fix.
 */
export async function approveDraft(context: Context, state: State, archive: Archive, slug: string): Promise<DeskResult> {
  const { config } = context;
  const entry = fileOfSlug(archive, slug);
  if (!entry) return refused(slug, 'missing', [findingFrom(DeskDraftMissing, [slug, displayPath(config.root, archive.folder)])]);
  const shown = displayPath(config.root, entry.file);
  if (entry.data?.draft !== true) return refused(slug, 'not-a-draft', [findingFrom(DeskNotADraft, [shown], { file: shown })], shown);

  const errors = checkAgainstArchive(config, archive, entry).filter((finding) => finding.severity === 'error');
  if (errors.length > 0) return refused(slug, 'refused', [findingFrom(DeskApproveRefused, [shown, errors.length], { file: shown }), ...errors], shown);

  const dated = Date.parse(String(entry.data.publishedAt ?? ''));
  const publishedAt = Number.isNaN(dated) || dated < context.now.getTime() ? context.now.toISOString() : new Date(dated).toISOString();
  const text = editFrontmatter(entry.text, (document) => {
    document.delete('draft');
    document.delete('validation');
    document.set('publishedAt', publishedAt);
  });
  if (!context.dryRun) {
    try {
      await writeFileAtomic(entry.file, text, contentWrite(config));
    } catch (error) {
      return refused(slug, 'failed', [findingFrom(WriteFailed, [shown, (error as Error).message], { file: shown })], shown);
    }
    const key = topicKey(entry.data);
    if (key) state.topics[key] = { slug, status: 'published', draftedAt: state.topics[key]?.draftedAt ?? context.now.toISOString() };
  }
  return { counts: { approved: 1 }, findings: [], details: { slug, file: shown, status: 'published' } };
}

export function topicKey(data: Record<string, unknown> | undefined): string | undefined {
  const topic = data?.topic as { key?: unknown } | undefined;
  return typeof topic?.key === 'string' ? topic.key : undefined;
}

function refused(slug: string, status: string, findings: Finding[], file?: string): DeskResult {
  return { counts: { approved: 0 }, findings, details: { slug, ...(file ? { file } : {}), status } };
}
