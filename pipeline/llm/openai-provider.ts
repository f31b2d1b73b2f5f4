import { resolve } from 'node:path';
import { format } from 'node:util';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ResolvedConfig } from '../config.ts';
import { schemaIssues } from '../lib/schema-issues.ts';
import type { Topic } from '../schema/feed-item.ts';
import { articleOutputSchema, type ArticleOutput } from './article-output.ts';
import { loadPrompt, render, type Prompt } from './prompt-loader.ts';
import { DraftError, type DraftProvider, type DraftRequest, type DraftResult } from './provider.ts';

/**
 * Drafts through any OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, vLLM,
 * LM Studio, OpenRouter…).
 *
 * Transport faults are the SDK's job: it retries 408/409/429/5xx and timeouts with backoff and
 * honours `retry-after`, so there is deliberately no retry loop here. What this module adds is
 * what the SDK cannot know: the structured-output fallbacks for servers without JSON-schema
 * support, lenient reading of the JSON, validation against the article schema, and one repair
 * round trip when the model's JSON does not validate.
 */

export interface OpenAIProviderOptions {
  /** Omit for local servers that need no key. */
  apiKey?: string | undefined;
  /** e.g. http://127.0.0.1:11434/v1. Omit for https://api.openai.com/v1. */
  baseURL?: string | undefined;
  model: string;
  /** Per-request timeout (each retry gets its own). */
  timeoutMs: number;
  /** Retries the SDK makes per request, on 408/409/429/5xx, timeouts and connection errors. */
  maxRetries: number;
  /** The article prompt; defaults to `prompts/article.md` under the project root. */
  promptFile?: string | undefined;
  /** Receives the SDK's log lines, scrubbed of the API key. Defaults to the console. */
  logger?: ProviderLogger | undefined;
}

export interface ProviderLogger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

/**
 * How we ask for JSON, best first. A server that answers 400 to one mode is asked again in the
 * next: many local servers reject `json_schema` but accept `json_object`, and a few accept neither.
 */
type OutputMode = 'json_schema' | 'json_object' | 'plain';
const MODES: readonly OutputMode[] = ['json_schema', 'json_object', 'plain'];

const ARTICLE_FORMAT = zodResponseFormat(articleOutputSchema, 'article');
/** Told to the model in the fallback modes, where the server does not enforce the schema. */
const SCHEMA_INSTRUCTION =
  'Reply with exactly one JSON object, no prose and no code fences, that validates against this JSON Schema:\n' +
  JSON.stringify(ARTICLE_FORMAT.json_schema.schema);

/** Feed summaries can be long; this bounds the prompt per item without losing the gist. */
const MAX_SUMMARY_CHARS = 1500;
const MAX_ISSUES_SHOWN = 20;

interface Reply {
  text: string;
  model: string;
}

interface Usage {
  inputTokens: number;
  outputTokens: number;
}

type Checked = { ok: true; output: ArticleOutput } | { ok: false; issues: string[] };

export function createOpenAIProvider(options: OpenAIProviderOptions): DraftProvider {
  checkOptions(options);
  const scrub = secretScrubber(options.apiKey);
  const logger = scrubbingLogger(options.logger ?? console, scrub);
  const client = new OpenAI({
    // `||`, not `??`: an empty OPENAI_API_KEY= must not reach the SDK, which rejects it.
    apiKey: options.apiKey || 'not-needed',
    // Explicit default: otherwise the SDK reads process.env.OPENAI_BASE_URL behind the caller's back.
    baseURL: options.baseURL || 'https://api.openai.com/v1',
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    logger,
  });
  // Remembered across topics so a server that rejected json_schema is not asked again each time.
  let preferredMode: OutputMode = 'json_schema';

  async function complete(
    messages: ChatCompletionMessageParam[],
    temperature: number,
    usage: Usage,
    signal: AbortSignal | undefined,
  ): Promise<Reply> {
    const modes = MODES.slice(MODES.indexOf(preferredMode));
    for (const [index, mode] of modes.entries()) {
      const body = requestBody(options.model, withModeInstruction(messages, mode), temperature, mode);
      let completion: ChatCompletion;
      try {
        completion = await client.chat.completions.create(body, { signal });
      } catch (error) {
        const next = modes[index + 1];
        if (next && isBadRequest(error)) {
          logger.warn(`The server rejected response_format "${mode}" (400); asking again with "${next}".`);
          continue;
        }
        throw transportError(error, options, scrub);
      }
      if (mode !== preferredMode) preferredMode = mode;
      addUsage(usage, completion);
      return readReply(completion, options.model, scrub);
    }
    // Unreachable: the last mode either returns or throws.
    throw new DraftError('NP4001', 'no response format was accepted by the server');
  }

  async function draft(request: DraftRequest): Promise<DraftResult> {
    const { topic, config, signal } = request;
    const prompt = await loadPrompt(options.promptFile ?? resolve(config.root, 'prompts/article.md'));
    const rendered = render(prompt, promptVariables(topic, config));
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: rendered.system },
      { role: 'user', content: rendered.user },
    ];
    const usage: Usage = { inputTokens: 0, outputTokens: 0 };
    const allowedAffiliates = offeredAffiliates(topic, config).map((program) => program.id);

    let reply = await complete(messages, prompt.temperature, usage, signal);
    let checked = checkArticle(reply.text, topic.items.length, allowedAffiliates);
    if (!checked.ok) {
      const repair = repairMessages(messages, reply.text, checked.issues);
      reply = await complete(repair, prompt.temperature, usage, signal);
      checked = checkArticle(reply.text, topic.items.length, allowedAffiliates);
    }
    if (!checked.ok) throw new DraftError('NP4002', scrub(invalidReason(checked.issues)));
    return result(checked.output, reply.model, prompt, usage);
  }

  return { name: 'openai', model: options.model, draft };
}

function checkOptions(options: OpenAIProviderOptions): void {
  if (!options.model) throw new TypeError('createOpenAIProvider: `model` must be a non-empty string');
  if (!Number.isInteger(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new TypeError(`createOpenAIProvider: \`timeoutMs\` must be a positive integer, got ${String(options.timeoutMs)}`);
  }
  if (!Number.isInteger(options.maxRetries) || options.maxRetries < 0) {
    throw new TypeError(`createOpenAIProvider: \`maxRetries\` must be a non-negative integer, got ${String(options.maxRetries)}`);
  }
}

function result(output: ArticleOutput, model: string, prompt: Prompt, usage: Usage): DraftResult {
  return { output, model, prompt: { name: prompt.name, hash: prompt.hash }, usage };
}

// ── prompt ─────────────────────────────────────────────────────────────────────────────────

/** Everything the prompt may use; a prompt that declares fewer variables simply ignores the rest. */
export function promptVariables(topic: Topic, config: ResolvedConfig): Record<string, string> {
  const sources = topic.items.map((item, index) => ({
    n: index + 1,
    title: item.title,
    publisher: item.publisher,
    published: item.publishedAt,
    url: item.url,
    summary: truncate(item.summary, MAX_SUMMARY_CHARS),
  }));
  const affiliates = offeredAffiliates(topic, config).map(({ id, name, keywords }) => ({ id, name, keywords }));
  return {
    site_title: config.site.title,
    audience: config.site.description,
    language: config.site.language,
    topic: dataJson(topic.label),
    sources: dataJson(sources, 2),
    affiliates: dataJson(affiliates),
  };
}

/** The programs whose keywords matched the topic (ranked by trends); the model may only pick among these. */
function offeredAffiliates(topic: Topic, config: ResolvedConfig): ResolvedConfig['affiliates'] {
  return topic.affiliates.flatMap((id) => config.affiliates.filter((program) => program.id === id));
}

/**
 * JSON for the data blocks of the prompt. `<` and `>` are written as \u escapes (still the
 * same JSON value), so feed text cannot close the `<sources>` block early with a literal
 * `</sources>` and smuggle instructions outside the data.
 */
export function dataJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
}

function withModeInstruction(messages: ChatCompletionMessageParam[], mode: OutputMode): ChatCompletionMessageParam[] {
  if (mode === 'json_schema') return messages;
  const [first, ...rest] = messages;
  if (first?.role !== 'system' || typeof first.content !== 'string') return messages;
  return [{ role: 'system', content: `${first.content}\n\n${SCHEMA_INSTRUCTION}` }, ...rest];
}

function requestBody(
  model: string,
  messages: ChatCompletionMessageParam[],
  temperature: number,
  mode: OutputMode,
): ChatCompletionCreateParamsNonStreaming {
  const body: ChatCompletionCreateParamsNonStreaming = { model, messages, temperature };
  if (mode === 'json_schema') body.response_format = ARTICLE_FORMAT;
  if (mode === 'json_object') body.response_format = { type: 'json_object' };
  return body;
}

function repairMessages(messages: ChatCompletionMessageParam[], answer: string, issues: string[]): ChatCompletionMessageParam[] {
  const request =
    'Your answer did not pass validation:\n' +
    shownIssues(issues).map((issue) => `- ${issue}`).join('\n') +
    '\n\nReply with the complete corrected JSON object only. Keep every rule of the system message.';
  return [...messages, { role: 'assistant', content: answer }, { role: 'user', content: request }];
}

// ── reading the answer ─────────────────────────────────────────────────────────────────────

function readReply(completion: ChatCompletion, fallbackModel: string, scrub: Scrub): Reply {
  const choice = completion.choices[0];
  if (!choice) throw new DraftError('NP4001', 'the server returned no choices');
  const { message, finish_reason: finish } = choice;
  if (message.refusal) throw new DraftError('NP4001', scrub(`the model refused: ${truncate(message.refusal, 200)}`));
  if (finish === 'length') throw new DraftError('NP4001', 'the answer was cut off at the output token limit (finish_reason "length")');
  if (finish === 'content_filter') throw new DraftError('NP4001', 'the answer was withheld by the content filter (finish_reason "content_filter")');
  if (!message.content?.trim()) throw new DraftError('NP4001', `the model returned an empty answer (finish_reason "${finish}")`);
  return { text: message.content, model: completion.model || fallbackModel };
}

function addUsage(usage: Usage, completion: ChatCompletion): void {
  usage.inputTokens += completion.usage?.prompt_tokens ?? 0;
  usage.outputTokens += completion.usage?.completion_tokens ?? 0;
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

/**
 * The zod schema, plus the checks it cannot express: citations must name existing source
 * numbers and affiliate ids must be among those offered, since links are built from them.
 */
export function checkArticle(text: string, sourceCount: number, allowedAffiliates: readonly string[]): Checked {
  let data: unknown;
  try {
    data = parseLenient(text);
  } catch (error) {
    return { ok: false, issues: [`(root): the answer is not a JSON object (${(error as Error).message})`] };
  }
  const parsed = articleOutputSchema.safeParse(data);
  if (!parsed.success) {
    return { ok: false, issues: schemaIssues(parsed.error).map((issue) => `${issue.dottedPath}: ${issue.message}`) };
  }
  const issues = referenceIssues(parsed.data, sourceCount, allowedAffiliates);
  return issues.length ? { ok: false, issues } : { ok: true, output: parsed.data };
}

function referenceIssues(output: ArticleOutput, sourceCount: number, allowedAffiliates: readonly string[]): string[] {
  const issues: string[] = [];
  const range = `there are sources 1 to ${sourceCount}`;
  output.citations.forEach((n, index) => {
    if (n > sourceCount) issues.push(`citations[${index}]: source ${n} does not exist (${range})`);
  });
  const texts = [
    ...output.sections.map((section, index) => [`sections[${index}].markdown`, section.markdown] as const),
    ...output.faq.map((entry, index) => [`faq[${index}].answer`, entry.answer] as const),
  ];
  for (const [path, markdown] of texts) {
    const bad = [...markdown.matchAll(/\[(\d+)\](?!\()/g)].map((match) => Number(match[1])).filter((n) => n < 1 || n > sourceCount);
    if (bad.length) issues.push(`${path}: cites [${[...new Set(bad)].join('], [')}] but ${range}`);
  }
  output.affiliates.forEach((id, index) => {
    if (!allowedAffiliates.includes(id)) {
      const offered = allowedAffiliates.length ? allowedAffiliates.join(', ') : 'none';
      issues.push(`affiliates[${index}]: "${id}" is not one of the offered programs (${offered})`);
    }
  });
  return issues;
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

// ── errors ─────────────────────────────────────────────────────────────────────────────────

function isBadRequest(error: unknown): boolean {
  return error instanceof APIError && error.status === 400;
}

/**
 * A short, human reason for a failed request. The SDK's own error is not attached as `cause`:
 * it carries server-supplied text and headers, which could echo credentials back to us.
 */
function transportError(error: unknown, options: OpenAIProviderOptions, scrub: Scrub): DraftError {
  if (error instanceof DraftError) return error;
  const attempts = `${options.maxRetries + 1} attempt${options.maxRetries ? 's' : ''}`;
  let reason: string;
  if (error instanceof APIUserAbortError) reason = 'the request was cancelled';
  else if (error instanceof APIConnectionTimeoutError) reason = `timed out after ${options.timeoutMs} ms (${attempts})`;
  else if (error instanceof APIConnectionError) reason = `could not connect to ${serverName(options.baseURL)} (${attempts})`;
  else if (error instanceof APIError) reason = statusReason(error, options, attempts);
  else reason = `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  return new DraftError('NP4001', scrub(reason));
}

function statusReason(error: APIError, options: OpenAIProviderOptions, attempts: string): string {
  const status = error.status ?? 0;
  const detail = serverDetail(error);
  const request = error.requestID ? `, request ${error.requestID}` : '';
  let label: string;
  if (status === 401) label = 'the API key was rejected';
  else if (status === 403) label = 'permission denied';
  else if (status === 404) label = `model "${options.model}" or the endpoint was not found`;
  else if (status === 429) label = `rate limited after ${attempts}`;
  else if (status >= 500) label = `server error after ${attempts}`;
  else label = 'request rejected';
  return `${label} (HTTP ${status}${request})${detail ? `: ${detail}` : ''}`;
}

function serverDetail(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  const text = typeof body?.message === 'string' ? body.message : error.message.replace(/^\d{3}\s*/, '');
  return truncate(text.replace(/\s+/g, ' ').trim(), 160);
}

/** Host only: a base URL may carry credentials in its user-info or query. */
function serverName(baseURL: string | undefined): string {
  if (!baseURL) return 'the OpenAI API';
  try {
    return new URL(baseURL).host;
  } catch {
    return 'the configured server';
  }
}

// ── secrets ────────────────────────────────────────────────────────────────────────────────

type Scrub = (text: string) => string;

/**
 * Removes the API key from any text we throw or log, whatever the server echoes back. Also
 * masks things that look like keys or bearer tokens, in case a key reached us another way.
 */
export function secretScrubber(apiKey: string | undefined): Scrub {
  const key = apiKey && apiKey.length >= 4 ? apiKey : undefined;
  return (text) => {
    let clean = key ? text.split(key).join('***') : text;
    clean = clean.replace(/\bBearer\s+[^\s"',;]+/gi, 'Bearer ***');
    clean = clean.replace(/\bsk-[A-Za-z0-9_-]{6,}/g, 'sk-***');
    return clean;
  };
}

function scrubbingLogger(target: ProviderLogger, scrub: Scrub): ProviderLogger {
  // util.format renders objects the SDK passes (request details) so they can be scrubbed as text.
  const wrap = (write: (message: string) => void) => (...args: unknown[]) => write(scrub(format(...args)));
  return {
    error: wrap((message) => target.error(message)),
    warn: wrap((message) => target.warn(message)),
    info: wrap((message) => target.info(message)),
    debug: wrap((message) => target.debug(message)),
  };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
