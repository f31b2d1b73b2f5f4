import type { ResolvedConfig } from '../config/niche-config.ts';
import type { Finding } from '../errors/finding.ts';
import type { ResearchCounts, TopicResearch } from '../research/research-sources.ts';
import type { Topic } from '../schema/feed-item.ts';
import type { ArticleOutput } from './article-output.ts';
import type { RunBudget, TokenUsage } from './run-budget.ts';
import type { StepCache } from './draft-cache.ts';
import type { BatchAnswers } from './batch-answers.ts';
import type { BatchApi } from './batch-api.ts';

export interface DraftRequest {
  topic: Topic;
  config: ResolvedConfig;
  signal?: AbortSignal;
  /** The run's spending and caps, shared by all topics; checked before each API call. */
  budget?: RunBudget;
  /** Answers of earlier runs, per step; omitted with --no-cache. */
  cache?: StepCache;
  /** What the sources' pages say (passages for the model); without it, the feed text is all there is. */
  research?: TopicResearch;
  /** Ask the API now even in batch mode (`--retry` of one topic). */
  direct?: boolean;
}

/** How the draft was researched and checked, for provenance and the report. */
export interface ResearchSummary {
  /** Sources read as pages (now or from a snapshot); the rest gave their feed text. */
  pagesRead: number;
  feedOnly: number;
  /** Figures, dates, names and quotations looked up in the cited sources (brief and article). */
  claimsChecked: number;
  /** Sentences and brief entries removed because a claim in them is not in their sources. */
  claimsDropped: number;
}

export interface DraftResult {
  output: ArticleOutput;
  /** Model id, or the extractive provider's version string. */
  model: string;
  /** The prompt that wrote the article. */
  prompt?: { name: string; hash: string };
  /** The prompt of the research-brief step, for two-step providers. */
  briefPrompt?: { name: string; hash: string };
  /** Tokens all steps took when they were made (a cached step counts what it cost then). */
  usage?: TokenUsage;
  costUsd?: number;
  /** API calls made for this draft now: 0 when every step came from the cache. */
  calls?: number;
  /** Steps answered from the cache. */
  cacheHits?: number;
  research?: ResearchSummary;
  /** What research and grounding noticed for this topic (pages not read, claims dropped). */
  findings?: Finding[];
  /**
   * Rules the model's answer breaks that assembly cannot mend (a citation of a source that does
   * not exist, a word the voice avoids, a missing risks section…): the answer is kept, as a draft.
   */
  issues?: string[];
}

/**
 * A way to turn a topic into a structured article. Providers never write files and never throw
 * for an ordinary bad answer: they throw a DraftError (draft-error.ts), which the draft stage turns into a
 * finding for that topic so the run goes on. A budget cap throws BudgetExceeded (run-budget.ts),
 * which stops the drafting of the whole run.
 */
export interface DraftProvider {
  readonly name: 'extractive' | 'openai';
  readonly model: string;
  /** The run's research so far (pages fetched, read, from snapshots), when the provider reads sources. */
  readonly research?: ResearchCounts;
  /** Set in batch mode (`draft.mode: batch`): where collected answers are kept and how batches are sent. */
  readonly batch?: BatchDrafting;
  draft(request: DraftRequest): Promise<DraftResult>;
}

export interface BatchDrafting {
  answers: BatchAnswers;
  api: BatchApi;
}

// Kept importable from here while the draft stage still takes it from this module.
export { DraftError } from './draft-error.ts';
