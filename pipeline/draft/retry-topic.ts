import type { ResolvedConfig } from '../config/niche-config.ts';
import type { Archive, ArchiveFile } from '../archive/archive.ts';
import { checkAgainstArchive } from '../desk/desk-drafts.ts';
import { DraftRetried, RetryTopicUnknown } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { NichepressError } from '../errors/nichepress-error.ts';
import { slugify } from '../lib/slug.ts';
import type { Topic } from '../schema/feed-item.ts';
import type { State } from '../state.ts';
import { rankHistory } from '../trends/rank-history.ts';
import type { CheckedDraft } from '../validate/validate-drafts.ts';

/**
 * `--retry <slug>`: one topic asked again, without `--no-cache` for everything. The slug is a
 * draft's on the desk (its file name), or the slug of a topic whose answer was cached as a
 * failure (the topic key, as trends and the draft report name it).
 */
export interface RetryTarget {
  topic: Topic;
  /** The draft on the desk for this topic, if it has one. */
  file: ArchiveFile | undefined;
}

export function findRetryTarget(config: ResolvedConfig, state: State, archive: Archive, slug: string): RetryTarget {
  const file = archive.files.find((entry) => entry.slug === slug);
  const fileTopic = (file?.data?.topic as { key?: unknown } | undefined)?.key;
  if (file && file.data?.draft !== true) throw NichepressError.from(RetryTopicUnknown, [slug, `${slug}.md is published, not a draft: edit it by hand`]);
  if (file && typeof fileTopic !== 'string') throw NichepressError.from(RetryTopicUnknown, [slug, `${slug}.md was written by hand (it names no topic)`]);
  // Every ranked topic, covered or not: a drafted topic is covered by its own draft.
  const { topics } = rankHistory(config, state, [], { ignoreCoverage: true });
  const topic = topics.find((candidate) => (file ? candidate.key === fileTopic : slugify(candidate.key) === slug || slugify(candidate.label) === slug));
  if (!topic) {
    throw NichepressError.from(RetryTopicUnknown, [slug, file ? `the topic of ${slug}.md is no longer in the feed history, so there are no sources to ask with` : 'no draft and no topic of the feed history has this slug']);
  }
  const status = state.topics[topic.key]?.status;
  if (!file && status === 'published') throw NichepressError.from(RetryTopicUnknown, [slug, `the topic "${topic.label}" is already published`]);
  if (status === 'rejected') throw NichepressError.from(RetryTopicUnknown, [slug, `the topic "${topic.label}" was rejected at the desk`]);
  return { topic, file };
}

/**
 * The retried topic's new answer replaces its draft only when it is better: fewer error-level
 * findings than the draft has as it is now (the editor may have fixed some; what drafting recorded
 * about the answer counts until the draft is approved), none meaning it is published. Otherwise the draft stays as it is and the report says why; the new answer is cached.
 * A replacement keeps the draft's file name, so links to it and the desk's slug stay valid.
 */
export function replaceIfBetter(
  config: ResolvedConfig,
  archive: Archive,
  drafts: readonly CheckedDraft[],
  target: RetryTarget,
): { archive: Archive; drafts: CheckedDraft[]; findings: Finding[] } {
  const { file, topic } = target;
  const retried = drafts.find((draft) => draft.topic.key === topic.key);
  if (!file || !retried) return { archive, drafts: [...drafts], findings: [] };
  const errors = (findings: readonly Finding[]) => findings.filter((finding) => finding.severity === 'error').length;
  // What the rules find in the file now, plus what drafting recorded about the answer itself
  // (rules cannot see a citation the sanitiser already removed); approving clears the record.
  const recorded = Array.isArray(file.data?.validation) ? file.data.validation.filter((reason) => /^NP4\d{3}:/.test(String(reason))).length : 0;
  const before = errors(checkAgainstArchive(config, archive, file)) + recorded;
  const after = errors(retried.validation);
  const others = drafts.filter((draft) => draft !== retried);
  if (after >= before) {
    return { archive, drafts: others, findings: [findingFrom(DraftRetried, [file.slug, after, before, false], { severity: 'warning', subject: topic.key })] };
  }
  const without: Archive = { ...archive, files: archive.files.filter((entry) => entry !== file), articles: archive.articles.filter((article) => article.file !== file.file) };
  const renamed: CheckedDraft = { ...retried, article: { ...retried.article, slug: file.slug } };
  return { archive: without, drafts: [...others, renamed], findings: [findingFrom(DraftRetried, [file.slug, after, before, true], { severity: 'info', subject: topic.key })] };
}
