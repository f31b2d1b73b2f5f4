import { formatDeskBatches, type DeskBatch } from './desk/desk-drafts.ts';
import { join } from 'node:path';
import type { StageReport } from './context.ts';
import type { Finding } from './errors/finding.ts';
import type { FeedOutcome } from './ingest/ingest.ts';
import { writeFileAtomic } from './lib/atomic-write.ts';

/** The run report: what every stage did, how long it took, and what it found. */
export interface RunReport {
  tool: 'nichepress';
  command: string;
  ok: boolean;
  exitCode: 0 | 1 | 2;
  startedAt: string;
  durationMs: number;
  clock: string;
  offline: boolean;
  dryRun: boolean;
  stages: StageReport[];
  summary: { errors: number; warnings: number; infos: number };
}

export function makeReport(input: {
  command: string;
  startedAt: Date;
  durationMs: number;
  clock: Date;
  offline: boolean;
  dryRun: boolean;
  stages: StageReport[];
}): RunReport {
  const findings = input.stages.flatMap((stage) => stage.findings);
  const summary = {
    errors: findings.filter((finding) => finding.severity === 'error').length,
    warnings: findings.filter((finding) => finding.severity === 'warning').length,
    infos: findings.filter((finding) => finding.severity === 'info').length,
  };
  const exitCode = summary.errors > 0 ? 1 : 0;
  return {
    tool: 'nichepress',
    command: input.command,
    ok: exitCode === 0,
    exitCode,
    startedAt: input.startedAt.toISOString(),
    durationMs: input.durationMs,
    clock: input.clock.toISOString(),
    offline: input.offline,
    dryRun: input.dryRun,
    stages: input.stages,
    summary,
  };
}

/** Saves the report as `<folder>/<timestamp>-<command>.json` and `<folder>/last-<command>.json`. */
export async function saveReport(folder: string, report: RunReport): Promise<string> {
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const file = join(folder, `${stamp}-${report.command}.json`);
  await writeFileAtomic(file, text);
  await writeFileAtomic(join(folder, `last-${report.command}.json`), text);
  return file;
}

const SEVERITY_LABEL = { error: 'error', warning: 'warn ', info: 'info ' } as const;

/**
 * The terminal form: one line per stage, then findings grouped per file like a compiler's
 * (`line:col severity message rule`), then a summary line.
 */
export function formatReport(report: RunReport, options: { color?: boolean; savedTo?: string | undefined } = {}): string {
  const paint = (code: number, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const lines: string[] = [];
  const mode = [report.offline ? 'offline' : '', report.dryRun ? 'dry run' : ''].filter(Boolean).join(', ');
  lines.push(`${paint(1, `nichepress ${report.command}`)} · clock ${report.clock}${mode ? ` · ${mode}` : ''}`);
  for (const stage of report.stages) {
    const counts = Object.entries(stage.counts)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ');
    lines.push(`  ${stage.stage.padEnd(11)} ${counts.padEnd(70)} ${String(stage.durationMs).padStart(6)} ms`);
  }

  if (report.command === 'trends') lines.push(...formatTopicsTable(report.stages));
  if (report.command === 'ingest') lines.push(...formatFeedList(report.stages));
  if (report.command === 'drafts') lines.push(...formatDeskList(report.stages));

  const findings = report.stages.flatMap((stage) => stage.findings);
  const byFile = new Map<string, Finding[]>();
  const general: Finding[] = [];
  for (const finding of findings) {
    if (finding.file) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
    else general.push(finding);
  }
  const colorOf = (finding: Finding) => (finding.severity === 'error' ? 31 : finding.severity === 'warning' ? 33 : 36);
  const tag = (finding: Finding) => finding.rule ?? finding.code ?? '';
  for (const [file, fileFindings] of byFile) {
    lines.push('', paint(4, file));
    for (const finding of fileFindings) {
      const where = finding.line !== undefined ? `${finding.line}:${finding.column ?? 1}` : '';
      lines.push(`  ${where.padEnd(8)} ${paint(colorOf(finding), SEVERITY_LABEL[finding.severity])}  ${finding.message}  ${paint(2, tag(finding))}`);
      if (finding.hint) lines.push(`           ${paint(2, `hint: ${finding.hint}`)}`);
    }
  }
  if (general.length > 0) {
    lines.push('');
    for (const finding of general) {
      lines.push(`  ${paint(colorOf(finding), SEVERITY_LABEL[finding.severity])}  ${finding.message}  ${paint(2, tag(finding))}`);
      if (finding.hint) lines.push(`         ${paint(2, `hint: ${finding.hint}`)}`);
    }
  }
  const { errors, warnings } = report.summary;
  const verdict = errors > 0 ? paint(31, '✖') : paint(32, '✔');
  lines.push(
    '',
    `${verdict} ${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'} in ${report.durationMs} ms${options.savedTo ? ` · report: ${options.savedTo}` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

interface TopicRow {
  label: string;
  score: number;
  parts: Record<string, number | undefined>;
  affiliates: string[];
  sources: { publisher: string; url: string }[];
}

/** `nichepress trends`: the ranking as a table, each score with its parts and its sources. */
export function formatTopicsTable(stages: readonly StageReport[]): string[] {
  const details = stages.find((stage) => stage.stage === 'trends')?.details as { anchor?: string; topics?: TopicRow[] } | undefined;
  const topics = details?.topics ?? [];
  if (topics.length === 0) return [];
  const number = (value: number | undefined, digits = 2) => (value === undefined ? '–' : value.toFixed(digits));
  const header = ['#', 'topic', 'score', 'velocity', 'breadth', 'recency', 'gap', 'fit', 'recent/before', 'programs'];
  const rows = topics.map((topic, index) => [
    String(index + 1),
    topic.label.length > 34 ? `${topic.label.slice(0, 33)}…` : topic.label,
    number(topic.score),
    number(topic.parts.velocity),
    String(topic.parts.sources ?? '–'),
    number(topic.parts.recency),
    number(topic.parts.gap),
    number(topic.parts.fit),
    `${topic.parts.recent ?? 0}/${topic.parts.before ?? 0}`,
    topic.affiliates.join(', ') || '–',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => `  ${cells.map((cell, column) => (column > 1 && column < 9 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ')}`.trimEnd();
  const out = ['', `Rising topics (windows end at the newest item, ${details?.anchor?.slice(0, 10) ?? '?'}):`, line(header)];
  topics.forEach((topic, index) => {
    out.push(line(rows[index]!));
    for (const source of topic.sources) out.push(`      ${source.publisher}: ${source.url}`);
  });
  return out;
}


/** `nichepress ingest`: one line per feed — handy when checking a new one with --feed. */
export function formatFeedList(stages: readonly StageReport[]): string[] {
  const feeds = (stages.find((stage) => stage.stage === 'ingest')?.details as { feeds?: FeedOutcome[] } | undefined)?.feeds ?? [];
  if (feeds.length === 0) return [];
  const width = Math.min(48, Math.max(...feeds.map((feed) => feed.location.length)));
  return [
    '',
    ...feeds.map((feed) => {
      const where = feed.location.length > width ? `${feed.location.slice(0, width - 1)}…` : feed.location.padEnd(width);
      // Only the code: the finding below says what happened and what to do, once.
      if (!feed.ok) return `  ✖ ${where}  failed${feed.error?.code ? ` (${feed.error.code})` : ''}`;
      if (feed.notModified) return `  = ${where}  not modified`;
      return `  ✔ ${where}  ${feed.items} ${feed.items === 1 ? 'item' : 'items'}`;
    }),
  ];
}

interface DeskRow {
  slug: string;
  file: string;
  title: string;
  reasons: string[];
  findings: Finding[];
}

/** `nichepress drafts`: each draft with why it is one and what validation finds in it now. */
export function formatDeskList(stages: readonly StageReport[]): string[] {
  const details = stages.find((stage) => stage.stage === 'drafts')?.details as { drafts?: DeskRow[]; batches?: DeskBatch[] } | undefined;
  const drafts = details?.drafts ?? [];
  if (drafts.length === 0) return ['', 'Nothing waits on the desk.', ...formatDeskBatches(details?.batches ?? [])];
  const out = ['', `Drafts waiting (${drafts.length}) — nichepress approve <slug> · nichepress reject <slug> · nichepress desk:`];
  for (const draft of drafts) {
    out.push('', `  ${draft.slug}  ${draft.title}`, `    ${draft.file}`);
    for (const finding of draft.findings) {
      const where = finding.line !== undefined ? `${finding.line}:${finding.column ?? 1}` : '';
      out.push(`    ${where.padEnd(8)} ${SEVERITY_LABEL[finding.severity]}  ${finding.message}  ${finding.rule ?? finding.code ?? ''}`);
    }
    if (draft.findings.length === 0) out.push(`    no finding left: ready to approve${draft.reasons.length ? ` (kept a draft for: ${draft.reasons.join('; ')})` : ''}`);
  }
  return [...out, ...formatDeskBatches(details?.batches ?? [])];
}
