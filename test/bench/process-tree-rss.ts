/**
 * The memory a process and all its descendants hold at once: the sum of their resident set
 * sizes, sampled from /proc every `intervalMs`. GNU time's %M only reports the largest single
 * process, which misses helpers such as the site build's search indexer (Pagefind's binary is a
 * separate process, and at 10,000 articles it holds more than Astro itself). Linux only; elsewhere
 * the peak is undefined.
 */
import { readdirSync, readFileSync } from 'node:fs';

function treeRssKb(root: number): number {
  const children = new Map<number, number[]>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid; the command name (field 2) may hold spaces.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(parent) ?? [];
      list.push(Number(name));
      children.set(parent, list);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      total += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      // Gone already.
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

export function sampleTreeRss(root: number, intervalMs = 250): { stop: () => number | undefined } {
  let peak = 0;
  let sampled = false;
  const timer = setInterval(() => {
    const kb = treeRssKb(root);
    if (kb > 0) sampled = true;
    peak = Math.max(peak, kb);
  }, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return sampled ? peak : undefined;
    },
  };
}
