import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySampleNiche, runCli } from '../../helpers/cli.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../helpers/fake-openai-server.ts';

interface Report {
  exitCode: number;
  stages: { stage: string; counts: Record<string, number>; findings: { severity: string; code?: string; message: string; hint?: string }[] }[];
}
const draftStage = (stdout: string) => (JSON.parse(stdout) as Report).stages.find((stage) => stage.stage === 'draft')!;

/** A loopback port with nothing listening on it: connections are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('failures that will not heal stop drafting for the run', { timeout: 120_000 }, () => {
  let root: string;
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    root = await copySampleNiche();
    expect((await runCli(['ingest'], { cwd: root })).code).toBe(0);
    server = await startFakeOpenAIServer({ respond: () => ({ status: 401, message: 'Incorrect API key provided' }) });
  }, 60_000);
  afterAll(() => server?.close());

  it('a refused connection: one finding that says so and what to do, and the topics not started wait', async () => {
    const env = { OPENAI_BASE_URL: `http://127.0.0.1:${await closedPort()}/v1`, OPENAI_API_KEY: 'sk-test-refused' };
    const result = await runCli(['draft', '--json'], { cwd: root, env });
    expect(result.code).toBe(1);
    const stage = draftStage(result.stdout);
    expect(stage.findings.map((finding) => finding.code)).toEqual(['NP4103']);
    expect(stage.findings[0]!.message).toMatch(/could not connect to 127\.0\.0\.1:\d+/);
    expect(stage.findings[0]!.hint).toMatch(/--offline/);
    // Only the topics already in flight (draft.concurrency, 4) tried; the other two were never asked.
    expect(stage.counts).toMatchObject({ topics: 6, written: 0, failed: 4, skipped: 2 });
  });

  it('a rejected key (401): stops after the first answer, without asking for every topic', async () => {
    const result = await runCli(['draft', '--json'], { cwd: root, env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-rejected' } });
    expect(result.code).toBe(1);
    const stage = draftStage(result.stdout);
    expect(stage.findings.map((finding) => finding.code)).toEqual(['NP4103']);
    expect(stage.findings[0]!.message).toMatch(/the API key was rejected \(HTTP 401/);
    expect(stage.counts.skipped).toBeGreaterThanOrEqual(2);
    // 401 is not retried by the SDK: one request per topic that was in flight, none after.
    expect(server.requests.length).toBeLessThanOrEqual(4);
    expect(result.stdout).not.toContain('sk-test-rejected');
  });
});
