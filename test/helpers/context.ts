import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfig, type ResolvedConfig } from '../../pipeline/config/niche-config.ts';
import type { Context } from '../../pipeline/context.ts';
import { createHttpClient } from '../../pipeline/lib/http-client.ts';
import { PACKAGE_ROOT } from './cli.ts';

/** The sample config, with its paths resolved against `root` (the package root by default). */
export async function sampleConfig(root = PACKAGE_ROOT): Promise<ResolvedConfig> {
  const text = await readFile(join(PACKAGE_ROOT, 'content/niche.yaml'), 'utf8');
  return parseConfig(text, { root, configFile: join(root, 'content/niche.yaml') });
}

/** The CLI's own HTTP client, one per test file, for contexts that are not handed another. */
const httpClient = createHttpClient();

/** A context as the CLI would build it, with a real HTTP client and a log that collects lines. */
export function contextFor(config: ResolvedConfig, overrides: Partial<Context> = {}): Context & { lines: string[] } {
  const lines: string[] = [];
  return {
    config,
    now: config.clock ?? new Date('2026-11-01T09:00:00Z'),
    offline: false,
    dryRun: false,
    noCache: false,
    log: (line) => lines.push(line),
    http: httpClient,
    env: {},
    lines,
    ...overrides,
  };
}
