import { displayPath, type ResolvedConfig } from '../config/niche-config.ts';
import type { Archive, ArchiveFile } from '../archive/archive.ts';
import type { Finding } from '../errors/finding.ts';
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
