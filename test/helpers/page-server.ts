import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Web pages on 127.0.0.1 for research tests and benchmarks: each path answers as scripted
 * (a status, headers and body; a redirect; or a hang until the server closes), optionally after
 * a delay like a real site's latency. Every request is recorded, so a test can prove a page was
 * never asked for.
 */
export type PageReply =
  | { status?: number; headers?: Record<string, string>; body: string | Uint8Array }
  | { redirect: string; status?: number }
  | { hang: true };

export interface PageServer {
  url: string;
  port: number;
  requests: { path: string; userAgent: string | undefined; at: number }[];
  /** Requests in flight right now, and the most there ever were at once. */
  readonly peak: number;
  close(): Promise<void>;
}

export async function startPageServer(
  routes: Record<string, PageReply> | ((path: string) => PageReply | undefined),
  options: { latencyMs?: number } = {},
): Promise<PageServer> {
  const requests: PageServer['requests'] = [];
  const hanging = new Set<ServerResponse>();
  let inFlight = 0;
  let peak = 0;
  const lookup = typeof routes === 'function' ? routes : (path: string) => routes[path];

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = request.url ?? '/';
    requests.push({ path, userAgent: request.headers['user-agent'], at: Date.now() });
    inFlight++;
    peak = Math.max(peak, inFlight);
    response.on('close', () => inFlight--);
    const reply = lookup(path) ?? { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found' };
    const answer = () => {
      if ('hang' in reply) {
        hanging.add(response);
        response.flushHeaders();
        return;
      }
      if ('redirect' in reply) {
        response.writeHead(reply.status ?? 302, { location: reply.redirect });
        response.end();
        return;
      }
      response.writeHead(reply.status ?? 200, { 'content-type': 'text/html; charset=utf-8', ...reply.headers });
      response.end(reply.body);
    };
    if (options.latencyMs) setTimeout(answer, options.latencyMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get peak() {
      return peak;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
