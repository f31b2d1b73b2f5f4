import type { ResolvedConfig } from '../config/niche-config.ts';
import { batchesInFlight, type State } from '../state.ts';

/** Months of spending kept in the state: enough for a year's view, small enough to commit. */
const MONTHS_KEPT = 12;

/** The calendar month of the pipeline's clock, in UTC: `2026-11`. */
export function monthOf(now: Date): string {
  return now.toISOString().slice(0, 7);
}

export interface MonthBudget {
  month: string;
  spentUsd: number;
  /** Held by batches in flight: their worst case at the batch price, until they are collected. */
  heldUsd: number;
  /** Undefined without `draft.monthlyBudgetUsd`. */
  leftUsd: number | undefined;
  /** The config this run drafts with: its per-run cost cap lowered to what the month has left. */
  config: ResolvedConfig;
}

/**
 * Where the month stands against `draft.monthlyBudgetUsd`. What is left becomes the run's cost cap
 * (when lower than `draft.maxCostUsd`), so the existing per-call check (worst case before each
 * call) keeps the month within its budget too.
 */
export function monthBudget(config: ResolvedConfig, state: State, now: Date): MonthBudget {
  const month = monthOf(now);
  const spentUsd = state.spend?.[month]?.costUsd ?? 0;
  // A batch is paid for when collected, but what it may cost is spoken for from the moment it is sent.
  const heldUsd = round(batchesInFlight(state).reduce((sum, batch) => sum + batch.estimatedCostUsd, 0));
  const budget = config.draft.monthlyBudgetUsd;
  if (budget === undefined) return { month, spentUsd, heldUsd, leftUsd: undefined, config };
  const leftUsd = Math.max(0, round(budget - spentUsd - heldUsd));
  const cap = config.draft.maxCostUsd === undefined ? leftUsd : Math.min(config.draft.maxCostUsd, leftUsd);
  return { month, spentUsd, heldUsd, leftUsd, config: { ...config, draft: { ...config.draft, maxCostUsd: cap } } };
}

/** Adds a run's spending to its month (and forgets months older than a year). */
export function recordSpend(state: State, now: Date, spent: { costUsd?: number | undefined; calls?: number | undefined }): void {
  if (!spent.costUsd && !spent.calls) return;
  const month = monthOf(now);
  const spend = { ...state.spend };
  const before = spend[month] ?? { costUsd: 0, calls: 0 };
  spend[month] = { costUsd: round(before.costUsd + (spent.costUsd ?? 0)), calls: before.calls + (spent.calls ?? 0) };
  state.spend = Object.fromEntries(Object.entries(spend).sort(([a], [b]) => (a < b ? -1 : 1)).slice(-MONTHS_KEPT));
}

/** Dollars to the millionth: sums of prices stay exact enough to compare with a budget. */
function round(usd: number): number {
  return Math.round(usd * 1_000_000) / 1_000_000;
}
