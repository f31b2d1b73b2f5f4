import type { ErrorData } from './catalogue.ts';

export type Severity = 'error' | 'warning' | 'info';

/** Where a finding points: a file and, when known, a 1-based line and column. */
export interface Location {
  file: string;
  line?: number;
  column?: number;
}

/**
 * One thing a stage noticed. Per-item failures (one feed, one draft, one article) are findings
 * in the report, never thrown exceptions, so one bad item cannot stop a run.
 */
export interface Finding {
  severity: Severity;
  /** Catalogue code (NP….) for pipeline findings. */
  code?: string;
  /** Lint rule id (e.g. `links/allowed-protocol`) for validation findings. */
  rule?: string;
  message: string;
  hint?: string;
  file?: string;
  line?: number;
  column?: number;
  /** What the finding is about when it is not a file: a feed URL, a topic key. */
  subject?: string;
}

/** Builds a finding from a catalogue entry, so code, message and hint always agree. */
export function findingFrom<Args extends unknown[]>(
  data: ErrorData<Args>,
  args: Args,
  extra: Partial<Finding> & { severity?: Severity } = {},
): Finding {
  const finding: Finding = {
    severity: extra.severity ?? 'error',
    code: data.code,
    message: data.message(...args),
    ...extra,
  };
  if (data.hint && !finding.hint) finding.hint = data.hint;
  return finding;
}

/** `file:line:col` (or just the file) — the prefix compilers and editors understand. */
export function formatLocation(location: Partial<Location>): string {
  if (!location.file) return '';
  let text = location.file;
  if (location.line !== undefined) {
    text += `:${location.line}`;
    if (location.column !== undefined) text += `:${location.column}`;
  }
  return text;
}
