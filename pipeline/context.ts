import type { Dispatcher } from 'undici';
import type { ResolvedConfig } from './config/niche-config.ts';
import type { Finding } from './errors/finding.ts';

/**
 * Everything a stage may reach outside its arguments — clock, network, logging, the mode flags —
 * arrives here, so tests hand in fakes and the CLI hands in real ones. Only the CLI touches
 * `process`.
 */
export interface Context {
  config: ResolvedConfig;
  /** The run's clock: the config's fixed clock when set, otherwise the real time at start. */
  now: Date;
  /** Never touch the network (remote feeds are skipped, the LLM provider is offline). */
  offline: boolean;
  /** Compute everything, write nothing. */
  dryRun: boolean;
  /** Bypass the LLM response cache. */
  noCache: boolean;
  /** Progress lines for people (stderr); never used for the machine-readable report. */
  log: (line: string) => void;
  /**
   * A status line that replaces the previous one (progress while drafting); only set when
   * stderr is a terminal and not CI. Without it, progress goes to `log` as plain lines.
   */
  status?: (line: string) => void;
  /**
   * The run's one HTTP client: feeds, source pages and link checks all go through it, so they
   * share kept-alive connections and one place decides how we talk to the web. An undici
   * dispatcher rather than `fetch`, whose Request/Response/web-stream machinery costs more CPU
   * than everything we need (a status, a few headers, the bytes). The CLI hands in an Agent
   * (lib/http-client.ts, where the bounded GET is too); tests hand in one routed to their
   * loopback servers.
   */
  http: Dispatcher;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Aborted on SIGINT/SIGTERM: stages finish the item in hand (an atomic write, a call in flight)
   * or abandon it, start nothing new, and the command returns its report.
   */
  signal?: AbortSignal;
}

/** What each stage reports: counts, time and findings. */
export interface StageReport {
  stage: string;
  durationMs: number;
  counts: Record<string, number>;
  findings: Finding[];
  /** Stage-specific details for --json (e.g. the written files). */
  details?: unknown;
}

/** Runs a stage body and times it into a StageReport. */
export async function timed<T extends { counts: Record<string, number>; findings: Finding[]; details?: unknown }>(
  stage: string,
  body: () => Promise<T>,
): Promise<StageReport & { result: T }> {
  const started = performance.now();
  const result = await body();
  const report: StageReport & { result: T } = {
    stage,
    durationMs: Math.round(performance.now() - started),
    counts: result.counts,
    findings: result.findings,
    result,
  };
  if (result.details !== undefined) report.details = result.details;
  return report;
}
