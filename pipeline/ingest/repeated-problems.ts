import { FeedOfflineSkipped, FeedProblemRepeats } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';

/** Problems reported every time: skipping remote feeds is what --offline asks for, not a problem of the feed. */
const ALWAYS_IN_FULL: ReadonlySet<string> = new Set([FeedOfflineSkipped.code]);

/**
 * A feed problem that repeats run after run is reported in full once, then summarised: one short
 * finding per kind of problem, "still so since …", with the severity it had (so exit codes do not
 * change). `known` maps each problem code to when it was first reported; the answer's `problems`
 * is that map for this run — unchanged while the same problems go on, so a steady run writes
 * nothing — and undefined once the feed has none.
 */
export function summariseRepeats(
  feed: string,
  findings: readonly Finding[],
  known: Readonly<Record<string, string>> | undefined,
  now: string,
): { findings: Finding[]; problems: Record<string, string> | undefined } {
  const byCode = new Map<string, Finding[]>();
  const shown: Finding[] = [];
  for (const finding of findings) {
    if (finding.severity === 'info' || !finding.code || ALWAYS_IN_FULL.has(finding.code)) shown.push(finding);
    else byCode.set(finding.code, [...(byCode.get(finding.code) ?? []), finding]);
  }
  const problems: Record<string, string> = {};
  for (const [code, group] of byCode) {
    const since = known?.[code];
    problems[code] = since ?? now;
    if (since === undefined) {
      shown.push(...group);
      continue;
    }
    const problem = `${group[0]!.message}${group.length > 1 ? ` (and ${group.length - 1} more like it)` : ''} (${code})`;
    const severity = group.some((finding) => finding.severity === 'error') ? 'error' : 'warning';
    shown.push(findingFrom(FeedProblemRepeats, [feed, problem, since], { severity, subject: feed }));
  }
  return { findings: shown, problems: byCode.size > 0 ? problems : undefined };
}
