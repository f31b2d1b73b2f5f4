import OpenAI, { APIError } from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { Context } from '../context.ts';
import { BATCH_PRICE_FACTOR, BatchDeferred, type BatchAnswers } from './batch-answers.ts';
import { estimateTokens, priceFor, type Price, type Reservation, type RunBudget } from './run-budget.ts';
import { scrubbingLogger, secretScrubber, type ProviderLogger, type Scrub } from './scrub-secrets.ts';
import type { TransportSettings } from './openai-errors.ts';

/**
 * The one place an OpenAI client is made. Every caller (drafting, the newsletter intro) gets the
 * same things: the key-scrubbing logger, the SDK's own retries and timeout from config, and
 * `complete`, which holds each call to the run's budget before it is made and books what it used
 * after. The SDK does the retrying (it honours `retry-after`), so nothing here retries.
 */

export interface OpenAIClientOptions {
  /** Omit for local servers that need no key. */
  apiKey?: string | undefined;
  /** e.g. http://127.0.0.1:11434/v1. Omit for https://api.openai.com/v1. */
  baseURL?: string | undefined;
  model: string;
  /** Per-request timeout (each retry gets its own). */
  timeoutMs: number;
  /** Retries the SDK makes per request, on 408/409/429/5xx, timeouts and connection errors. */
  maxRetries: number;
  /** The most output tokens one call may produce; default 4096. */
  maxOutputTokens?: number | undefined;
  /** US dollars per million tokens of `model`, for cost in provenance and the cost cap. */
  price?: Price | undefined;
  /** Receives the SDK's log lines, scrubbed of the API key. Defaults to the console. */
  logger?: ProviderLogger | undefined;
  /**
   * Batch mode (`draft.mode: batch`): calls are answered from collected batch answers, and a call
   * without one is deferred to the next batch (batch-answers.ts) instead of being made.
   */
  batch?: BatchAnswers | undefined;
}

export interface MeteredCall {
  signal?: AbortSignal | undefined;
  /** The run's spending and caps; `reserve` may throw BudgetExceeded before the call is made. */
  budget?: RunBudget | undefined;
  /** Room held for this call in advance (see RunBudget.reserve), taken over by it. */
  hold?: Reservation | undefined;
  /** Ask the API now even in batch mode (`--retry` of one topic). */
  direct?: boolean | undefined;
}

export interface OpenAIClient extends TransportSettings {
  readonly maxOutputTokens: number;
  readonly price: Price | undefined;
  /** OpenAI's own API wants `max_completion_tokens`; compatible servers know `max_tokens`. */
  readonly tokenLimitParam: 'max_tokens' | 'max_completion_tokens';
  readonly scrub: Scrub;
  readonly logger: ProviderLogger;
  /** The SDK itself, for the Batch API's files and batches (batch-api.ts). */
  readonly sdk: OpenAI;
  /** Collected batch answers, in batch mode. */
  readonly batch: BatchAnswers | undefined;
  /** One chat completion, held to the budget; errors are the SDK's own (see openai-errors.ts). */
  complete(body: ChatCompletionCreateParamsNonStreaming, call?: MeteredCall): Promise<ChatCompletion>;
}

export function createOpenAIClient(options: OpenAIClientOptions): OpenAIClient {
  checkOptions(options);
  const scrub = secretScrubber(options.apiKey);
  const logger = scrubbingLogger(options.logger ?? console, scrub);
  const maxOutputTokens = options.maxOutputTokens ?? 4096;
  const sdk = new OpenAI({
    // `||`, not `??`: an empty OPENAI_API_KEY= must not reach the SDK, which rejects it.
    apiKey: options.apiKey || 'not-needed',
    // Explicit default: otherwise the SDK reads process.env.OPENAI_BASE_URL behind the caller's back.
    baseURL: options.baseURL || 'https://api.openai.com/v1',
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    logger,
  });

  async function complete(body: ChatCompletionCreateParamsNonStreaming, call: MeteredCall = {}): Promise<ChatCompletion> {
    if (options.batch && !call.direct) return fromBatch(options.batch, body, call);
    const outputLimit = body.max_completion_tokens ?? body.max_tokens ?? maxOutputTokens;
    // Worst case of this call: its whole request as prompt, plus the most output it may produce.
    const reservation = call.budget?.reserve({ inputTokens: estimateTokens(JSON.stringify(body)), outputTokens: outputLimit }, call.hold);
    let completion: ChatCompletion;
    try {
      completion = await sdk.chat.completions.create(body, call.signal ? { signal: call.signal } : {});
    } catch (error) {
      if (reservation) call.budget?.settle(reservation, undefined);
      throw error;
    }
    if (reservation) {
      call.budget?.settle(reservation, { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0 });
    }
    return completion;
  }

  /**
   * The collected answer to this exact request: it was paid for when its batch was collected, so
   * nothing is held or booked now. Without one, the call's worst case at the batch price is held
   * against the run's caps (so one run cannot submit more than its budget) and the call deferred.
   */
  async function fromBatch(batch: BatchAnswers, body: ChatCompletionCreateParamsNonStreaming, call: MeteredCall): Promise<ChatCompletion> {
    const answer = await batch.find(body);
    if (answer && 'completion' in answer) return answer.completion;
    if (answer) {
      await batch.forget(body);
      // The SDK's own error class, so a 400 to json_schema falls back to the next output mode as it does in sync mode.
      throw APIError.generate(answer.error.status, { message: answer.error.message }, answer.error.message, new Headers());
    }
    const outputLimit = body.max_completion_tokens ?? body.max_tokens ?? maxOutputTokens;
    const reservation = call.budget?.reserve({ inputTokens: estimateTokens(JSON.stringify(body)), outputTokens: outputLimit }, call.hold, { priceFactor: BATCH_PRICE_FACTOR });
    throw new BatchDeferred(body, reservation);
  }

  return {
    sdk,
    batch: options.batch,
    model: options.model,
    baseURL: options.baseURL,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    maxOutputTokens,
    price: options.price,
    // OpenAI deprecated max_tokens (its reasoning models reject it); the compatible servers
    // (Ollama, vLLM, LM Studio, OpenRouter) all understand max_tokens.
    tokenLimitParam: options.baseURL ? 'max_tokens' : 'max_completion_tokens',
    scrub,
    logger,
    complete,
  };
}

/** Whether the environment names an endpoint (a key for OpenAI, or a compatible server's URL). */
export function hasEndpoint(env: Context['env']): boolean {
  return Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL);
}

/**
 * The client settings of this run: endpoint and key from the environment, everything else from
 * `draft:` in the config. The key is handed to the client only; it is never stored elsewhere.
 */
export function clientOptionsFrom(context: Context): OpenAIClientOptions {
  const { env, config } = context;
  const model = env.OPENAI_MODEL || config.draft.model;
  return {
    apiKey: env.OPENAI_API_KEY || undefined,
    baseURL: env.OPENAI_BASE_URL || undefined,
    model,
    timeoutMs: config.draft.timeoutMs,
    maxRetries: config.draft.maxRetries,
    maxOutputTokens: config.draft.maxOutputTokens,
    price: priceFor(config.draft.prices, model),
    // SDK log lines go where the CLI's progress lines go (stderr), scrubbed of the key.
    logger: { error: context.log, warn: context.log, info: context.log, debug: context.log },
  };
}

function checkOptions(options: OpenAIClientOptions): void {
  if (!options.model) throw new TypeError('createOpenAIClient: `model` must be a non-empty string');
  if (!Number.isInteger(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new TypeError(`createOpenAIClient: \`timeoutMs\` must be a positive integer, got ${String(options.timeoutMs)}`);
  }
  if (!Number.isInteger(options.maxRetries) || options.maxRetries < 0) {
    throw new TypeError(`createOpenAIClient: \`maxRetries\` must be a non-negative integer, got ${String(options.maxRetries)}`);
  }
  if (options.maxOutputTokens !== undefined && (!Number.isInteger(options.maxOutputTokens) || options.maxOutputTokens <= 0)) {
    throw new TypeError(`createOpenAIClient: \`maxOutputTokens\` must be a positive integer, got ${String(options.maxOutputTokens)}`);
  }
}
