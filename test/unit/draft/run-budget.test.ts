import { describe, expect, it } from 'vitest';
import { BudgetExceeded, costOf, priceFor, RunBudget } from '../../../pipeline/draft/run-budget.ts';

describe('priceFor', () => {
  const prices = { 'gpt-4o': { input: 2.5, output: 10 }, 'gpt-4o-mini': { input: 0.15, output: 0.6 } };
  it('finds exact ids, dated ids by their longest alias, and nothing for unknown models', () => {
    expect(priceFor(prices, 'gpt-4o')).toEqual(prices['gpt-4o']);
    expect(priceFor(prices, 'gpt-4o-mini-2024-07-18')).toEqual(prices['gpt-4o-mini']);
    expect(priceFor(prices, 'gpt-4o-2024-08-06')).toEqual(prices['gpt-4o']);
    expect(priceFor(prices, 'gpt-4')).toBeUndefined();
    expect(priceFor(prices, 'llama3.1')).toBeUndefined();
  });

  it('prices usage per million tokens', () => {
    expect(costOf({ inputTokens: 1_000_000, outputTokens: 500_000 }, prices['gpt-4o-mini'])).toBeCloseTo(0.45, 10);
    expect(costOf({ inputTokens: 1, outputTokens: 1 }, undefined)).toBeUndefined();
  });
});

describe('RunBudget', () => {
  it('counts reservations of calls in flight, so concurrent calls cannot overshoot together', () => {
    const budget = new RunBudget({ maxTokens: 10_000 });
    const a = budget.reserve({ inputTokens: 1000, outputTokens: 4000 });
    budget.reserve({ inputTokens: 1000, outputTokens: 4000 });
    expect(() => budget.reserve({ inputTokens: 1, outputTokens: 0 })).toThrow(BudgetExceeded);
    expect(budget.stopped).toMatch(/^draft\.maxTokens 10000 reached/);
    // Settling a call frees its worst case and records what it used.
    budget.settle(a, { inputTokens: 900, outputTokens: 100 });
    expect(budget.spent).toEqual({ calls: 1, inputTokens: 900, outputTokens: 100, costUsd: 0 });
  });

  it('stops for good once a cap refused a call, except for a hold taken over by its own call', () => {
    const budget = new RunBudget({ maxTokens: 100 });
    const hold = budget.reserve({ inputTokens: 10, outputTokens: 40 });
    expect(() => budget.reserve({ inputTokens: 10, outputTokens: 50 })).toThrow(BudgetExceeded);
    expect(() => budget.reserve({ inputTokens: 1, outputTokens: 1 })).toThrow(BudgetExceeded);
    const call = budget.reserve({ inputTokens: 10, outputTokens: 40 }, hold);
    budget.settle(call, undefined); // failed before answering: a call, no tokens
    expect(budget.spent).toMatchObject({ calls: 1, inputTokens: 0 });
  });

  it('checks the cost cap only with a price, and rejects nonsense caps up front', () => {
    expect(() => new RunBudget({ maxCostUsd: 1 }).reserve({ inputTokens: 1e9, outputTokens: 1e9 })).not.toThrow();
    const priced = new RunBudget({ maxCostUsd: 1, price: { input: 1, output: 1 } });
    expect(() => priced.reserve({ inputTokens: 600_000, outputTokens: 500_000 })).toThrow('draft.maxCostUsd $1 reached ($0.0000 spent; the next call could cost up to $1.1000)');
    expect(() => new RunBudget({ maxTokens: 0 })).toThrow(RangeError);
  });
});
