import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import type { z } from 'zod';
import { digestJson } from '../lib/hash.ts';
import { schemaIssues } from '../lib/schema-issues.ts';
import type { StepCache } from './draft-cache.ts';
import { DraftError } from './draft-error.ts';
import type { OpenAIClient } from './openai-client.ts';
import { isBadRequest, transportError } from './openai-errors.ts';
import { BatchDeferred } from './batch-answers.ts';
import { BudgetExceeded, type Reservation, type RunBudget, type TokenUsage } from './run-budget.ts';
import { truncate } from './truncate.ts';

/**
 * One structured step of a draft (the research brief, the article): ask for JSON that fits a zod
 * schema, read it leniently, validate it, and send it back once for repair when it does not fit.
 *
 * Transport faults are the SDK's job: it retries 408/409/429/5xx and timeouts with backoff and
 * honours `retry-after`, so there is deliberately no retry loop here. What this module adds is
 * what the SDK cannot know: the structured-output fallbacks for servers without JSON-schema
 * support, the budget check before every call, the step cache, and the repair round trip.
 */

export interface StructuredStep<T> {
  /** Shown in findings: "research brief", "article". */
  label: string;
  prompt: { name: string; hash: string };
  messages: ChatCompletionMessageParam[];
  temperature: number;
  /** The schema as the server sees it (from the SDK's zodResponseFormat). */
  format: ResponseFormatJSONSchema;
  schema: z.ZodType<T>;
  /** Checks the schema cannot express; each issue is a `path: message` line. */
  check: (value: T) => string[];
}

export interface StepOutcome<T> {
  output: T;
  /** The model id the server answered with. */
  model: string;
  /** Tokens this step's answer took (when it was made, for a cached one). */
  usage: TokenUsage;
  /** API calls made now: 0 for a cache hit. */
  calls: number;
  cached: boolean;
  /** Rules the answer breaks that its schema cannot express: kept, and held back as a draft. */
  issues: string[];
}

export interface StepRun {
  signal?: AbortSignal | undefined;
  budget?: RunBudget | undefined;
  cache?: StepCache | undefined;
  /** Room held for this step in advance (see RunBudget.reserve); its first call takes it over. */
  hold?: Reservation | undefined;
  /** Runs before each API call of the step (not for a cache hit); may throw BudgetExceeded. */
  beforeCall?: (() => void) | undefined;
  /** Ask the API now even in batch mode. */
  direct?: boolean | undefined;
}

/**
 * How we ask for JSON, best first. A server that answers 400 to one mode is asked again in the
 * next: many local servers reject `json_schema` but accept `json_object`, and a few accept neither.
 */
type OutputMode = 'json_schema' | 'json_object' | 'plain';
const MODES: readonly OutputMode[] = ['json_schema', 'json_object', 'plain'];
const MAX_ISSUES_SHOWN = 20;

interface Reply {
  text: string;
  model: string;
}

/**
 * `ok`: the answer parsed and fits the schema — kept, with `issues` the checks the schema cannot
 * express (a paid answer that breaks a rule becomes a draft, not a loss). Not `ok`: unusable.
 */
type Checked<T> = { ok: true; output: T; issues: string[] } | { ok: false; issues: string[] };

/** A step's answer as cached: its output, or why it could not be used (paid for all the same). */
interface CachedStep {
  output?: unknown;
  failed?: string;
  model: string;
  usage: TokenUsage;
}

export function createStructuredCompleter(options: OpenAIClient) {
  // Remembered across steps and topics so a server that rejected json_schema is not asked again each time.
  let preferredMode: OutputMode = 'json_schema';

  async function call<T>(step: StructuredStep<T>, messages: ChatCompletionMessageParam[], run: StepRun, usage: TokenUsage): Promise<Reply> {
    const modes = MODES.slice(MODES.indexOf(preferredMode));
    for (const [index, mode] of modes.entries()) {
      run.beforeCall?.();
      const body = requestBody(options, step, withModeInstruction(messages, mode, step.format), mode);
      const hold = run.hold;
      run.hold = undefined;
      let completion: ChatCompletion;
      try {
        completion = await options.complete(body, { signal: run.signal, budget: run.budget, hold, direct: run.direct });
      } catch (error) {
        // Batch mode: this call goes into the next batch, named by its step for the custom_id.
        if (error instanceof BatchDeferred) {
          error.step = `${step.label}${messages.length > 2 ? ' repair' : ''}`;
          throw error;
        }
        const next = modes[index + 1];
        if (next && isBadRequest(error)) {
          options.logger.warn(`The server rejected response_format "${mode}" (400); asking again with "${next}".`);
          continue;
        }
        // A budget refusal is not a transport fault: it stops the run's drafting, not one topic.
        if (error instanceof BudgetExceeded) throw error;
        throw transportError(error, options, options.scrub);
      }
      usage.inputTokens += completion.usage?.prompt_tokens ?? 0;
      usage.outputTokens += completion.usage?.completion_tokens ?? 0;
      if (mode !== preferredMode) preferredMode = mode;
      return readReply(completion, options);
    }
    // Unreachable: the last mode either returns or throws.
    throw new DraftError('NP4001', 'no response format was accepted by the server');
  }

  async function fromCache<T>(step: StructuredStep<T>, key: string, run: StepRun): Promise<StepOutcome<T> | undefined> {
    const entry = (await run.cache?.get(key)) as CachedStep | undefined;
    if (!entry || typeof entry !== 'object' || typeof entry.model !== 'string' || !entry.usage) return undefined;
    // An answer that could not be used was paid for too: it is not bought again blindly.
    if (typeof entry.failed === 'string') throw new DraftError('NP4002', `${entry.failed} (answered in an earlier run; --no-cache asks again)`);
    // A damaged or outdated entry is a miss, never a published mistake.
    const checked = checkValue(step, entry.output);
    if (!checked.ok) return undefined;
    return { output: checked.output, model: entry.model, usage: entry.usage, calls: 0, cached: true, issues: checked.issues };
  }

  async function complete<T>(step: StructuredStep<T>, run: StepRun = {}): Promise<StepOutcome<T>> {
    // Everything that shapes the answer: model, prompt version, the rendered messages (topic,
    // sources, brief, voice) and the output schema.
    const key = digestJson({ model: options.model, prompt: step.prompt, messages: step.messages, schema: step.format.json_schema.schema }, 32);
    const cached = await fromCache(step, key, run);
    if (cached) return cached;

    const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    let calls = 0;
    try {
      let reply = await call(step, step.messages, run, usage);
      calls++;
      let checked = checkText(step, reply.text);
      if (!checked.ok || checked.issues.length > 0) {
        const repaired = await call(step, repairMessages(step.messages, reply.text, checked.issues), run, usage);
        calls++;
        const again = checkText(step, repaired.text);
        // The repair is kept when it is usable; a usable first answer is never traded for an unusable one.
        if (again.ok || !checked.ok) {
          reply = repaired;
          checked = again;
        }
      }
      if (!checked.ok) {
        const reason = options.scrub(invalidReason(checked.issues));
        await run.cache?.set(key, { failed: reason, model: reply.model, usage } satisfies CachedStep);
        throw new DraftError('NP4002', reason);
      }
      await run.cache?.set(key, { output: checked.output, model: reply.model, usage } satisfies CachedStep);
      return { output: checked.output, model: reply.model, usage, calls, cached: false, issues: checked.issues };
    } catch (error) {
      if (error instanceof DraftError) throw new DraftError(error.code, `${step.label}: ${error.message}`, { lasting: error.lasting });
      throw error;
    }
  }

  return { complete };
}

export type StructuredCompleter = ReturnType<typeof createStructuredCompleter>;

function requestBody<T>(
  options: OpenAIClient,
  step: StructuredStep<T>,
  messages: ChatCompletionMessageParam[],
  mode: OutputMode,
): ChatCompletionCreateParamsNonStreaming {
  const body: ChatCompletionCreateParamsNonStreaming = { model: options.model, messages, temperature: step.temperature };
  body[options.tokenLimitParam] = options.maxOutputTokens;
  if (mode === 'json_schema') body.response_format = step.format;
  if (mode === 'json_object') body.response_format = { type: 'json_object' };
  return body;
}

/** Without server-side enforcement, the schema travels in the system message. */
function withModeInstruction(messages: ChatCompletionMessageParam[], mode: OutputMode, format: ResponseFormatJSONSchema): ChatCompletionMessageParam[] {
  if (mode === 'json_schema') return messages;
  const [first, ...rest] = messages;
  if (first?.role !== 'system' || typeof first.content !== 'string') return messages;
  const instruction =
    'Reply with exactly one JSON object, no prose and no code fences, that validates against this JSON Schema:\n' +
    JSON.stringify(format.json_schema.schema);
  return [{ role: 'system', content: `${first.content}\n\n${instruction}` }, ...rest];
}

function repairMessages(messages: ChatCompletionMessageParam[], answer: string, issues: string[]): ChatCompletionMessageParam[] {
  const request =
    'Your answer did not pass validation:\n' +
    shownIssues(issues).map((issue) => `- ${issue}`).join('\n') +
    '\n\nReply with the complete corrected JSON object only. Keep every rule of the system message.';
  return [...messages, { role: 'assistant', content: answer }, { role: 'user', content: request }];
}

function readReply(completion: ChatCompletion, options: OpenAIClient): Reply {
  const choice = completion.choices[0];
  if (!choice) throw new DraftError('NP4001', 'the server returned no choices');
  const { message, finish_reason: finish } = choice;
  if (message.refusal) throw new DraftError('NP4001', options.scrub(`the model refused: ${truncate(message.refusal, 200)}`));
  if (finish === 'length') {
    throw new DraftError('NP4001', `the answer was cut off at the output token limit (finish_reason "length", draft.maxOutputTokens ${options.maxOutputTokens})`);
  }
  if (finish === 'content_filter') throw new DraftError('NP4001', 'the answer was withheld by the content filter (finish_reason "content_filter")');
  if (!message.content?.trim()) throw new DraftError('NP4001', `the model returned an empty answer (finish_reason "${finish}")`);
  return { text: message.content, model: completion.model || options.model };
}

/**
 * Models wrap JSON in code fences or chatter around it even when asked not to, and the fallback
 * modes cannot prevent it; so take the fenced block if there is one, then the outermost {…}.
 */
export function parseLenient(text: string): unknown {
  const fenced = /```(?:json|JSON)?[ \t]*\r?\n?([\s\S]*?)```/.exec(text);
  const inner = fenced?.[1] ?? text;
  const start = inner.indexOf('{');
  const end = inner.lastIndexOf('}');
  if (start < 0 || end < start) throw new SyntaxError('no JSON object found in the answer');
  return JSON.parse(inner.slice(start, end + 1));
}

function checkText<T>(step: StructuredStep<T>, text: string): Checked<T> {
  let data: unknown;
  try {
    data = parseLenient(text);
  } catch (error) {
    return { ok: false, issues: [`(root): the answer is not a JSON object (${(error as Error).message})`] };
  }
  return checkValue(step, data);
}

function checkValue<T>(step: StructuredStep<T>, data: unknown): Checked<T> {
  const parsed = step.schema.safeParse(data);
  if (!parsed.success) return { ok: false, issues: schemaIssues(parsed.error).map((issue) => `${issue.dottedPath}: ${issue.message}`) };
  return { ok: true, output: parsed.data, issues: step.check(parsed.data) };
}

function shownIssues(issues: string[]): string[] {
  if (issues.length <= MAX_ISSUES_SHOWN) return issues;
  return [...issues.slice(0, MAX_ISSUES_SHOWN), `… and ${issues.length - MAX_ISSUES_SHOWN} more`];
}

function invalidReason(issues: string[]): string {
  const [first, ...rest] = issues;
  const more = rest.length ? ` (and ${rest.length} more: ${rest.slice(0, 3).join('; ')}${rest.length > 3 ? '; …' : ''})` : '';
  return `still invalid after one repair attempt: ${first ?? 'unknown problem'}${more}`;
}
