import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * One writing nichepress process per project at a time: a lock file (`.nichepress/run.lock`)
 * holding who owns it — pid, host, boot id, start time, command.
 *
 * - Created with O_CREAT|O_EXCL (`open(file, 'wx')`): of two processes racing, exactly one wins.
 * - A lock whose owner is gone is stale and taken over: same host and the pid is not alive, or
 *   the pid is alive but is another process (its start time in /proc differs — pid reuse after a
 *   crash), or the machine rebooted since (the boot id differs). A lock from another host is
 *   never judged: it is reported, and the hint says how to remove it by hand.
 * - Taking over renames the stale file away first and checks that what it moved is the stale
 *   file it judged, so two processes taking over at once cannot both win.
 * - Released by the owner on exit (and on SIGINT/SIGTERM, which the CLI turns into a clean stop).
 */

export interface LockOwner {
  pid: number;
  host: string;
  /** Linux boot id: a lock written before a reboot is stale whatever its pid. */
  bootId?: string;
  /** The owner's start time in clock ticks since boot (/proc/<pid>/stat field 22), on Linux. */
  procStart?: string;
  startedAt: string;
  command: string;
}

export interface LockIdentity {
  pid: number;
  host: string;
  command: string;
  now: Date;
  /** Whether a process with this pid exists on this host (the CLI passes isProcessAlive from lib/process-alive.ts). */
  isAlive: (pid: number) => boolean;
}

export type LockResult =
  /** `releaseSync` is for a forced exit (a second Ctrl-C), where nothing async runs any more. */
  | { acquired: true; release: () => Promise<void>; releaseSync: () => void }
  | { acquired: false; owner: LockOwner | undefined; file: string };

/** A lock file whose content cannot be read is being written right now, unless it is older. */
const UNREADABLE_GRACE_MS = 10_000;

export async function acquireRunLock(file: string, identity: LockIdentity): Promise<LockResult> {
  await mkdir(dirname(file), { recursive: true });
  const [bootId, procStart] = await Promise.all([readBootId(), readProcStart(identity.pid)]);
  const owner: LockOwner = { pid: identity.pid, host: identity.host, startedAt: identity.now.toISOString(), command: identity.command };
  if (bootId) owner.bootId = bootId;
  if (procStart) owner.procStart = procStart;
  const text = `${JSON.stringify(owner, null, 2)}\n`;

  for (let attempt = 0; attempt < 5; attempt++) {
    if (await createExclusive(file, text)) {
      let released = false;
      return {
        acquired: true,
        release: async () => {
          if (released) return;
          released = true;
          // Only our own lock: never remove one that somebody took over from us.
          const current = await readFile(file, 'utf8').catch(() => undefined);
          if (current === text) await unlink(file).catch(() => {});
        },
        releaseSync: () => {
          if (released) return;
          released = true;
          try {
            if (readFileSync(file, 'utf8') === text) unlinkSync(file);
          } catch {
            // Already gone.
          }
        },
      };
    }
    const seen = await readFile(file, 'utf8').catch(() => undefined);
    if (seen === undefined) continue; // released in between: try again
    const holder = parseOwner(seen);
    if (!(await isStale(file, holder, identity, bootId))) return { acquired: false, owner: holder, file };
    await takeOver(file, seen);
  }
  return { acquired: false, owner: parseOwner((await readFile(file, 'utf8').catch(() => '')) ?? ''), file };
}

/** Reads the lock's owner (for messages), or undefined when there is no readable lock. */
export async function readRunLock(file: string): Promise<LockOwner | undefined> {
  return parseOwner((await readFile(file, 'utf8').catch(() => '')) ?? '');
}

async function createExclusive(file: string, text: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

/** Moves the stale lock aside; puts it back if what moved was not the file judged stale. */
async function takeOver(file: string, judged: string): Promise<void> {
  const aside = join(dirname(file), `.run.lock.stale-${randomBytes(4).toString('hex')}`);
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readFile(aside, 'utf8').catch(() => undefined);
  if (moved !== judged) {
    // Another process took over between our read and our rename: its fresh lock goes back.
    await link(aside, file).catch(() => {});
  }
  await rm(aside, { force: true });
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const data = JSON.parse(text) as Partial<LockOwner>;
    if (typeof data.pid !== 'number' || typeof data.host !== 'string' || typeof data.startedAt !== 'string') return undefined;
    return data as LockOwner;
  } catch {
    return undefined;
  }
}

async function isStale(file: string, holder: LockOwner | undefined, identity: LockIdentity, bootId: string | undefined): Promise<boolean> {
  if (!holder) {
    const info = await stat(file).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > UNREADABLE_GRACE_MS;
  }
  if (holder.host !== identity.host) return false;
  if (bootId && holder.bootId && holder.bootId !== bootId) return true;
  if (!identity.isAlive(holder.pid)) return true;
  if (holder.procStart) {
    const start = await readProcStart(holder.pid);
    if (start && start !== holder.procStart) return true;
  }
  return false;
}

async function readBootId(): Promise<string | undefined> {
  const text = await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => undefined);
  return text?.trim() || undefined;
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised command name, which may hold spaces). */
async function readProcStart(pid: number): Promise<string | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}
