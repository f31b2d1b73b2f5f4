import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthBudget, monthOf, recordSpend } from '../../../pipeline/draft/monthly-budget.ts';
import { emptyState } from '../../../pipeline/state.ts';
import { copySampleNiche, runCli } from '../../helpers/cli.ts';
import { sampleConfig } from '../../helpers/context.ts';
import { validReply } from '../../helpers/fake-model.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../helpers/fake-openai-server.ts';

interface Report {
  exitCode: number;
  stages: { stage: string; counts: Record<string, number>; findings: { severity: string; code?: string; message: string }[] }[];
}
const draftStage = (stdout: string) => (JSON.parse(stdout) as Report).stages.find((stage) => stage.stage === 'draft')!;

describe('monthly budget (pure)', () => {
  it('lowers the run cap to what the month has left, and adds spending to the month of the clock', async () => {
    const config = await sampleConfig();
    const capped = { ...config, draft: { ...config.draft, maxCostUsd: 0.5, monthlyBudgetUsd: 2 } };
    const state = emptyState();
    const now = new Date('2026-11-30T23:59:00Z');
    expect(monthOf(now)).toBe('2026-11');
    expect(monthBudget(capped, state, now)).toMatchObject({ month: '2026-11', spentUsd: 0, leftUsd: 2 });
    expect(monthBudget(capped, state, now).config.draft.maxCostUsd).toBe(0.5);
    recordSpend(state, now, { costUsd: 1.75, calls: 10 });
    recordSpend(state, now, { costUsd: 0.05, calls: 1 });
    expect(state.spend).toEqual({ '2026-11': { costUsd: 1.8, calls: 11 } });
    expect(monthBudget(capped, state, now).config.draft.maxCostUsd).toBeCloseTo(0.2, 10);
    // A new month starts from nothing; a year of months is kept.
    expect(monthBudget(capped, state, new Date('2026-12-01T00:00:00Z'))).toMatchObject({ spentUsd: 0, leftUsd: 2 });
    for (let month = 1; month <= 14; month++) recordSpend(state, new Date(Date.UTC(2027, month - 1, 5)), { costUsd: 0.01, calls: 1 });
    expect(Object.keys(state.spend!)).toHaveLength(12);
    expect(Object.keys(state.spend!)[0]).toBe('2027-03');
    // Without a monthly budget nothing is capped.
    expect(monthBudget(config, state, now).leftUsd).toBeUndefined();
  });
});

describe('monthly budget across runs, through the openai client', { timeout: 120_000 }, () => {
  let server: FakeOpenAIServer;
  let root: string;
  const env: Record<string, string> = { OPENAI_API_KEY: 'sk-test-budget', OPENAI_MODEL: 'gpt-4o-mini' };

  beforeAll(async () => {
    server = await startFakeOpenAIServer({ respond: (body) => validReply(body, { prompt_tokens: 1000, completion_tokens: 300 }) });
    env.OPENAI_BASE_URL = server.url;
    root = await copySampleNiche();
    const file = join(root, 'content/niche.yaml');
    // Room for a few calls' worst case (prompt + maxOutputTokens) within the month, not for six topics.
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^draft:\n/m, 'draft:\n  monthlyBudgetUsd: 0.004\n').replace(/^  maxOutputTokens: 4096/m, '  maxOutputTokens: 1000'));
    expect((await runCli(['ingest'], { cwd: root, env })).code).toBe(0);
  }, 60_000);
  afterAll(() => server?.close());

  it('stops for the month once the budget is spent, says so, exits 0, and drafts again next month', async () => {
    const first = await runCli(['draft', '--json'], { cwd: root, env });
    expect(first.code, first.stderr).toBe(0);
    const drafted = draftStage(first.stdout);
    expect(drafted.counts.written).toBeGreaterThanOrEqual(1);
    expect(drafted.counts.written).toBeLessThan(6);
    expect(drafted.findings.map((finding) => finding.code)).toContain('NP4102');
    const state = JSON.parse(await readFile(join(root, 'content/state.json'), 'utf8')) as { spend: Record<string, { costUsd: number; calls: number }> };
    const spent = state.spend['2026-11']!;
    expect(spent.calls).toBe(server.requests.length);
    expect(spent.costUsd).toBeGreaterThan(0);
    expect(spent.costUsd).toBeLessThanOrEqual(0.004);

    // The month is spent (as a fresh CI checkout with the committed state would see it).
    state.spend['2026-11'] = { costUsd: 0.004, calls: spent.calls };
    await writeFile(join(root, 'content/state.json'), JSON.stringify(state, null, 2));
    const calls = server.requests.length;
    const second = await runCli(['draft', '--json'], { cwd: root, env });
    expect(second.code, second.stderr).toBe(0);
    expect(draftStage(second.stdout).findings.map((finding) => `${finding.severity} ${finding.code}`)).toEqual(['warning NP4101']);
    expect(server.requests.length).toBe(calls);
    const drafts = await runCli(['drafts', '--json'], { cwd: root, env });
    expect((JSON.parse(drafts.stdout) as Report).stages[0]!.counts).toMatchObject({ monthSpentUsd: 0.004, monthLeftUsd: 0 });

    // December: the clock moves on and the budget is fresh.
    const config = join(root, 'content/niche.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace(/^clock: .*$/m, 'clock: 2026-12-01T09:00:00Z'));
    const third = await runCli(['draft', '--json'], { cwd: root, env });
    expect(third.code, third.stderr).toBe(0);
    expect(server.requests.length).toBeGreaterThan(calls);
  });

  it('refuses a malformed endpoint variable once, naming it, with exit 2 and no call', async () => {
    const calls = server.requests.length;
    const result = await runCli(['draft'], { cwd: root, env: { ...env, OPENAI_BASE_URL: 'not-a-url' } });
    expect(result.code).toBe(2);
    expect(result.stderr.match(/NP1020/g)).toHaveLength(1);
    expect(result.stderr).toMatch(/OPENAI_BASE_URL is not an http\(s\) URL/);
    const key = await runCli(['run', '--no-build'], { cwd: root, env: { ...env, OPENAI_API_KEY: 'sk-secret-with\nnewline' } });
    expect(key.code).toBe(2);
    expect(key.stderr).toMatch(/OPENAI_API_KEY contains white space/);
    expect(key.stderr).not.toContain('sk-secret');
    expect(server.requests.length).toBe(calls);
  });
});
