import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copySampleNiche, runCli } from '../../helpers/cli.ts';
import { articleFor, validReply, viewOf } from '../../helpers/fake-model.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer, type FakeReply } from '../../helpers/fake-openai-server.ts';

interface Report {
  exitCode: number;
  stages: { stage: string; counts: Record<string, number>; findings: { severity: string; code?: string; message: string }[] }[];
}
const draftStage = (stdout: string) => (JSON.parse(stdout) as Report).stages.find((stage) => stage.stage === 'draft')!;
const usage = { prompt_tokens: 1000, completion_tokens: 300 };

/** A model whose article cites a source that does not exist, however often it is asked to repair it. */
function citesNoSuchSource(body: any): FakeReply {
  const view = viewOf(body);
  if (view.step !== 'article') return validReply(body, usage);
  return { json: articleFor(view, { markdown: '\n\nA further report agrees [9].' }), usage };
}

/** A model whose article is never JSON at all. */
function answersInProse(body: any): FakeReply {
  return viewOf(body).step === 'article' ? { text: 'Sure! Here is the article you asked for, in prose.', usage } : validReply(body, usage);
}

describe('nothing paid for is thrown away', { timeout: 120_000 }, () => {
  let server: FakeOpenAIServer | undefined;
  afterEach(() => server?.close());

  async function niche(respond: (body: any) => FakeReply) {
    server = await startFakeOpenAIServer({ respond });
    const root = await copySampleNiche();
    const env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-kept', OPENAI_MODEL: 'gpt-4o-mini' };
    expect((await runCli(['ingest'], { cwd: root, env })).code).toBe(0);
    return { root, env, server };
  }

  it('an answer that breaks a rule after its repair is written as a draft, and never bought again', async () => {
    const { root, env, server } = await niche(citesNoSuchSource);
    const first = await runCli(['draft', '--json'], { cwd: root, env });
    const stage = draftStage(first.stdout);
    expect(stage.counts).toMatchObject({ topics: 6, written: 0, quarantined: 6, failed: 0 });
    expect(stage.findings.filter((finding) => finding.code === 'NP4104')).toHaveLength(6);
    // Brief, article, and the article's one repair per topic.
    expect(server.requests).toHaveLength(18);

    const folder = join(root, 'content/articles');
    const names = (await readdir(folder)).filter((name) => name.endsWith('.md'));
    expect(names).toHaveLength(6);
    const text = await readFile(join(folder, names[0]!), 'utf8');
    expect(text).toMatch(/^draft: true$/m);
    expect(text).toMatch(/NP4104: .*cites \[9\]/);
    expect(text).not.toContain('[9]]');

    const again = await runCli(['draft', '--json'], { cwd: root, env });
    expect(again.code, again.stderr).toBe(0);
    expect(draftStage(again.stdout).counts).toMatchObject({ topics: 0, written: 0, quarantined: 0 });
    expect(server.requests).toHaveLength(18);
    const desk = await runCli(['drafts', '--json'], { cwd: root, env });
    expect((JSON.parse(desk.stdout) as Report).stages[0]!.counts.drafts).toBe(6);
  });

  it('an answer that cannot be read at all is a failure, remembered: a rerun asks again only with --no-cache', async () => {
    const { root, env, server } = await niche(answersInProse);
    const first = await runCli(['draft', '--json'], { cwd: root, env });
    expect(first.code).toBe(1);
    expect(draftStage(first.stdout).counts).toMatchObject({ topics: 6, written: 0, failed: 6 });
    expect(server.requests).toHaveLength(18);

    const again = await runCli(['draft', '--json'], { cwd: root, env });
    const stage = draftStage(again.stdout);
    expect(stage.counts).toMatchObject({ topics: 6, failed: 6, providerCalls: 0 });
    expect(stage.findings.every((finding) => finding.code !== 'NP4002' || /earlier run; --no-cache asks again/.test(finding.message))).toBe(true);
    expect(server.requests).toHaveLength(18);

    await runCli(['draft', '--no-cache', '--json'], { cwd: root, env });
    expect(server.requests.length).toBeGreaterThan(18);
  });
});
