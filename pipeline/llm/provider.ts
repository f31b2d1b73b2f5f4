import type { ResolvedConfig } from '../config.ts';
import type { Topic } from '../schema/feed-item.ts';
import type { ArticleOutput } from './article-output.ts';

export interface DraftRequest {
  topic: Topic;
  config: ResolvedConfig;
  signal?: AbortSignal;
}

export interface DraftResult {
  output: ArticleOutput;
  /** Model id, or the extractive provider's version string. */
  model: string;
  prompt?: { name: string; hash: string };
  usage?: { inputTokens: number; outputTokens: number };
  costUsd?: number;
}

/**
 * A way to turn a topic into a structured article. Providers never write files and never throw
 * for an ordinary bad answer: they throw a DraftError, which the draft stage turns into a
 * finding for that topic so the run goes on.
 */
export interface DraftProvider {
  readonly name: 'extractive' | 'openai';
  readonly model: string;
  draft(request: DraftRequest): Promise<DraftResult>;
}

/** A failed draft for one topic; `code` is a catalogue code (NP4001 / NP4002). */
export class DraftError extends Error {
  readonly code: 'NP4001' | 'NP4002';
  constructor(code: 'NP4001' | 'NP4002', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DraftError';
    this.code = code;
  }
}
