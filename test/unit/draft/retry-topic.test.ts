import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { slugify } from '../../../pipeline/lib/slug.ts';
import { copySampleNiche, runCli } from '../../helpers/cli.ts';
import { articleFor, validReply, viewOf } from '../../helpers/fake-model.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer, type FakeReply } from '../../helpers/fake-openai-server.ts';

interface Finding {
  severity: string;
  code?: string;
  message: string;
  subject?: string;
}
interface Report {
  stages: { stage: string; counts: Record<string, number>; findings: Finding[] }[];
}
const draftStage = (stdout: string) => (JSON.parse(stdout) as Report).stages.find((stage) => stage.stage === 'draft')!;
const usage = { prompt_tokens: 1000, completion_tokens: 300 };

/** What the model does, switchable between runs. */
type Behaviour = 'valid' | 'cites-missing-source' | 'prose';

function model(behaviour: () => Behaviour) {
  return (body: any): FakeReply => {
    const view = viewOf(body);
    if (view.step !== 'article' || behaviour() === 'valid') return validReply(body, usage);
    if (behaviour() === 'prose') return { text: 'Sure! Here is the article you asked for, in prose.', usage };
    return { json: articleFor(view, { markdown: '\n\nA further report agrees [9].' }), usage };
  };
}

describe('--retry <slug>: one topic asked again', { timeout: 180_000 }, () => {
  let server: FakeOpenAIServer | undefined;
  afterEach(() => server?.close());

  async function niche(initial: Behaviour) {
    let behaviour = initial;
    server = await startFakeOpenAIServer({ respond: model(() => behaviour) });
    const root = await copySampleNiche();
    const env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-retry', OPENAI_MODEL: 'gpt-4o-mini' };
    expect((await runCli(['ingest'], { cwd: root, env })).code).toBe(0);
    const folder = join(root, 'content/articles');
    const files = async () => Object.fromEntries(await Promise.all((await readdir(folder)).filter((name) => name.endsWith('.md')).map(async (name) => [name, await readFile(join(folder, name), 'utf8')] as const)));
    return { root, env, server, files, become: (next: Behaviour) => (behaviour = next) };
  }

  it('replaces a draft by a better answer, keeps it against one that is no better, and names an unknown slug', async () => {
    const { root, env, server, files, become } = await niche('cites-missing-source');
    expect(draftStage((await runCli(['draft', '--json'], { cwd: root, env })).stdout).counts).toMatchObject({ quarantined: 6 });
    const before = await files();
    const [first, second] = Object.keys(before).sort();
    const calls = server.chatCalls;

    // The model has improved: the retried topic is asked again (brief and article, no cache read) and published in place.
    become('valid');
    const better = await runCli(['draft', '--retry', first!.replace(/\.md$/, ''), '--json'], { cwd: root, env });
    expect(better.code, better.stderr).toBe(0);
    const stage = draftStage(better.stdout);
    expect(stage.counts).toMatchObject({ topics: 1, written: 1, quarantined: 0 });
    expect(stage.findings.find((finding) => finding.code === 'NP4111')?.message).toMatch(/is replaced by the new answer \(0 error-level findings, the draft had [1-9]/);
    expect(server.chatCalls).toBe(calls + 2);
    const now = await files();
    expect(Object.keys(now).sort()).toEqual(Object.keys(before).sort());
    expect(now[first!]).toMatch(/^draft: false$/m);
    expect(now[first!]).not.toContain('[9]');
    for (const name of Object.keys(before).filter((name) => name !== first)) expect(now[name]).toBe(before[name]);
    const state = JSON.parse(await readFile(join(root, 'content/state.json'), 'utf8')) as { topics: Record<string, { slug: string; status: string }> };
    expect(Object.values(state.topics).find((topic) => `${topic.slug}.md` === first)?.status).toBe('published');

    // No better this time: the draft stays as it is, and the report says why.
    become('cites-missing-source');
    const worse = await runCli(['draft', '--retry', second!.replace(/\.md$/, ''), '--json'], { cwd: root, env });
    expect(worse.code, worse.stderr).toBe(0);
    expect(draftStage(worse.stdout).findings.find((finding) => finding.code === 'NP4111')?.message).toMatch(/is kept: the new answer is no better/);
    expect(server.chatCalls).toBe(calls + 2 + 3);
    expect((await files())[second!]).toBe(before[second!]);

    // A slug that names nothing, and a published article, are refused before any call.
    const unknown = await runCli(['draft', '--retry', 'no-such-draft'], { cwd: root, env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--retry no-such-draft: no draft and no topic/);
    expect(unknown.stderr).toContain('NP4110');
    const published = await runCli(['draft', '--retry', first!.replace(/\.md$/, '')], { cwd: root, env });
    expect(published.code).toBe(2);
    expect(published.stderr).toMatch(/is published, not a draft/);
    expect(server.chatCalls).toBe(calls + 5);
  });

  it('asks again for a topic whose answer was cached as a failure, without --no-cache for the others', async () => {
    const { root, env, server, files, become } = await niche('prose');
    const failed = draftStage((await runCli(['draft', '--json'], { cwd: root, env })).stdout);
    expect(failed.counts).toMatchObject({ failed: 6 });
    const topic = failed.findings.find((finding) => finding.code === 'NP4002')!.subject!;
    const calls = server.chatCalls;

    become('valid');
    const retried = await runCli(['run', '--no-build', '--retry', slugify(topic), '--json'], { cwd: root, env });
    const stage = draftStage(retried.stdout);
    // The retried topic is written; the five others still fail from the cache, at no cost.
    expect(stage.counts).toMatchObject({ written: 1, failed: 5, providerCalls: 2 });
    // The run's newsletter intro asks the model too; drafting asked twice.
    expect(server.chatCalls).toBeGreaterThanOrEqual(calls + 2);
    expect(Object.values(await files()).filter((text) => text.includes(`key: ${topic}`))).toHaveLength(1);
  });
});
