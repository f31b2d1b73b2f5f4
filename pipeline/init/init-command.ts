import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { Readable } from 'node:stream';
import { InitAnswerInvalid } from '../errors/catalogue.ts';
import { NichepressError } from '../errors/nichepress-error.ts';
import { askAnswers } from './ask-answers.ts';
import { initNiche, type InitResult } from './init-niche.ts';
import { defaultAnswers, type NicheAnswers } from './niche-answers.ts';

export interface InitFlags {
  title?: string | undefined;
  feed?: string[] | undefined;
  language?: string | undefined;
  url?: string | undefined;
  yes?: boolean | undefined;
}

/**
 * `nichepress init <dir>`: flags first; at a terminal without --yes, questions for the rest
 * (flags become the defaults). Returns what was created and the next commands to run.
 */
export async function runInit(options: {
  cwd: string;
  dir: string | undefined;
  flags: InitFlags;
  stdin?: Readable | undefined;
  stdinIsTTY?: boolean | undefined;
  prompt: (text: string) => void;
}): Promise<{ result: InitResult; next: string }> {
  if (!options.dir) throw NichepressError.from(InitAnswerInvalid, ['Name the folder for the new niche: nichepress init <dir>.']);
  // The folder's own name, also for `init .` (the current folder).
  const defaults = defaultAnswers(resolve(options.cwd, options.dir));
  const given: NicheAnswers = {
    title: options.flags.title ?? defaults.title,
    feeds: options.flags.feed ?? [],
    language: options.flags.language ?? defaults.language,
    url: options.flags.url ?? defaults.url,
  };
  const interactive = !options.flags.yes && options.stdinIsTTY === true && options.stdin !== undefined;
  const answers = interactive ? await askAnswers(options.stdin!, promptStream(options.prompt), given) : given;
  const result = await initNiche({ cwd: options.cwd, dir: options.dir, answers });
  return { result, next: nextSteps(result) };
}

export function nextSteps(result: InitResult): string {
  const config = quote(result.configFile);
  const dir = result.dir;
  return [
    `Created a new niche in ${dir}/:`,
    ...result.created.map((path) => `  ${path}`),
    '',
    'Check first: site.url, site.description and the disclosure in the config; the feeds load:',
    `  npx nichepress ingest --config ${config}`,
    'Then see what it would write about, and run it (offline without OPENAI_API_KEY):',
    `  npx nichepress trends --config ${config}`,
    `  npx nichepress run --config ${config}`,
    `The site is built into ${dir}/dist/; preview it with:`,
    `  NICHEPRESS_CONFIG=${config} npm run preview`,
    '',
  ].join('\n');
}

function quote(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/** The questions go where the CLI's messages go (stderr), so stdout stays clean for scripts. */
function promptStream(write: (text: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      write(String(chunk));
      done();
    },
  });
}
