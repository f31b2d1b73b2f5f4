import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { slugify } from '../lib/slug.ts';
import { requestDigest, type BatchAnswer } from './batch-answers.ts';
import type { TokenUsage } from './run-budget.ts';

/**
 * The Batch API's file formats. Input: one line per request,
 * `{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body"}`. Output and error
 * files: one line per request, `{"id", "custom_id", "response": {"status_code", "body"}, "error"}`,
 * in any order — so each answer is matched by its custom_id, never by position.
 */

export interface BatchRequest {
  customId: string;
  /** Topic key. */
  topic: string;
  /** Drafting step: "research brief", "article", "article repair"… */
  step: string;
  body: ChatCompletionCreateParamsNonStreaming;
}

/**
 * `<step>-<request digest>`: the step for people reading the file, the digest to file the answer
 * under (batch-answers.ts). At most 64 characters, the API's limit.
 */
export function customIdOf(step: string, body: ChatCompletionCreateParamsNonStreaming): string {
  return `${slugify(step, 30) || 'request'}-${requestDigest(body)}`;
}

export function digestOfCustomId(customId: string): string | undefined {
  return /-([0-9a-f]{32})$/.exec(customId)?.[1];
}

export function requestsJsonl(requests: readonly BatchRequest[]): string {
  return requests.map((request) => JSON.stringify({ custom_id: request.customId, method: 'POST', url: '/v1/chat/completions', body: request.body })).join('\n') + '\n';
}

const outputLineSchema = z.object({
  custom_id: z.string(),
  response: z.object({ status_code: z.number().int(), body: z.unknown() }).nullish(),
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});

const completionSchema = z.looseObject({
  choices: z.array(z.looseObject({ message: z.looseObject({}) })),
  usage: z.looseObject({ prompt_tokens: z.number().nonnegative(), completion_tokens: z.number().nonnegative() }).nullish(),
});

export interface BatchOutputLine {
  customId: string;
  answer: BatchAnswer;
  /** Tokens billed for this request (none for an error). */
  usage: TokenUsage;
}

/**
 * The lines of an output or error file. The file comes from the server: a line that is not the
 * documented shape is counted as unreadable, never trusted; completions are checked again, like
 * every answer, when the draft stage uses them.
 */
export function parseOutputFile(text: string): { lines: BatchOutputLine[]; unreadable: number } {
  const lines: BatchOutputLine[] = [];
  let unreadable = 0;
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      unreadable++;
      continue;
    }
    const line = outputLineSchema.safeParse(data);
    if (!line.success) {
      unreadable++;
      continue;
    }
    const { custom_id: customId, response, error } = line.data;
    const completion = response?.status_code === 200 ? completionSchema.safeParse(response.body) : undefined;
    if (completion?.success) {
      const usage = completion.data.usage;
      lines.push({
        customId,
        answer: { completion: completion.data as unknown as ChatCompletion },
        usage: { inputTokens: usage?.prompt_tokens ?? 0, outputTokens: usage?.completion_tokens ?? 0 },
      });
      continue;
    }
    const status = response?.status_code && response.status_code !== 200 ? response.status_code : 500;
    const message = errorMessage(response?.body) ?? error?.message ?? error?.code ?? `the batch answered HTTP ${status}`;
    lines.push({ customId, answer: { error: { status, message } }, usage: { inputTokens: 0, outputTokens: 0 } });
  }
  return { lines, unreadable };
}

function errorMessage(body: unknown): string | undefined {
  const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof message === 'string' ? message : undefined;
}
