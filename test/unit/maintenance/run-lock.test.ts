import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireRunLock, readRunLock, type LockIdentity } from '../../../pipeline/maintenance/run-lock.ts';
import { isProcessAlive } from '../../../pipeline/maintenance/process-alive.ts';

const isAlive = isProcessAlive;
const me = (command = 'run'): LockIdentity => ({ pid: process.pid, host: hostname(), command, now: new Date(), isAlive });
const lockFile = async () => join(await mkdtemp(join(tmpdir(), 'nichepress-lock-')), '.nichepress', 'run.lock');

/** The pid of a process that has exited: certainly not alive. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid!;
}

describe('run lock', () => {
  it('is held by one owner at a time and records pid, host and start time', async () => {
    const file = await lockFile();
    const first = await acquireRunLock(file, me('run'));
    expect(first.acquired).toBe(true);
    expect(await readRunLock(file)).toMatchObject({ pid: process.pid, host: hostname(), command: 'run' });
    const second = await acquireRunLock(file, me('ingest'));
    expect(second).toMatchObject({ acquired: false, owner: { pid: process.pid, command: 'run' } });
    if (first.acquired) await first.release();
    expect(existsSync(file)).toBe(false);
    const third = await acquireRunLock(file, me('ingest'));
    expect(third.acquired).toBe(true);
  });

  it('of many processes racing for it, exactly one wins', async () => {
    const file = await lockFile();
    const results = await Promise.all(Array.from({ length: 16 }, (_, index) => acquireRunLock(file, { ...me(`racer-${index}`) })));
    expect(results.filter((result) => result.acquired).length).toBe(1);
  });

  it('takes over a stale lock from a dead process on this host', async () => {
    const file = await lockFile();
    await acquireRunLock(file, { ...me(), pid: await deadPid() });
    const lock = await acquireRunLock(file, me('draft'));
    expect(lock.acquired).toBe(true);
    expect(await readRunLock(file)).toMatchObject({ pid: process.pid, command: 'draft' });
  });

  it('takes over a lock whose pid was reused by another process (start time differs)', async () => {
    const file = await lockFile();
    const held = await acquireRunLock(file, me());
    expect(held.acquired).toBe(true);
    const owner = JSON.parse(await readFile(file, 'utf8'));
    if (!owner.procStart) return; // not Linux: no /proc to tell
    await writeFile(file, JSON.stringify({ ...owner, procStart: '1' }));
    expect((await acquireRunLock(file, me('build'))).acquired).toBe(true);
  });

  it('keeps a lock of a live process, a lock from another host, and a lock being written', async () => {
    const file = await lockFile();
    await acquireRunLock(file, { ...me(), host: 'other-host', pid: await deadPid() });
    expect(await acquireRunLock(file, me())).toMatchObject({ acquired: false, owner: { host: 'other-host' } });
    await writeFile(file, ''); // created with O_EXCL, content not written yet
    expect(await acquireRunLock(file, me())).toMatchObject({ acquired: false, owner: undefined });
  });

  it('releases only its own lock', async () => {
    const file = await lockFile();
    const mine = await acquireRunLock(file, { ...me(), pid: await deadPid() });
    const taker = await acquireRunLock(file, me('social')); // takes the stale one over
    expect(taker.acquired).toBe(true);
    if (mine.acquired) await mine.release();
    expect(await readRunLock(file)).toMatchObject({ command: 'social' });
  });
});
