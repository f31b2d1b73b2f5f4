import { spawn } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(PACKAGE_ROOT, 'pipeline', 'bin.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `nichepress` entry point in a child process (the same Node that runs the tests). */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ...options.env };
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A fresh project root holding a copy of the bundled sample niche (content/ only). */
export async function copySampleNiche(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'nichepress-'));
  await cp(join(PACKAGE_ROOT, 'content'), join(root, 'content'), {
    recursive: true,
    // The sample's generated output is not part of the fixture: each test starts from feeds only.
    filter: (source) => !/[\\/]content[\\/](articles|newsletter|social)[\\/].+|state\.json$/.test(source),
  });
  return root;
}
