import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small OpenAI-compatible server on 127.0.0.1 for tests: the real `openai` client talks to it
 * over HTTP, so retries, timeouts and error mapping are exercised for real, not mocked.
 *
 * Each POST /v1/chat/completions takes the next scripted reply from the queue. When the queue is
 * empty the server answers 500 with "no scripted reply left", so a test that makes more calls
 * than it scripted fails loudly rather than hanging.
 */
export type FakeReply =
  /** A valid completion whose content is `JSON.stringify(json)`. */
  | { json: unknown; usage?: FakeUsage; model?: string }
  /** A completion with this raw content (truncated JSON, fenced JSON, prose…). */
  | { text: string; finishReason?: 'stop' | 'length' | 'content_filter'; usage?: FakeUsage; model?: string }
  /** A completion with `content: null` and this `refusal`, as OpenAI sends for refused requests. */
  | { refusal: string }
  /**
   * An error status. `retryAfter` (seconds) sets the Retry-After header, `retryAfterMs` the
   * retry-after-ms header the SDK also honours (sub-second waits keep fault tests fast); `rejectJsonSchema`
   * gives the 400 body a server without structured output sends; `echoAuthorization` sends the
   * request's Authorization header back in a plain-text body, like a careless proxy would.
   */
  | { status: number; retryAfter?: number; retryAfterMs?: number; rejectJsonSchema?: boolean; echoAuthorization?: boolean; message?: string }
  /** Accepts the request and never answers (until close()). */
  | { hang: true };

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it is not JSON; undefined for GET. */
  body: any;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface FakeOpenAIServer {
  /** Base URL ending in /v1, for the client's `baseURL`. */
  url: string;
  requests: RecordedRequest[];
  /** Appends replies to the queue. */
  enqueue(...replies: FakeReply[]): void;
  /** Scripted replies not used yet. */
  readonly pending: number;
  close(): Promise<void>;
}

const DEFAULT_USAGE: FakeUsage = { prompt_tokens: 120, completion_tokens: 80 };

export interface FakeServerOptions {
  replies?: FakeReply[];
  model?: string;
  /** Delay before every chat-completion answer, like a real model's latency (benchmarks). */
  latencyMs?: number;
  /**
   * Answers requests once the scripted queue is empty, from the request body: for tests and
   * benchmarks with many calls whose order is not fixed (concurrent topics).
   */
  respond?: (body: any) => FakeReply;
}

export async function startFakeOpenAIServer(options: FakeServerOptions = {}): Promise<FakeOpenAIServer> {
  const model = options.model ?? 'fake-model-1';
  const queue: FakeReply[] = [...(options.replies ?? [])];
  const requests: RecordedRequest[] = [];
  let sequence = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(`fake server crashed: ${String(error)}`, 'server_error'));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body: parseBody(raw), at: Date.now() });

    if (req.method === 'GET' && path === '/v1/models') {
      sendJson(res, 200, { object: 'list', data: [{ id: model, object: 'model', created: 1_700_000_000, owned_by: 'fake' }] });
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      sendJson(res, 404, errorBody(`Unknown route ${req.method} ${path}`, 'invalid_request_error'));
      return;
    }
    const reply = queue.shift() ?? options.respond?.(parseBody(raw));
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    if (!reply) {
      // x-should-retry: false so the SDK does not burn retries on a scripting mistake.
      sendJson(res, 500, errorBody('fake server: no scripted reply left', 'server_error'), { 'x-should-retry': 'false' });
      return;
    }
    sequence++;
    answer(reply, req, res, `chatcmpl-fake${sequence}`);
  }

  function answer(reply: FakeReply, req: IncomingMessage, res: ServerResponse, id: string): void {
    if ('hang' in reply) return; // keep the socket open; close() ends it
    if ('status' in reply) {
      sendError(reply, req, res);
      return;
    }
    if ('refusal' in reply) {
      sendJson(res, 200, completion(id, model, { content: null, refusal: reply.refusal }, 'stop', DEFAULT_USAGE));
      return;
    }
    const content = 'json' in reply ? JSON.stringify(reply.json) : reply.text;
    const finish = 'finishReason' in reply && reply.finishReason ? reply.finishReason : 'stop';
    sendJson(res, 200, completion(id, reply.model ?? model, { content, refusal: null }, finish, reply.usage ?? DEFAULT_USAGE));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    get pending() {
      return queue.length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections(); // ends hanging requests too
        server.close(() => resolve());
      }),
  };
}

function sendError(reply: Extract<FakeReply, { status: number }>, req: IncomingMessage, res: ServerResponse): void {
  const headers: Record<string, string> = {};
  if (reply.retryAfter !== undefined) headers['retry-after'] = String(reply.retryAfter);
  if (reply.retryAfterMs !== undefined) headers['retry-after-ms'] = String(reply.retryAfterMs);
  if (reply.echoAuthorization) {
    res.writeHead(reply.status, { 'content-type': 'text/plain', ...headers });
    res.end(`Unauthorized: the gateway did not accept "${req.headers.authorization ?? ''}"`);
    return;
  }
  if (reply.rejectJsonSchema) {
    const message = reply.message ?? "response_format type 'json_schema' is not supported by this server";
    sendJson(res, reply.status, errorBody(message, 'invalid_request_error', 'response_format'), headers);
    return;
  }
  const type = reply.status === 429 ? 'rate_limit_error' : reply.status >= 500 ? 'server_error' : 'invalid_request_error';
  const message = reply.message ?? (reply.status === 429 ? 'Rate limit reached, please retry later' : `Fake error ${reply.status}`);
  sendJson(res, reply.status, errorBody(message, type), headers);
}

function completion(
  id: string,
  model: string,
  message: { content: string | null; refusal: string | null },
  finishReason: string,
  usage: FakeUsage,
): object {
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', ...message }, logprobs: null, finish_reason: finishReason }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    system_fingerprint: 'fp_fake',
  };
}

function errorBody(message: string, type: string, param: string | null = null): object {
  return { error: { message, type, param, code: null } };
}

function sendJson(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_fake_${status}`, ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Which drafting step a request belongs to: the research brief or the article. The article
 * prompt carries the brief in <brief> tags; the brief prompt has none.
 */
export function stepOf(body: any): 'brief' | 'article' {
  const name = body?.response_format?.json_schema?.name;
  if (name === 'research_brief') return 'brief';
  if (name === 'article') return 'article';
  const user = (body?.messages ?? []).find((message: { role: string }) => message.role === 'user')?.content ?? '';
  return String(user).includes('<brief>') ? 'article' : 'brief';
}

/** The text of a request's user message ('' when it has none): what the prompt sent as data. */
export function userMessageOf(body: any): string {
  const message = (body?.messages ?? []).find((entry: { role: string }) => entry.role === 'user');
  return typeof message?.content === 'string' ? message.content : '';
}
