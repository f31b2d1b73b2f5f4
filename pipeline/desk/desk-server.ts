import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readArchive } from '../archive/archive.ts';
import type { Context } from '../context.ts';
import type { Finding } from '../errors/finding.ts';
import { deskDraft, draftFiles } from './desk-drafts.ts';
import { deskPage } from './desk-page.ts';

export type Decision = 'approve' | 'reject';

/** What a decision came to, as the page shows it. */
export interface DecisionOutcome {
  ok: boolean;
  message: string;
  findings: Finding[];
}

export interface DeskServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Carries out a decision exactly as `nichepress approve|reject` does (lock included). */
  decide: (decision: Decision, slug: string) => Promise<DecisionOutcome>;
}

/**
 * The local review page (`nichepress desk`): bound to 127.0.0.1 only. The files are read afresh on
 * every page load, so an edit made in an editor shows at once. A decision is a POST carrying a
 * token only this server's pages hold, to a Host this server answers for (no other site, and no
 * DNS-rebound name, can approve or reject anything).
 */
export async function startDeskServer(context: Context, options: DeskServerOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const token = randomBytes(24).toString('hex');
  const notices = new Map<string, DecisionOutcome>();
  let port = options.port;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, 'text/plain', `desk error: ${(error as Error).message}`);
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const host = request.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(response, 421, 'text/plain', 'wrong host');
    const url = new URL(request.url ?? '/', `http://${host}`);
    if (request.method === 'GET' && url.pathname === '/') {
      const archive = await readArchive(context.config.resolved.articles);
      const drafts = draftFiles(archive).map((entry) => ({ ...deskDraft(context.config, archive, entry), text: entry.text }));
      const noticeId = url.searchParams.get('notice');
      const notice = noticeId ? notices.get(noticeId) : undefined;
      return send(response, 200, 'text/html; charset=utf-8', deskPage({ siteTitle: context.config.site.title, drafts, notice, token }));
    }
    // No icon: answered empty, so the browser does not log a missing file.
    if (request.method === 'GET' && url.pathname === '/favicon.ico') return void response.writeHead(204).end();
    const decision = url.pathname === '/approve' ? 'approve' : url.pathname === '/reject' ? 'reject' : undefined;
    if (request.method === 'POST' && decision) {
      const origin = request.headers.origin;
      if (origin !== undefined && origin !== `http://${host}`) return send(response, 403, 'text/plain', 'cross-site request refused');
      const form = new URLSearchParams(await readBody(request));
      if (form.get('token') !== token) return send(response, 403, 'text/plain', 'stale or foreign form: reload the desk');
      const outcome = await options.decide(decision, form.get('slug') ?? '');
      const id = randomBytes(6).toString('hex');
      notices.set(id, outcome);
      response.writeHead(303, { location: `/?notice=${id}` }).end();
      return;
    }
    send(response, 404, 'text/plain', 'not found');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, {
    'content-type': type,
    // The page runs no script and loads nothing: drafts are untrusted model output.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    'cache-control': 'no-store',
  });
  response.end(body);
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) {
    body += String(chunk);
    if (body.length > 10_000) throw new Error('form too large');
  }
  return body;
}
