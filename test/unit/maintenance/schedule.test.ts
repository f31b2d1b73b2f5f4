import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, copySampleNiche, runCli } from '../../helpers/cli.ts';

async function withSchedule(root: string, schedule: string): Promise<void> {
  const file = join(root, 'content/niche.yaml');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace(/^schedule:[\s\S]*$/m, schedule));
}

describe('nichepress schedule', () => {
  it('--once runs one job now and exits with its code', async () => {
    const root = await copySampleNiche();
    const result = await runCli(['schedule', '--once', 'ingest'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/nichepress ingest/);
    expect(JSON.parse(await readFile(join(root, 'content/state.json'), 'utf8')).items).not.toEqual({});
  });

  it('rejects an unknown job and an invalid cron expression with exit 2', async () => {
    const root = await copySampleNiche();
    expect((await runCli(['schedule', '--once', 'everything'], { cwd: root })).code).toBe(2);
    await withSchedule(root, 'schedule:\n  ingest: "99 * * * *"\n');
    const result = await runCli(['schedule'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/content\/niche\.yaml:\d+:3 schedule\.ingest: expected a valid cron expression .* \(NP1003\)/);
  });

  it('fires jobs on their cron schedule and stops cleanly on SIGTERM', async () => {
    const root = await copySampleNiche();
    // Every second for ingest; the others only at midnight on 1 January.
    await withSchedule(root, 'schedule:\n  ingest: "* * * * * *"\n  publish: "0 0 1 1 *"\n  newsletter: "0 0 1 1 *"\n');
    const child = spawn(process.execPath, [BIN, 'schedule'], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => {
      const deadline = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const poll = setInterval(() => {
        if ((stderr.match(/schedule: ingest started/g) ?? []).length >= 2) {
          clearInterval(poll);
          child.kill('SIGTERM');
        }
      }, 100);
      child.on('close', (exit) => {
        clearTimeout(deadline);
        clearInterval(poll);
        resolve(exit);
      });
    });
    expect(stderr).toContain('schedule: ingest at "* * * * * *" (UTC)');
    expect((stderr.match(/nichepress ingest/g) ?? []).length).toBeGreaterThanOrEqual(1);
    expect(stderr).toContain('SIGTERM received');
    expect(code).toBe(0);
  }, 30_000);

  it('rejects an unknown time zone with exit 2', async () => {
    const root = await copySampleNiche();
    await withSchedule(root, 'schedule:\n  timezone: Mars/Olympus_Mons\n');
    const result = await runCli(['schedule'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/schedule\.timezone: expected an IANA time zone/);
  });

  it('skips and logs a job due while its previous run still goes; SIGTERM ends the run in hand cleanly', async () => {
    const root = await copySampleNiche();
    // publish (the whole run, several seconds) due every second: most firings find it running.
    await withSchedule(root, 'schedule:\n  ingest: "0 0 1 1 *"\n  publish: "* * * * * *"\n  newsletter: "0 0 1 1 *"\n  checkLinks: "0 0 1 1 *"\n');
    const child = spawn(process.execPath, [BIN, 'schedule', '--offline'], { cwd: root, env: { ...process.env, NO_COLOR: '1', OPENAI_API_KEY: '', OPENAI_BASE_URL: '' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => {
      const deadline = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const poll = setInterval(() => {
        if (/publish is due but its previous run is still going; skipped/.test(stderr)) {
          clearInterval(poll);
          child.kill('SIGTERM');
        }
      }, 50);
      child.on('close', (exit) => {
        clearTimeout(deadline);
        clearInterval(poll);
        resolve(exit);
      });
    });
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('schedule: SIGTERM received, finishing the current job');
    expect((stderr.match(/schedule: publish started/g) ?? []).length).toBe(1);
    expect(existsSync(join(root, '.nichepress/run.lock'))).toBe(false);
    // What the interrupted run wrote validates, and the next run completes it.
    expect((await runCli(['validate'], { cwd: root })).code).toBe(0);
    expect((await runCli(['run', '--offline', '--no-build'], { cwd: root })).code).toBe(0);
  }, 90_000);
});
