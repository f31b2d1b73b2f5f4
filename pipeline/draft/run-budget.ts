/**
 * The run's spending on the API and its caps (draft.maxTokens, draft.maxCostUsd).
 *
 * Caps are checked BEFORE each call, against the call's worst case: its prompt (estimated from
 * its length) plus the most output it may produce (draft.maxOutputTokens, which is sent as the
 * request's limit). Calls in flight hold a reservation, so four concurrent workers cannot each
 * see the same head-room and overshoot together. Once a cap refuses a call, every later call is
 * refused too: the run stops drafting instead of squeezing in whatever still fits.
 */

/** US dollars per million tokens. */
export interface Price {
  input: number;
  output: number;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface BudgetCaps {
  maxTokens?: number | undefined;
  maxCostUsd?: number | undefined;
  /** Price of the model in use; without one the cost cap cannot be enforced. */
  price?: Price | undefined;
}

/** Thrown by `reserve` when a call would break a cap; the draft stage turns it into one finding. */
export class BudgetExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetExceeded';
  }
}

export interface Reservation {
  tokens: number;
  costUsd: number;
  settled: boolean;
}

/**
 * The price of `model`: an exact entry, or the longest entry the id starts with followed by a
 * hyphen — servers answer with dated ids (gpt-4o-mini-2024-07-18) for the alias we asked for.
 */
export function priceFor(prices: Readonly<Record<string, Price>>, model: string): Price | undefined {
  if (prices[model]) return prices[model];
  const keys = Object.keys(prices)
    .filter((key) => model.startsWith(`${key}-`))
    .sort((a, b) => b.length - a.length);
  return keys[0] === undefined ? undefined : prices[keys[0]];
}

export function costOf(usage: TokenUsage, price: Price | undefined): number | undefined {
  if (!price) return undefined;
  return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
}

/** Tokens a prompt will take, on the high side (about 3 characters per token for JSON-heavy text). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3);
}

export class RunBudget {
  readonly caps: BudgetCaps;
  /** What the calls made so far actually used. */
  readonly spent = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
  private reservedTokens = 0;
  private reservedCost = 0;
  /** Why drafting stopped, once a cap refused a call. */
  stopped: string | undefined;

  constructor(caps: BudgetCaps = {}) {
    if (caps.maxTokens !== undefined && !(caps.maxTokens > 0)) throw new RangeError(`maxTokens must be positive, got ${caps.maxTokens}`);
    // Zero is allowed: a month whose budget is spent still collects the batches it paid for.
    if (caps.maxCostUsd !== undefined && !(caps.maxCostUsd >= 0)) throw new RangeError(`maxCostUsd must not be negative, got ${caps.maxCostUsd}`);
    this.caps = caps;
  }

  /**
   * Holds the worst case of one call, or throws BudgetExceeded when it would break a cap.
   * `replacing` turns an earlier hold into this reservation: a topic holds room for its article
   * before it pays for its brief, so a topic that was started can finish even after the caps
   * stopped new ones (otherwise four concurrent topics could each buy a brief and no article).
   */
  reserve(worstCase: TokenUsage, replacing?: Reservation, options: { priceFactor?: number } = {}): Reservation {
    if (replacing) this.release(replacing);
    else if (this.stopped) throw new BudgetExceeded(this.stopped);
    const tokens = worstCase.inputTokens + worstCase.outputTokens;
    // `priceFactor`: a request sent through the Batch API is billed at half the price.
    const costUsd = (costOf(worstCase, this.caps.price) ?? 0) * (options.priceFactor ?? 1);
    const { maxTokens, maxCostUsd } = this.caps;
    const usedTokens = this.spent.inputTokens + this.spent.outputTokens;
    let refusal: string | undefined;
    if (maxTokens !== undefined && usedTokens + this.reservedTokens + tokens > maxTokens) {
      refusal = `draft.maxTokens ${maxTokens} reached (${usedTokens} tokens used; the next call could take up to ${tokens})`;
    } else if (maxCostUsd !== undefined && this.caps.price && this.spent.costUsd + this.reservedCost + costUsd > maxCostUsd) {
      refusal = `draft.maxCostUsd $${maxCostUsd} reached ($${this.spent.costUsd.toFixed(4)} spent; the next call could cost up to $${costUsd.toFixed(4)})`;
    }
    if (refusal) {
      this.stopped ??= refusal;
      throw new BudgetExceeded(refusal);
    }
    this.reservedTokens += tokens;
    this.reservedCost += costUsd;
    return { tokens, costUsd, settled: false };
  }

  /** Gives back a reservation that no call used. */
  release(reservation: Reservation): void {
    if (reservation.settled) return;
    reservation.settled = true;
    this.reservedTokens -= reservation.tokens;
    this.reservedCost -= reservation.costUsd;
  }

  /** Replaces a reservation by what the call used (nothing, when it failed before an answer). */
  settle(reservation: Reservation, used: TokenUsage | undefined): void {
    if (reservation.settled) return;
    reservation.settled = true;
    this.reservedTokens -= reservation.tokens;
    this.reservedCost -= reservation.costUsd;
    this.spent.calls++;
    if (!used) return;
    this.spent.inputTokens += used.inputTokens;
    this.spent.outputTokens += used.outputTokens;
    this.spent.costUsd += costOf(used, this.caps.price) ?? 0;
  }
}
