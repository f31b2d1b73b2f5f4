import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileOfSlug, rejectedFolder, type Archive } from '../archive/archive.ts';
import { displayPath } from '../config/niche-config.ts';
import type { Context } from '../context.ts';
import { DeskDraftMissing, DeskNotADraft, WriteFailed } from '../errors/catalogue.ts';
import { findingFrom } from '../errors/finding.ts';
import { writeFileAtomic } from '../lib/atomic-write.ts';
import { contentWrite } from '../lib/scratch-dir.ts';
import type { State } from '../state.ts';
import { topicKey, type DeskResult } from './approve-draft.ts';

/**
 * Takes a draft off the desk for good: the file moves to the rejected folder (kept, so a paid
 * answer is never lost and the decision can be undone by moving it back), and its topic is
 * recorded as rejected in the state, so it is never drafted again. Only drafts can be rejected:
 * a published article is the editor's to delete by hand.
 */
export async function rejectDraft(context: Context, state: State, archive: Archive, slug: string): Promise<DeskResult> {
  const { config } = context;
  const entry = fileOfSlug(archive, slug);
  if (!entry) return { counts: { rejected: 0 }, findings: [findingFrom(DeskDraftMissing, [slug, displayPath(config.root, archive.folder)])], details: { slug, status: 'missing' } };
  const shown = displayPath(config.root, entry.file);
  if (entry.data?.draft !== true) return { counts: { rejected: 0 }, findings: [findingFrom(DeskNotADraft, [shown], { file: shown })], details: { slug, file: shown, status: 'not-a-draft' } };

  const target = join(rejectedFolder(config.resolved.articles), `${slug}.md`);
  if (!context.dryRun) {
    try {
      // Copy first, then remove: a run killed in between leaves the draft in both places, and
      // rejecting it again finishes the move.
      await writeFileAtomic(target, entry.text, contentWrite(config));
      await rm(entry.file);
    } catch (error) {
      return { counts: { rejected: 0 }, findings: [findingFrom(WriteFailed, [displayPath(config.root, target), (error as Error).message])], details: { slug, file: shown, status: 'failed' } };
    }
    const key = topicKey(entry.data) ?? slug;
    state.topics[key] = { slug, status: 'rejected', draftedAt: state.topics[key]?.draftedAt ?? context.now.toISOString() };
  }
  return { counts: { rejected: 1 }, findings: [], details: { slug, file: displayPath(config.root, target), status: 'rejected' } };
}
