import { displayPath, type ResolvedConfig } from '../config/niche-config.ts';
import type { Archive, ArchiveFile } from '../archive/archive.ts';
import type { Finding } from '../errors/finding.ts';
import { batchesInFlight, type State } from '../state.ts';
import { defaultDetectLanguage } from '../validate/language-detector.ts';
import { duplicatesAmong } from '../validate/validate-drafts.ts';
import { recommendedPreset } from '../validate/rules/preset.ts';
import { validateArticleText } from '../validate/validate.ts';

/** A draft waiting on the editor's desk. */
export interface DeskDraft {
  slug: string;
  /** Path shown to people (relative to the project root). */
  file: string;
  title: string;
  topic: string | undefined;
  /** Why the pipeline kept it a draft (the `validation:` list it recorded), if it said. */
  reasons: string[];
  /** What validation finds in the file as it is now (the editor may have fixed some). */
  findings: Finding[];
}

/** The files of the archive marked `draft: true`, by slug. */
export function draftFiles(archive: Archive): ArchiveFile[] {
  return archive.files.filter((entry) => entry.data?.draft === true);
}

/** Every draft on the desk, each checked as it is now against the rest of the archive. */
export function deskDrafts(config: ResolvedConfig, archive: Archive): DeskDraft[] {
  return draftFiles(archive).map((entry) => deskDraft(config, archive, entry));
}

export function deskDraft(config: ResolvedConfig, archive: Archive, entry: ArchiveFile): DeskDraft {
  const data = entry.data ?? {};
  const topic = data.topic as { key?: unknown } | undefined;
  const reasons = Array.isArray(data.validation) ? data.validation.map(String) : [];
  return {
    slug: entry.slug,
    file: displayPath(config.root, entry.file),
    title: typeof data.title === 'string' ? data.title : entry.slug,
    topic: typeof topic?.key === 'string' ? topic.key : undefined,
    reasons,
    findings: checkAgainstArchive(config, archive, entry),
  };
}

/** Validation of one file, near-duplicates measured against the other articles only. */
export function checkAgainstArchive(config: ResolvedConfig, archive: Archive, entry: ArchiveFile, text = entry.text): Finding[] {
  const duplicates = duplicatesAmong(config, archive.articles.filter((article) => article.file !== entry.file));
  return validateArticleText(text, displayPath(config.root, entry.file), config, recommendedPreset, { detectLanguage: defaultDetectLanguage, archive: duplicates }).findings;
}

/** A drafting batch in flight (`draft.mode: batch`), as `nichepress drafts` shows it. */
export interface DeskBatch {
  /** The batch id; the submission id while the batch's creation is unconfirmed. */
  id: string;
  /** The status as last seen by a run (`submitting`, `validating`, `in_progress`, `finalizing`…). */
  status: string;
  submittedAt: string;
  checkedAt: string | undefined;
  /** Topic labels. */
  topics: string[];
  requests: number;
  estimatedCostUsd: number;
}

export function deskBatches(state: State): DeskBatch[] {
  return batchesInFlight(state).map((batch) => ({
    id: batch.id ?? batch.submission,
    status: batch.status,
    submittedAt: batch.submittedAt,
    checkedAt: batch.checkedAt,
    topics: batch.topics.map((topic) => topic.label),
    requests: batch.requests.length,
    estimatedCostUsd: batch.estimatedCostUsd,
  }));
}

/** The lines `nichepress drafts` prints for batches in flight (none when there are none). */
export function formatDeskBatches(batches: readonly DeskBatch[]): string[] {
  if (batches.length === 0) return [];
  const out = ['', `Batches in flight (${batches.length}) — collected by the next run once completed:`];
  for (const batch of batches) {
    const seen = batch.checkedAt ? `, checked ${batch.checkedAt}` : '';
    out.push('', `  ${batch.id}  ${batch.status} (as last seen${seen})`, `    submitted ${batch.submittedAt} · ${batch.requests} ${batch.requests === 1 ? 'request' : 'requests'} · at most $${batch.estimatedCostUsd.toFixed(4)}`);
    for (const topic of batch.topics) out.push(`    - ${topic}`);
  }
  return out;
}
