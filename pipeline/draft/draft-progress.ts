/**
 * What the draft stage shows while it works: topic n of m, tokens and cost so far, and an ETA
 * from the average time per finished topic. On a terminal one status line redraws itself under
 * the per-topic lines; without a terminal (a pipe, cron, CI) every update is a plain log line,
 * so logs stay readable and greppable.
 */

export interface ProgressSpent {
  inputTokens: number;
  outputTokens: number;
  /** Undefined when the model has no price in draft.prices. */
  costUsd: number | undefined;
}

export interface DraftProgress {
  /** One topic finished (written, failed, skipped…); `what` says how. `spent` is omitted offline. */
  topicDone(what: string, spent: ProgressSpent | undefined): void;
  /** Clears the status line. */
  finish(): void;
}

export interface ProgressOptions {
  total: number;
  /** Plain lines (stderr). */
  log: (line: string) => void;
  /** A line that replaces the previous one (terminals only); without it, everything is a log line. */
  status?: ((line: string) => void) | undefined;
  /** Milliseconds clock, for the ETA; injectable for tests. */
  now?: () => number;
}

export function createDraftProgress(options: ProgressOptions): DraftProgress {
  const now = options.now ?? (() => performance.now());
  const started = now();
  let done = 0;
  const { status, log, total } = options;
  if (status && total > 0) status(statusLine(0, total, undefined, undefined));

  return {
    topicDone(what, spent) {
      done++;
      const elapsed = now() - started;
      const eta = done < total ? (elapsed / done) * (total - done) : 0;
      const line = statusLine(done, total, spent, eta);
      if (status) {
        status('');
        log(`draft ${done}/${total}: ${what}`);
        if (done < total) status(line);
      } else {
        log(`${line} · ${what}`);
      }
    },
    finish() {
      status?.('');
    },
  };
}

export function statusLine(done: number, total: number, spent: ProgressSpent | undefined, etaMs: number | undefined): string {
  const parts = [`draft ${done}/${total}`];
  if (spent) parts.push(`${(spent.inputTokens + spent.outputTokens).toLocaleString('en-US')} tokens`);
  if (spent?.costUsd !== undefined) parts.push(`$${spent.costUsd.toFixed(4)}`);
  if (etaMs !== undefined) parts.push(`ETA ${formatDuration(etaMs)}`);
  return parts.join(' · ');
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
}
