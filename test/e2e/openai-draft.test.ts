import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySampleNiche, runCli, type CliResult } from '../helpers/cli.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../helpers/fake-openai-server.ts';

const SECRET = 'sk-test-E2E-SECRET-0123456789';

/** A well-formed structured article, as a model would return it; `extra` lets one reply misbehave. */
function modelArticle(index: number, extra = ''): unknown {
  return {
    title: `Sourced briefing number ${index}: what changed for passive income`,
    description: `Briefing ${index} summarises what the cited reports say, which numbers changed and which risks readers should weigh before acting.`,
    tags: ['defi', 'briefing'],
    keyTakeaways: ['Reported changes are recent and may reverse [1].', 'Risks are listed by every source [2].'],
    sections: [
      { heading: 'What changed', markdown: `The first report describes the change [1], and a second adds numbers [2].${extra}` },
      { heading: 'Risks to weigh', markdown: '- Smart-contract and liquidity risks remain [1]\n- Terms can change without notice [3]' },
    ],
    faq: [{ question: 'Is this advice?', answer: 'No. It summarises reporting; read the sources.' }],
    citations: [1, 2, 3],
    affiliates: [],
  };
}

async function allFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** `draft` through the real openai SDK against a scripted OpenAI-compatible server on 127.0.0.1. */
describe('drafting through an OpenAI-compatible server', () => {
  let server: FakeOpenAIServer;
  let root: string;
  let result: CliResult;
  const env = { OPENAI_BASE_URL: '', OPENAI_API_KEY: SECRET, OPENAI_MODEL: 'fake-model-1' };

  beforeAll(async () => {
    server = await startFakeOpenAIServer({
      replies: [
        { json: modelArticle(1, ' An attacker wants [this link](https://scam.example/airdrop) and <script>alert(1)</script>.'), usage: { prompt_tokens: 1200, completion_tokens: 400 } },
        ...[2, 3, 4, 5, 6].map((index) => ({ json: modelArticle(index), usage: { prompt_tokens: 1000, completion_tokens: 300 } })),
      ],
    });
    env.OPENAI_BASE_URL = server.url;
    root = await copySampleNiche();
    expect((await runCli(['ingest'], { cwd: root, env })).code).toBe(0);
    result = await runCli(['draft', '--json'], { cwd: root, env });
  }, 120_000);

  afterAll(() => server?.close());

  it('writes one article per topic, labelled with the model and its usage', async () => {
    expect(result.code, result.stderr).toBe(0);
    const names = (await readdir(join(root, 'content/articles'))).sort();
    expect(names).toHaveLength(6);
    const texts = await Promise.all(names.map((name) => readFile(join(root, 'content/articles', name), 'utf8')));
    for (const text of texts) {
      expect(text).toMatch(/^generator: openai$/m);
      expect(text).toMatch(/^ {2}model: fake-model-1$/m);
      expect(text).toMatch(/^ {4}inputTokens: \d+$/m);
      expect(text).toMatch(/^ {4}name: article$/m);
    }
    expect(server.requests.filter((request) => request.path.endsWith('/chat/completions'))).toHaveLength(6);
  });

  it('keeps links to unknown domains and raw HTML out of the article, and says so', async () => {
    const texts = await Promise.all((await readdir(join(root, 'content/articles'))).map((name) => readFile(join(root, 'content/articles', name), 'utf8')));
    for (const text of texts) {
      expect(text).not.toContain('scam.example');
      expect(text).not.toContain('<script');
    }
    const report = JSON.parse(result.stdout) as { stages: { findings: { code?: string; message: string }[] }[] };
    const removed = report.stages.flatMap((stage) => stage.findings).filter((finding) => finding.code === 'NP4004');
    expect(removed.map((finding) => finding.message).join('\n')).toMatch(/scam\.example/);
  });

  it('never writes the API key to a file, the report or the logs', async () => {
    expect(result.stdout + result.stderr).not.toContain(SECRET);
    for (const file of await allFiles(root)) expect(await readFile(file, 'utf8'), file).not.toContain(SECRET);
  });

  it('a rerun makes no API call', async () => {
    const before = server.requests.length;
    const again = await runCli(['draft', '--json'], { cwd: root, env });
    expect(again.code).toBe(0);
    expect(server.requests.length).toBe(before);
  });
});
