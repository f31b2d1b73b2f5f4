import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../pipeline/config/niche-config.ts';
import { validatePaths } from '../../pipeline/validate/validate.ts';
import { stateSchema } from '../../pipeline/state.ts';
import { BIN, copySampleNiche, runCli } from '../helpers/cli.ts';
import { validReply, viewOf } from '../helpers/fake-model.ts';
import { startFakeOpenAIServer } from '../helpers/fake-openai-server.ts';
import { mulberry32 } from '../helpers/prng.ts';

/**
 * Nothing lost on a crash: `nichepress run --offline` on a copy of the sample niche is killed with
 * SIGKILL (the whole process group, Astro included — like an OOM kill or a power cut) at
 * pseudo-random moments spread over the stages. After every kill the content must validate, the
 * state file must parse, and no temp file may sit in content/; a clean rerun must then give
 * exactly the content of an uninterrupted run. Delays come from a seeded generator, so a failure
 * is reproducible: the trial, its stage and its delay are in the assertion message.
 */

const SEED = 0x8c4a_11e7;
const TRIALS = 24;

const prng = mulberry32;

/**
 * Where a trial kills: `after` a line on the run's stderr (or the start), plus a random delay of
 * up to `spreadMs`. Markers make the spread hold on a slow or busy machine too.
 */
const TARGETS = [
  { stage: 'start/ingest/trends', after: undefined, spreadMs: 900 },
  { stage: 'draft', after: /draft 1\/\d+/, spreadMs: 120 },
  { stage: 'draft/validate/newsletter', after: /draft (\d+)\/\1 /, spreadMs: 150 },
  { stage: 'build', after: /\[content\]|\[build\]/, spreadMs: 2500 },
  { stage: 'email/social', after: /\[build\] Complete!/, spreadMs: 250 },
] as const;

/** content/ as relative path → bytes (as text), temp files included, so they show in a diff. */
async function snapshot(root: string, folder = 'content'): Promise<Map<string, string>> {
  const base = join(root, folder);
  const entries = await readdir(base, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  files.sort();
  return new Map(await Promise.all(files.map(async (file) => [relative(root, file), await readFile(file, 'utf8')] as const)));
}

const TEMP_FILE = /\.tmp-|\.stale-|~$/;

function spawnRun(root: string, env: Record<string, string> = {}): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, 'run', '--offline'], {
    cwd: root,
    // Its own process group, so a kill takes the Astro child down with it.
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ...env },
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `pattern` shows on stderr (true), or the process ended / timed out (false). */
async function waitFor(stderr: () => string, pattern: RegExp | undefined, exited: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  if (!pattern) return true;
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(stderr())) {
    if (done || Date.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}

async function checkAfterKill(root: string, label: string): Promise<void> {
  const files = await snapshot(root);
  const temp = [...files.keys()].filter((file) => TEMP_FILE.test(file));
  expect(temp, `${label}: temp files left in content/`).toEqual([]);
  const stateFile = join(root, 'content/state.json');
  if (existsSync(stateFile)) {
    const parsed = stateSchema.safeParse(JSON.parse(await readFile(stateFile, 'utf8')));
    expect(parsed.success, `${label}: content/state.json has the wrong shape`).toBe(true);
  }
  if (existsSync(join(root, 'content/articles'))) {
    const config = await loadConfig({ root });
    const result = await validatePaths(config, []);
    const errors = result.findings.filter((finding) => finding.severity === 'error');
    expect(errors, `${label}: validate found errors`).toEqual([]);
  }
}

describe('chaos: SIGKILL at random moments loses nothing', () => {
  let reference: Map<string, string>;

  beforeAll(async () => {
    const root = await copySampleNiche();
    const result = await runCli(['run', '--offline'], { cwd: root, timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    reference = await snapshot(root);
  }, 130_000);

  it(`survives ${TRIALS} kills spread over the stages; a rerun gives the uninterrupted content`, async () => {
    const random = prng(SEED);
    const stagesHit = new Map<string, number>();
    let kills = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const target = TARGETS[trial % TARGETS.length]!;
      const delay = Math.round(random() * target.spreadMs);
      const label = `trial ${trial} (seed ${SEED}, ${target.stage} + ${delay} ms)`;
      const root = await copySampleNiche();
      const run = spawnRun(root);
      const reached = await waitFor(run.stderr, target.after, run.exited, 60_000);
      if (reached) await sleep(delay);
      killGroup(run.child);
      await run.exited;
      if (reached) {
        kills++;
        stagesHit.set(target.stage, (stagesHit.get(target.stage) ?? 0) + 1);
      }

      await checkAfterKill(root, label);
      // A clean rerun, without the build (the content is what must match; the build is tested
      // by the e2e suite), completes and gives exactly what an uninterrupted run gives.
      const rerun = await runCli(['run', '--offline', '--no-build'], { cwd: root, timeoutMs: 60_000 });
      expect(rerun.code, `${label}: rerun failed\n${rerun.stderr}`).toBe(0);
      const after = await snapshot(root);
      expect([...after.keys()], `${label}: files differ`).toEqual([...reference.keys()]);
      for (const [file, text] of reference) expect(after.get(file), `${label}: ${file} differs`).toBe(text);
    }
    // At least 20 real kills, in at least four different stages.
    expect(kills).toBeGreaterThanOrEqual(20);
    expect(stagesHit.size, JSON.stringify([...stagesHit])).toBeGreaterThanOrEqual(4);
  }, 240_000);

  it('a rerun after a kill in the middle of paid drafting pays only for what was not answered', async () => {
    const root = await copySampleNiche();
    // The model answers every research brief, and the article step of the first two topics only;
    // the other article calls hang, so the kill lands with 2 articles written, 6 briefs paid for.
    const answeredArticles = new Set<string>();
    let hanging = 0;
    let answerAll = false;
    const server = await startFakeOpenAIServer({
      latencyMs: 20,
      respond: (body) => {
        const view = viewOf(body);
        if (view.step === 'article' && view.topic !== '' && !answerAll) {
          if (answeredArticles.size >= 2 && !answeredArticles.has(view.topic)) {
            hanging++;
            return { hang: true };
          }
          answeredArticles.add(view.topic);
        }
        return validReply(body);
      },
    });
    try {
      const env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-chaos' };
      const child = spawn(process.execPath, [BIN, 'run', '--no-build'], {
        cwd: root,
        detached: true,
        stdio: 'ignore',
        env: { ...process.env, NO_COLOR: '1', ...env },
      });
      const exited = new Promise((resolve) => child.on('close', resolve));
      const articlesOnDisk = async () => (await readdir(join(root, 'content/articles')).catch(() => [])).filter((name) => name.endsWith('.md')).length;
      const deadline = Date.now() + 30_000;
      while ((hanging < 4 || (await articlesOnDisk()) < 2) && Date.now() < deadline) await sleep(10);
      killGroup(child);
      await exited;
      expect(hanging).toBe(4);
      await checkAfterKill(root, 'kill while drafting through the OpenAI provider');
      const key = (view: { step: string; topic: string }) => `${view.step}:${view.topic}`;
      const sentBeforeKill = server.requests.length;
      const before = server.requests.map((request) => viewOf(request.body));
      expect(before.filter((view) => view.step === 'brief').length).toBe(6);

      const answeredTopics = new Set(answeredArticles);
      answerAll = true;
      const rerun = await runCli(['run', '--no-build'], { cwd: root, env, timeoutMs: 60_000 });
      expect(rerun.code, rerun.stderr).toBe(0);
      const again = server.requests.slice(sentBeforeKill).map((request) => viewOf(request.body)).filter((view) => view.topic !== '');
      // Briefs were answered before the kill: all from the cache. The two written topics: nothing.
      expect(again.filter((view) => view.step === 'brief').map(key)).toEqual([]);
      const hung = before.filter((view) => view.step === 'article').map((view) => view.topic).filter((topic) => !answeredTopics.has(topic));
      expect(again.map(key).sort()).toEqual(hung.map((topic) => `article:${topic}`).sort());
      // One article per topic, six in all.
      expect(await articlesOnDisk()).toBe(6);
    } finally {
      await server.close();
    }
  }, 120_000);
});

