import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small OpenAI-compatible server on 127.0.0.1 for tests: the real `openai` client talks to it
 * over HTTP, so retries, timeouts and error mapping are exercised for real, not mocked.
 *
 * Each POST /v1/chat/completions takes the next scripted reply from the queue. When the queue is
 * empty the server answers 500 with "no scripted reply left", so a test that makes more calls
 * than it scripted fails loudly rather than hanging.
 *
 * The Batch API is there too: POST /v1/files (multipart), GET /v1/files/:id/content,
 * POST /v1/batches, GET /v1/batches and GET /v1/batches/:id. A completed batch answers each line
 * of its input file as a chat completion would (same queue, same `respond`).
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
  /** Chat-completion requests only (POST /v1/chat/completions). */
  readonly chatCalls: number;
  /** Batches created, oldest first (the Batch API's own objects, as the server keeps them). */
  batches: FakeBatch[];
  /** Uploaded files by id. */
  files: Map<string, { filename: string; purpose: string; content: string }>;
  /** Appends replies to the queue. */
  enqueue(...replies: FakeReply[]): void;
  /** Scripted replies not used yet. */
  readonly pending: number;
  close(): Promise<void>;
}

const DEFAULT_USAGE: FakeUsage = { prompt_tokens: 120, completion_tokens: 80 };

/**
 * How a created batch behaves, taken in order for each new batch (the last one repeats):
 * `completeOn: n` is `in_progress` until the n-th retrieve, which answers every request
 * (through the scripted queue, then `respond`) and is `completed`; `fail` is `failed` at the first
 * retrieve; `expireOn: n` is `expired` at the n-th retrieve with no answers; `hangOnCreate` records
 * the batch and never answers the create call (a client killed right after creating it).
 */
export type FakeBatchScript = { completeOn: number } | { fail: string } | { expireOn: number } | { hangOnCreate: true; completeOn: number };

export interface FakeBatch {
  id: string;
  status: string;
  input_file_id: string;
  output_file_id?: string;
  error_file_id?: string;
  metadata: Record<string, string>;
  created_at: number;
  /** Retrieves so far. */
  retrieved: number;
  script: FakeBatchScript;
}

export interface FakeServerOptions {
  /** Behaviour of created batches, in order; default: completed at the first retrieve. */
  batches?: FakeBatchScript[];
  /** Called when a batch is created, before the answer is sent. */
  onBatchCreated?: (batch: FakeBatch) => void;
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
  const files = new Map<string, { filename: string; purpose: string; content: string }>();
  const batches: FakeBatch[] = [];
  const scripts = [...(options.batches ?? [{ completeOn: 1 }])];

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(`fake server crashed: ${String(error)}`, 'server_error'));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const bytes = await readBytes(req);
    const raw = bytes.toString('utf8');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body: parseBody(raw), at: Date.now() });

    if (path.startsWith('/v1/files') || path.startsWith('/v1/batches')) {
      await batchRoute(req, res, path, bytes);
      return;
    }

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

  /** The files and batches endpoints of the Batch API, enough for the real client's calls. */
  async function batchRoute(req: IncomingMessage, res: ServerResponse, path: string, bytes: Buffer): Promise<void> {
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === '/v1/files') {
      // The SDK uploads multipart/form-data; the platform's own parser reads it.
      const form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
      const file = form.get('file');
      if (!(file instanceof File)) return sendJson(res, 400, errorBody('file is required', 'invalid_request_error', 'file'));
      const id = `file-fake${files.size + 1}`;
      files.set(id, { filename: file.name, purpose: String(form.get('purpose')), content: await file.text() });
      return sendJson(res, 200, { id, object: 'file', bytes: file.size, created_at: now(), filename: file.name, purpose: form.get('purpose'), status: 'processed' });
    }
    const content = /^\/v1\/files\/([^/]+)\/content$/.exec(path);
    if (method === 'GET' && content) {
      const file = files.get(content[1]!);
      if (!file) return sendJson(res, 404, errorBody(`No such File object: ${content[1]}`, 'invalid_request_error'));
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(file.content);
      return;
    }
    if (method === 'POST' && path === '/v1/batches') {
      const body = JSON.parse(bytes.toString('utf8')) as { input_file_id: string; endpoint: string; completion_window: string; metadata?: Record<string, string> };
      if (!files.has(body.input_file_id)) return sendJson(res, 400, errorBody(`input_file_id ${body.input_file_id} not found`, 'invalid_request_error'));
      if (body.endpoint !== '/v1/chat/completions' || body.completion_window !== '24h') return sendJson(res, 400, errorBody('unsupported endpoint or window', 'invalid_request_error'));
      const script = scripts.length > 1 ? scripts.shift()! : scripts[0]!;
      const batch: FakeBatch = { id: `batch_fake${batches.length + 1}`, status: 'validating', input_file_id: body.input_file_id, metadata: body.metadata ?? {}, created_at: now(), retrieved: 0, script };
      batches.push(batch);
      options.onBatchCreated?.(batch);
      if ('hangOnCreate' in script) return; // the batch exists; the client never hears of it
      return sendJson(res, 200, batchObject(batch));
    }
    if (method === 'GET' && path === '/v1/batches') {
      const newestFirst = [...batches].reverse();
      return sendJson(res, 200, { object: 'list', data: newestFirst.map(batchObject), first_id: newestFirst[0]?.id ?? null, last_id: newestFirst.at(-1)?.id ?? null, has_more: false });
    }
    const one = /^\/v1\/batches\/([^/]+)$/.exec(path);
    if (method === 'GET' && one) {
      const batch = batches.find((entry) => entry.id === one[1]);
      if (!batch) return sendJson(res, 404, errorBody(`No such batch: ${one[1]}`, 'invalid_request_error'));
      advance(batch);
      return sendJson(res, 200, batchObject(batch));
    }
    sendJson(res, 404, errorBody(`Unknown route ${method} ${path}`, 'invalid_request_error'));
  }

  function advance(batch: FakeBatch): void {
    if (['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) return;
    batch.retrieved++;
    const { script } = batch;
    if ('fail' in script) batch.status = 'failed';
    else if ('expireOn' in script) batch.status = batch.retrieved >= script.expireOn ? 'expired' : 'in_progress';
    else if (batch.retrieved < script.completeOn) batch.status = 'in_progress';
    else complete(batch);
  }

  /** Answers every request of the input file, like the real service: successes and errors in two files. */
  function complete(batch: FakeBatch): void {
    const input = files.get(batch.input_file_id)!.content.split('\n').filter((line) => line.trim());
    const output: string[] = [];
    const errors: string[] = [];
    for (const [index, line] of input.entries()) {
      const request = JSON.parse(line) as { custom_id: string; body: any };
      const reply = queue.shift() ?? options.respond?.(request.body);
      const lineId = `batch_req_${batch.id}_${index}`;
      if (!reply || 'hang' in reply) {
        errors.push(JSON.stringify({ id: lineId, custom_id: request.custom_id, response: null, error: { code: 'server_error', message: 'fake server: no scripted reply left' } }));
        continue;
      }
      if ('status' in reply) {
        const message = reply.message ?? `Fake error ${reply.status}`;
        errors.push(JSON.stringify({ id: lineId, custom_id: request.custom_id, response: { status_code: reply.status, request_id: `req_${lineId}`, body: errorBody(message, 'invalid_request_error') }, error: null }));
        continue;
      }
      sequence++;
      const body =
        'refusal' in reply
          ? completion(`chatcmpl-fake${sequence}`, model, { content: null, refusal: reply.refusal }, 'stop', DEFAULT_USAGE)
          : completion(
              `chatcmpl-fake${sequence}`,
              reply.model ?? model,
              { content: 'json' in reply ? JSON.stringify(reply.json) : reply.text, refusal: null },
              'finishReason' in reply && reply.finishReason ? reply.finishReason : 'stop',
              reply.usage ?? DEFAULT_USAGE,
            );
      output.push(JSON.stringify({ id: lineId, custom_id: request.custom_id, response: { status_code: 200, request_id: `req_${lineId}`, body }, error: null }));
    }
    // Lines come back in any order: the client must match them by custom_id.
    output.reverse();
    if (output.length) batch.output_file_id = storeFile(`${batch.id}_output.jsonl`, output);
    if (errors.length) batch.error_file_id = storeFile(`${batch.id}_errors.jsonl`, errors);
    batch.status = 'completed';
  }

  function storeFile(filename: string, lines: string[]): string {
    const id = `file-fake${files.size + 1}`;
    files.set(id, { filename, purpose: 'batch_output', content: `${lines.join('\n')}\n` });
    return id;
  }

  function batchObject(batch: FakeBatch): object {
    return {
      id: batch.id,
      object: 'batch',
      endpoint: '/v1/chat/completions',
      input_file_id: batch.input_file_id,
      completion_window: '24h',
      status: batch.status,
      output_file_id: batch.output_file_id ?? null,
      error_file_id: batch.error_file_id ?? null,
      created_at: batch.created_at,
      metadata: batch.metadata,
      errors: batch.status === 'failed' && 'fail' in batch.script ? { object: 'list', data: [{ code: 'invalid_request', message: batch.script.fail, line: 1, param: null }] } : null,
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get chatCalls() {
      return requests.filter((request) => request.path === '/v1/chat/completions').length;
    },
    batches,
    files,
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

async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function now(): number {
  return Math.floor(Date.now() / 1000);
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
