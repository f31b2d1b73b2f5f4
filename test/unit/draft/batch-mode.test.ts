import { spawn } from 'node:child_process';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { slugify } from '../../../pipeline/lib/slug.ts';
import { BIN, copySampleNiche, runCli } from '../../helpers/cli.ts';
import { articleFor, validReply, viewOf } from '../../helpers/fake-model.ts';
import { startFakeOpenAIServer, type FakeBatchScript, type FakeOpenAIServer, type FakeReply } from '../../helpers/fake-openai-server.ts';

interface Finding {
  severity: string;
  code?: string;
  message: string;
  subject?: string;
}
interface Report {
  exitCode: number;
  stages: { stage: string; counts: Record<string, number>; findings: Finding[]; details?: any }[];
}
interface StateFile {
  topics: Record<string, { slug: string; status: string }>;
  spend?: Record<string, { costUsd: number; calls: number }>;
  batches?: { submission: string; id?: string; fileId: string; status: string; submittedAt: string; collectedAt?: string; answerFiles?: string[]; estimatedCostUsd: number; topics: { key: string }[]; requests: { customId: string; topic: string; step: string }[] }[];
}

const usage = { prompt_tokens: 1000, completion_tokens: 300 };
/** gpt-4o-mini in the sample config: $0.15 in, $0.60 out per million; the Batch API bills half. */
const BATCH_LINE_USD = ((1000 * 0.15 + 300 * 0.6) / 1_000_000) * 0.5;

/** Answers in which the articles of the first two topics asked cite a source that does not exist, however often they are asked. */
function twoArticlesCitingAMissingSource(): (body: any) => FakeReply {
  const failing = new Set<string>();
  return (body) => {
    const view = viewOf(body);
    if (view.step === 'article' && (failing.has(view.topic) || (failing.size < 2 && !view.repair && failing.add(view.topic)))) {
      return { json: articleFor(view, { markdown: '\n\nA further report agrees [9].' }), usage };
    }
    return validReply(body, usage);
  };
}

const draftStage = (stdout: string) => (JSON.parse(stdout) as Report).stages.find((stage) => stage.stage === 'draft')!;
const codes = (stage: { findings: Finding[] }) => stage.findings.map((finding) => finding.code);

describe('draft.mode: batch, through the openai client and the Batch API', { timeout: 240_000 }, () => {
  let server: FakeOpenAIServer | undefined;
  afterEach(() => server?.close());

  async function batchNiche(options: { respond: (body: any) => FakeReply; batches: FakeBatchScript[]; monthlyBudgetUsd?: number }) {
    server = await startFakeOpenAIServer({ respond: options.respond, batches: options.batches });
    const root = await copySampleNiche();
    const file = join(root, 'content/niche.yaml');
    const budget = options.monthlyBudgetUsd === undefined ? '' : `  monthlyBudgetUsd: ${options.monthlyBudgetUsd}\n`;
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^draft:\n/m, `draft:\n  mode: batch\n${budget}`));
    const env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-batch-secret', OPENAI_MODEL: 'gpt-4o-mini' };
    expect((await runCli(['ingest'], { cwd: root, env })).code).toBe(0);
    const state = async () => JSON.parse(await readFile(join(root, 'content/state.json'), 'utf8')) as StateFile;
    const draft = async () => {
      const result = await runCli(['draft', '--json'], { cwd: root, env });
      expect(result.code === 0 || result.code === 1, result.stderr).toBe(true);
      expect(result.stdout + result.stderr).not.toContain('sk-test-batch-secret');
      return draftStage(result.stdout);
    };
    return { root, env, server, state, draft };
  }

  it('submits, waits, collects step by step, keeps failing answers as drafts, and then does nothing', async () => {
    const respond = twoArticlesCitingAMissingSource();
    const { root, env, server, state, draft } = await batchNiche({ respond, batches: [{ completeOn: 2 }, { completeOn: 1 }] });

    // Run 1: the six briefs go out as one batch; nothing is asked synchronously.
    const first = await draft();
    expect(first.counts).toMatchObject({ topics: 6, batched: 6, batchRequests: 6, written: 0, providerCalls: 0 });
    expect(codes(first)).toContain('NP4105');
    expect(server.chatCalls).toBe(0);
    expect(server.batches).toHaveLength(1);
    const input = server.files.get(server.batches[0]!.input_file_id)!;
    expect(input.purpose).toBe('batch');
    const lines = input.content.trim().split('\n').map((line) => JSON.parse(line) as { custom_id: string; method: string; url: string; body: any });
    expect(lines).toHaveLength(6);
    expect(new Set(lines.map((line) => line.custom_id)).size).toBe(6);
    for (const line of lines) {
      expect(line).toMatchObject({ method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini' } });
      expect(line.custom_id.length).toBeLessThanOrEqual(64);
      expect(line.body.response_format.json_schema.name).toBe('research_brief');
    }
    const recorded = (await state()).batches!;
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ id: server.batches[0]!.id, fileId: server.batches[0]!.input_file_id, status: 'validating', submittedAt: '2026-11-01T09:00:00.000Z' });
    expect(recorded[0]!.topics).toHaveLength(6);
    expect(recorded[0]!.requests.map((request) => request.customId).sort()).toEqual(lines.map((line) => line.custom_id).sort());
    expect(recorded[0]!.estimatedCostUsd).toBeGreaterThan(0);
    expect(server.batches[0]!.metadata.nichepress_submission).toBe(recorded[0]!.submission);

    // `drafts` shows the batch in flight, as JSON and for people.
    const listed = JSON.parse((await runCli(['drafts', '--json'], { cwd: root, env })).stdout) as Report;
    expect(listed.stages[0]!.counts.batchesInFlight).toBe(1);
    expect(listed.stages[0]!.details.batches[0]).toMatchObject({ id: server.batches[0]!.id, status: 'validating', requests: 6 });
    expect(listed.stages[0]!.details.batches[0].topics).toHaveLength(6);
    const human = await runCli(['drafts'], { cwd: root, env });
    expect(human.stdout).toContain(`${server.batches[0]!.id}  validating`);

    // Run 2: still in progress — no second submission, no call, nothing written.
    const second = await draft();
    expect(second.counts).toMatchObject({ topics: 0, written: 0, batchesWaiting: 1 });
    expect(codes(second)).toContain('NP4106');
    expect(server.batches).toHaveLength(1);
    expect(server.chatCalls).toBe(0);
    expect((await state()).batches![0]!.status).toBe('in_progress');

    // Run 3: the briefs are in; each topic's article request goes out as the next batch.
    const third = await draft();
    expect(codes(third)).toContain('NP4107');
    expect(third.counts).toMatchObject({ batchesCollected: 1, batchAnswers: 6, batchRequests: 6, written: 0 });
    expect(server.batches).toHaveLength(2);
    const articles = server.files.get(server.batches[1]!.input_file_id)!.content.trim().split('\n').map((line) => JSON.parse(line) as { body: any });
    expect(articles.every((line) => line.body.response_format.json_schema.name === 'article')).toBe(true);
    // The briefs' batch stays, collected, while its topics' articles are in flight: it neither waits nor holds money.
    const afterThird = await state();
    expect(afterThird.batches!.map((batch) => [batch.id, batch.status])).toEqual([
      [server.batches[0]!.id, 'collected'],
      [server.batches[1]!.id, 'validating'],
    ]);
    expect(afterThird.batches![0]!.collectedAt).toBe('2026-11-01T09:00:00.000Z');
    expect(afterThird.batches![0]!.answerFiles).toEqual([server.batches[0]!.output_file_id]);
    const inFlight = JSON.parse((await runCli(['drafts', '--json'], { cwd: root, env })).stdout) as Report;
    expect(inFlight.stages[0]!.counts.batchesInFlight).toBe(1);
    expect(inFlight.stages[0]!.details.batches[0].id).toBe(server.batches[1]!.id);

    // Run 4: four articles pass and are written; the two that cite [9] need a repair, asked in a third batch.
    const fourth = await draft();
    expect(fourth.counts).toMatchObject({ batchAnswers: 6, written: 4, quarantined: 0, batchRequests: 2 });
    expect(server.batches).toHaveLength(3);
    const repairs = server.files.get(server.batches[2]!.input_file_id)!.content.trim().split('\n').map((line) => JSON.parse(line) as { custom_id: string; body: any });
    expect(repairs.every((line) => line.custom_id.startsWith('article-repair-') && line.body.messages.length === 4)).toBe(true);
    // After the writes, a collected batch stays only while some of its topics have a step in flight.
    const afterFourth = (await state()).batches!;
    const repairing = new Set(afterFourth.filter((batch) => batch.status !== 'collected').flatMap((batch) => batch.topics.map((topic) => topic.key)));
    expect(repairing.size).toBe(2);
    for (const batch of afterFourth.filter((entry) => entry.status === 'collected')) expect(batch.topics.some((topic) => repairing.has(topic.key))).toBe(true);

    // Run 5: the repairs still break the rule: kept as drafts, never published.
    const fifth = await draft();
    expect(fifth.counts).toMatchObject({ batchAnswers: 2, written: 0, quarantined: 2 });
    expect(fifth.findings.filter((finding) => finding.code === 'NP4104')).toHaveLength(2);
    const folder = join(root, 'content/articles');
    const files = (await readdir(folder)).filter((name) => name.endsWith('.md'));
    expect(files).toHaveLength(6);
    const texts = await Promise.all(files.map((name) => readFile(join(folder, name), 'utf8')));
    expect(texts.filter((text) => /^draft: true$/m.test(text))).toHaveLength(2);
    expect(texts.filter((text) => /^draft: false$/m.test(text))).toHaveLength(4);
    // Provenance carries what the answers cost at the batch price: a brief and an article, at half of $0.00066.
    for (const text of texts.filter((text) => /^draft: false$/m.test(text))) expect(text).toMatch(/^ {2}costUsd: 0\.00033$/m);

    // Every answer the server gave was booked to the month at half the price, and nothing else.
    const after = await state();
    expect(after.batches).toBeUndefined();
    expect(after.spend!['2026-11']!.calls).toBe(6 + 6 + 2);
    expect(after.spend!['2026-11']!.costUsd).toBeCloseTo(14 * BATCH_LINE_USD, 6);
    expect(Object.values(after.topics).map((topic) => topic.status).sort()).toEqual(['draft', 'draft', 'published', 'published', 'published', 'published']);

    // Run 6: nothing left to do, nothing sent.
    const sixth = await draft();
    expect(sixth.counts).toMatchObject({ topics: 0, written: 0, batchesWaiting: 0 });
    expect(server.batches).toHaveLength(3);
    expect(server.chatCalls).toBe(0);

    // The key went only into the Authorization header: not into any file of the project (state,
    // articles, drafts, reports, the answer cache) nor into any file uploaded to the server.
    for (const file of await filesUnder(root)) expect(await readFile(file, 'utf8'), file).not.toContain('sk-test-batch-secret');
    for (const { content } of server.files.values()) expect(content).not.toContain('sk-test-batch-secret');
  });

  it('a failed or expired batch is reported and its topics are submitted again', async () => {
    const { server, state, draft } = await batchNiche({ respond: (body) => validReply(body, usage), batches: [{ fail: 'line 1: model not allowed' }, { expireOn: 1 }, { completeOn: 5 }] });
    await draft();
    const failed = await draft();
    expect(failed.findings.find((finding) => finding.code === 'NP4108')?.message).toMatch(/ended failed \(line 1: model not allowed\)/);
    expect(failed.counts).toMatchObject({ batchRequests: 6 });
    expect(server.batches).toHaveLength(2);
    const expired = await draft();
    expect(expired.findings.find((finding) => finding.code === 'NP4108')?.message).toMatch(/ended expired/);
    expect(server.batches).toHaveLength(3);
    const inputs = server.batches.map((batch) => server.files.get(batch.input_file_id)!.content);
    expect(inputs[1]).toBe(inputs[0]);
    expect(inputs[2]).toBe(inputs[0]);
    // Nothing was answered, so nothing was paid.
    expect((await state()).spend).toBeUndefined();
    expect(server.chatCalls).toBe(0);
  });

  it('a submission the month cannot afford is not made', async () => {
    // Less than one request's worst case (its prompt plus 4096 output tokens at the batch price).
    const { server, state, draft } = await batchNiche({ respond: (body) => validReply(body, usage), batches: [{ completeOn: 1 }], monthlyBudgetUsd: 0.0005 });
    const stage = await draft();
    expect(codes(stage)).toContain('NP4003');
    expect(stage.counts.batchRequests ?? 0).toBe(0);
    expect(server.batches).toHaveLength(0);
    expect(server.files.size).toBe(0);
    expect((await state()).batches).toBeUndefined();
  });

  it('a run killed right after creating the batch does not create it again: the next run finds it by its metadata', async () => {
    const { root, env, server, state, draft } = await batchNiche({ respond: (body) => validReply(body, usage), batches: [{ hangOnCreate: true, completeOn: 1 }, { completeOn: 1 }] });
    // The server creates the batch and never answers; the process is killed at that moment.
    const killed = await draftKilledWhen(root, env, () => server.batches.length > 0);
    expect(killed).toBe('SIGKILL');
    expect(server.batches).toHaveLength(1);
    const orphan = (await state()).batches!;
    expect(orphan).toHaveLength(1);
    expect(orphan[0]!.id).toBeUndefined();
    expect(orphan[0]!.status).toBe('submitting');

    const next = await draft();
    // Found, collected, and its topics moved on to their article step: one new batch, not a second brief batch.
    expect(codes(next)).toContain('NP4107');
    expect(server.batches).toHaveLength(2);
    const briefs = server.batches.filter((batch) => server.files.get(batch.input_file_id)!.content.includes('research_brief'));
    expect(briefs).toHaveLength(1);
    expect(server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/batches')).toHaveLength(2);
    expect(server.chatCalls).toBe(0);
  });

  it('a run killed after collecting and before writing leaves the batches collected: a checkout without the cache writes their articles, buying nothing again', async () => {
    // Two topics' articles need a repair, so the run that collects the articles also submits a batch; its create never answers.
    const respond = twoArticlesCitingAMissingSource();
    const { root, env, server, state, draft } = await batchNiche({ respond, batches: [{ completeOn: 1 }, { completeOn: 1 }, { hangOnCreate: true, completeOn: 2 }] });
    await draft(); // the briefs go out
    await draft(); // the briefs are collected, the articles go out
    expect(server.batches).toHaveLength(2);

    // The articles' batch is collected (booked, checkpointed) and the repairs' batch is being created when the run is killed: nothing is written yet.
    const killed = await draftKilledWhen(root, env, () => server.batches.length > 2);
    expect(killed).toBe('SIGKILL');
    const folder = join(root, 'content/articles');
    const articleFiles = async () => (await readdir(folder).catch(() => [] as string[])).filter((name) => name.endsWith('.md'));
    expect(await articleFiles()).toHaveLength(0);
    const atKill = await state();
    expect(atKill.batches!.map((batch) => batch.status)).toEqual(['collected', 'collected', 'submitting']);
    // Both collected batches are booked once: six briefs and six articles.
    expect(atKill.spend!['2026-11']!.calls).toBe(12);
    expect(atKill.spend!['2026-11']!.costUsd).toBeCloseTo(12 * BATCH_LINE_USD, 6);
    // Collected batches are not in flight: only the one being created is listed.
    const listed = JSON.parse((await runCli(['drafts', '--json'], { cwd: root, env })).stdout) as Report;
    expect(listed.stages[0]!.counts.batchesInFlight).toBe(1);

    // A fresh checkout: the committed state, no cache.
    expect((await stat(join(root, '.nichepress/cache/batch-answers'))).isDirectory()).toBe(true);
    await rm(join(root, '.nichepress/cache'), { recursive: true });
    const downloads = (fileId: string) => server.requests.filter((request) => request.method === 'GET' && request.path === `/v1/files/${fileId}/content`).length;
    const briefFile = server.batches[0]!.output_file_id!;
    const articleFile = server.batches[1]!.output_file_id!;
    const before = { brief: downloads(briefFile), article: downloads(articleFile) };

    const rerun = await draft();
    // The four articles that passed are written from the answers downloaded again; the two repairs wait for their batch.
    expect(rerun.counts).toMatchObject({ written: 4, quarantined: 0, batchesWaiting: 1 });
    expect(rerun.counts.batchesCollected ?? 0).toBe(0);
    expect(rerun.counts.batchRequests ?? 0).toBe(0);
    expect(rerun.findings.filter((finding) => finding.code === 'NP4113')).toHaveLength(2);
    expect(await articleFiles()).toHaveLength(4);
    expect(downloads(briefFile)).toBe(before.brief + 1);
    expect(downloads(articleFile)).toBe(before.article + 1);
    expect(server.chatCalls).toBe(0);
    // The interrupted submission was found by its metadata, not made again; nothing new was booked.
    expect(server.batches).toHaveLength(3);
    expect(server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/batches')).toHaveLength(3);
    const afterRerun = await state();
    expect(afterRerun.spend).toEqual(atKill.spend);
    expect(afterRerun.batches!.map((batch) => batch.status)).toEqual(['collected', 'collected', 'in_progress']);

    // The repairs' batch completes: its two answers are booked, the drafts written, and no record is left.
    const last = await draft();
    expect(last.counts).toMatchObject({ batchesCollected: 1, batchAnswers: 2, written: 0, quarantined: 2 });
    expect(await articleFiles()).toHaveLength(6);
    const final = await state();
    expect(final.batches).toBeUndefined();
    expect(final.spend!['2026-11']!.calls).toBe(14);
    expect(final.spend!['2026-11']!.costUsd).toBeCloseTo(14 * BATCH_LINE_USD, 6);
    expect(server.batches).toHaveLength(3);
    expect(server.chatCalls).toBe(0);
  });

  it('a request the batch answered with an error goes into the next batch, falling back as a synchronous call would', async () => {
    // A server without structured outputs: json_schema requests fail, json_object ones are answered.
    const respond = (body: any): FakeReply => (body.response_format?.type === 'json_schema' ? { status: 400, rejectJsonSchema: true } : validReply(body, usage));
    const { server, state, draft } = await batchNiche({ respond, batches: [{ completeOn: 1 }] });
    await draft();
    const collected = await draft();
    expect(collected.findings.find((finding) => finding.code === 'NP4107')?.message).toMatch(/0 answers and 6 failed requests/);
    expect(server.batches).toHaveLength(2);
    const retried = server.files.get(server.batches[1]!.input_file_id)!.content.trim().split('\n').map((line) => JSON.parse(line) as { body: any });
    expect(retried).toHaveLength(6);
    expect(retried.every((line) => line.body.response_format.type === 'json_object')).toBe(true);
    // Errors are not billed.
    expect((await state()).spend?.['2026-11']?.costUsd ?? 0).toBe(0);
    expect(server.chatCalls).toBe(0);
  });

  it('--retry asks the API now for one topic, even in batch mode', async () => {
    const { root, env, server, draft } = await batchNiche({ respond: (body) => validReply(body, usage), batches: [{ completeOn: 9 }] });
    const first = await draft();
    const topic = (await readFile(join(root, 'content/state.json'), 'utf8')).match(/"key": "([^"]+)"/)![1]!;
    expect(first.counts.batchRequests).toBe(6);
    const retried = await runCli(['draft', '--retry', slugify(topic), '--json'], { cwd: root, env });
    expect(retried.code, retried.stderr).toBe(0);
    expect(draftStage(retried.stdout).counts).toMatchObject({ written: 1, providerCalls: 2 });
    expect(server.chatCalls).toBe(2);
    // The other topics still wait for their batch: nothing new is submitted for them.
    expect(server.batches).toHaveLength(1);
  });

  it('weighs the month after collecting: held estimates become real spending, and a spent month still collects', async () => {
    const { root, state, draft, server } = await batchNiche({ respond: (body) => validReply(body, usage), batches: [{ completeOn: 1 }], monthlyBudgetUsd: 0.012 });
    expect((await draft()).counts.batchRequests).toBe(6);
    const held = (await state()).batches![0]!.estimatedCostUsd;
    // Held from the month until collected: what is left now would not pay for six article requests…
    expect(0.012 - held).toBeLessThan(6 * 0.0015);
    // …but once the briefs are collected only their real cost counts, and all six go out.
    const second = await draft();
    expect(second.counts).toMatchObject({ batchesCollected: 1, batchRequests: 6 });
    expect(second.counts.batchCostUsd).toBeCloseTo(6 * BATCH_LINE_USD, 6);
    expect(codes(second)).not.toContain('NP4003');

    // Other runs spent the month meanwhile: the articles already paid for are still collected and written; nothing new goes out.
    const file = join(root, 'content/state.json');
    const spent = await state();
    spent.spend!['2026-11']!.costUsd = 0.012;
    await writeFile(file, JSON.stringify(spent, null, 2));
    const third = await draft();
    expect(third.counts).toMatchObject({ batchesCollected: 1, batchAnswers: 6, written: 6 });
    expect(codes(third)).toContain('NP4101');
    expect(server.batches).toHaveLength(2);
    expect(server.chatCalls).toBe(0);
  });

  it('a recorded submission that no batch carries was never created: its topics go into a new batch', async () => {
    const { root, state, draft, server } = await batchNiche({ respond: (body) => validReply(body, usage), batches: [{ completeOn: 9 }] });
    await draft();
    // As a run killed after recording the submission but before the create call would leave it.
    const file = join(root, 'content/state.json');
    const recorded = await state();
    recorded.batches = [{ ...recorded.batches![0]!, submission: 'never-sent', status: 'submitting', id: undefined }];
    await writeFile(file, JSON.stringify(recorded, null, 2));
    const next = await draft();
    expect(next.findings.find((finding) => finding.code === 'NP4108')?.message).toMatch(/never-sent ended before it was created/);
    expect(next.counts.batchRequests).toBe(6);
    expect(server.batches).toHaveLength(2);
    expect((await state()).batches!.map((batch) => batch.id)).toEqual([server.batches[1]!.id]);
  });

  it('a dry run says what it would send and sends nothing', async () => {
    const { root, env, server, state } = await batchNiche({ respond: (body) => validReply(body, usage), batches: [{ completeOn: 1 }] });
    const before = await readFile(join(root, 'content/state.json'), 'utf8');
    const result = await runCli(['draft', '--dry-run', '--json'], { cwd: root, env });
    expect(result.code, result.stderr).toBe(0);
    expect(draftStage(result.stdout).counts).toMatchObject({ batched: 6, batchRequests: 6 });
    expect(server.files.size).toBe(0);
    expect(server.batches).toHaveLength(0);
    expect(await readFile(join(root, 'content/state.json'), 'utf8')).toBe(before);
    expect((await state()).batches).toBeUndefined();
  });
});

/** Runs `nichepress draft` in `root` and SIGKILLs it once `moment()` holds; resolves with the signal it died of. */
function draftKilledWhen(root: string, env: Record<string, string>, moment: () => boolean): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'draft', '--json'], { cwd: root, env: { ...process.env, ...env }, stdio: 'ignore' });
    const watch = setInterval(() => {
      if (moment()) child.kill('SIGKILL');
    }, 20);
    child.on('exit', (_code, signal) => {
      clearInterval(watch);
      resolve(signal);
    });
  });
}

/** Every file under `folder`, its subfolders included. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}
