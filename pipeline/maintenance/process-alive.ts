/**
 * Whether a process with this pid exists on this machine: signal 0 checks without sending
 * anything. EPERM means it exists but belongs to someone else — still alive. Used to tell a
 * stale lock (its owner died) from a held one.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
