/**
 * The measured side of the ingest benchmark, run in its own process under GNU time so its peak
 * memory is its own (the loopback feed server lives in the parent).
 *
 *   ingest-child.ts ingest <urls.json> <state.json>   nichepress ingest of those feeds, state read and written
 *   ingest-child.ts parse  <folder>                   rss-parser alone over the same documents on disk
 *
 * Prints one JSON line: { ms, callCpuMs, items } — the measured call's wall time and the CPU time the
 * process used meanwhile (every thread: garbage collection and compilation included).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Parser from 'rss-parser';
import type { Context } from '../../pipeline/context.ts';
import { parseConfig } from '../../pipeline/config/niche-config.ts';
import { ingest } from '../../pipeline/ingest/ingest.ts';
import { createHttpClient } from '../../pipeline/lib/http-client.ts';
import { emptyState, loadState, saveState } from '../../pipeline/state.ts';

const [mode, input, stateFile] = process.argv.slice(2);

if (mode === 'parse') {
  const names = (await readdir(input!)).sort();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const parser = new Parser();
  let items = 0;
  for (const name of names) items += (await parser.parseString(await readFile(join(input!, name), 'utf8'))).items.length;
  console.log(JSON.stringify({ ms: Math.round(performance.now() - started), callCpuMs: cpuMsSince(cpu), items }));
} else if (mode === 'ingest') {
  const urls = JSON.parse(await readFile(input!, 'utf8')) as string[];
  const packageRoot = new URL('../../', import.meta.url).pathname;
  const config = parseConfig(await readFile(join(packageRoot, 'content/niche.yaml'), 'utf8'), {
    root: packageRoot,
    configFile: join(packageRoot, 'content/niche.yaml'),
  });
  const state = existsSync(stateFile!) ? await loadState(stateFile!) : emptyState();
  const context: Context = {
    config,
    now: new Date('2026-11-01T09:00:00Z'),
    offline: false,
    dryRun: false,
    noCache: false,
    log: () => {},
    // Making the client loads it (undici) here, before the timer, as rss-parser is imported before
    // the bare parse's: loading code is in the CPU column of both sides and in the wall time of neither.
    http: createHttpClient(),
    env: {},
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await ingest(context, state, urls.map((url, index) => ({ name: `feed-${index}`, url })));
  const ms = Math.round(performance.now() - started);
  const callCpuMs = cpuMsSince(cpu);
  // Persisting the history (fsync included) is timed on its own: it is not parsing work.
  await saveState(stateFile!, state);
  const saveMs = Math.round(performance.now() - started) - ms;
  await context.http.close();
  console.log(JSON.stringify({ ms, callCpuMs, saveMs, items: result.items.length, notModified: result.counts.notModified, failed: result.counts.feedsFailed }));
} else {
  console.error('usage: ingest-child.ts ingest <urls.json> <state.json> | parse <folder>');
  process.exit(2);
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return Math.round((user + system) / 1000);
}
