import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import { displayPath, parseConfig } from '../config/niche-config.ts';
import { PRESETS } from '../config/presets/index.ts';
import { InitAnswerInvalid, NicheExists } from '../errors/catalogue.ts';
import { NichepressError } from '../errors/nichepress-error.ts';
import type { NicheAnswers } from './niche-answers.ts';

const TEMPLATE = new URL('./niche.yaml.template', import.meta.url);
/** The folders a niche writes into; made empty, so nothing of another niche is published. */
export const NICHE_FOLDERS = ['articles', 'newsletter', 'social'] as const;

export interface InitResult {
  /** The niche's folder and config file, as given relative to the working directory. */
  dir: string;
  configFile: string;
  created: string[];
}

/**
 * Writes a new niche into `dir`: a commented niche.yaml (from niche.yaml.template) whose paths
 * are relative to its own folder, and empty articles/, newsletter/ and social/ folders — no
 * sample content. Refuses to touch a folder that already holds a niche.yaml. The config is
 * checked with the same schema as every run before anything is written.
 */
export async function initNiche(options: { cwd: string; dir: string; answers: NicheAnswers }): Promise<InitResult> {
  const target = resolve(options.cwd, options.dir);
  const configFile = join(target, 'niche.yaml');
  const shownConfig = displayPath(options.cwd, configFile);
  if (await exists(configFile)) throw NichepressError.from(NicheExists, [shownConfig]);

  const answers = await checkedAnswers(options.answers, options.cwd, target);
  const text = await renderNicheConfig(answers);
  // Same schema, same messages as a run: a bad --url is reported now, not at the first run.
  parseConfig(text, { root: options.cwd, configFile });

  const created: string[] = [];
  for (const folder of NICHE_FOLDERS) {
    await mkdir(join(target, folder), { recursive: true });
    created.push(`${displayPath(options.cwd, join(target, folder))}/`);
  }
  await writeNew(configFile, text, shownConfig);
  created.unshift(shownConfig);
  // Outside a repository that already ignores them, the built site and caches stay out of git.
  if (await writeNew(join(target, '.gitignore'), 'dist/\n.nichepress/\n', '').then(() => true, () => false)) {
    created.push(displayPath(options.cwd, join(target, '.gitignore')));
  }
  return { dir: displayPath(options.cwd, target), configFile: shownConfig, created };
}

/** niche.yaml's text: the template with the answers filled in as YAML scalars. */
export async function renderNicheConfig(answers: NicheAnswers & { feedEntries: { name: string; url: string }[] }): Promise<string> {
  const template = await readFile(TEMPLATE, 'utf8');
  const scalar = (value: string) => stringify(value).trimEnd();
  const presets = Object.values(PRESETS)
    .map((preset) => `# presets: [${preset.name}]   # ${preset.summary}`)
    .join('\n');
  const values: Record<string, string> = {
    title: answers.title.replace(/\s+/g, ' '),
    titleValue: scalar(answers.title),
    description: scalar(`${answers.title}: sourced research notes on what is new in the field.`),
    url: scalar(answers.url),
    language: scalar(answers.language),
    author: scalar(`${answers.title} editors`),
    presets,
    feeds: answers.feedEntries.map((feed) => `  - name: ${scalar(feed.name)}\n    url: ${scalar(feed.url)}`).join('\n'),
    ignore: '[]',
  };
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}

async function checkedAnswers(answers: NicheAnswers, cwd: string, target: string): Promise<NicheAnswers & { feedEntries: { name: string; url: string }[] }> {
  const invalid = (reason: string) => NichepressError.from(InitAnswerInvalid, [reason]);
  if (!answers.title.trim()) throw invalid('The site needs a title (--title).');
  if (answers.feeds.length === 0) throw invalid('The niche needs at least one feed to watch (--feed <url-or-file>, repeatable).');
  if (!/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(answers.language)) throw invalid(`"${answers.language}" is not a language code like en, de or pt-BR (--language).`);
  const names = new Map<string, number>();
  const feedEntries: { name: string; url: string }[] = [];
  for (const feed of answers.feeds) {
    let url = feed;
    let name: string;
    if (/^https?:\/\//i.test(feed)) {
      if (!URL.canParse(feed)) throw invalid(`"${feed}" is not a valid feed URL.`);
      name = new URL(feed).hostname.replace(/^www\./, '');
    } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(feed)) {
      throw invalid(`"${feed}": a feed is an http(s) URL or a file.`);
    } else {
      const file = resolve(cwd, feed);
      if (!(await exists(file))) throw invalid(`The feed file ${feed} does not exist.`);
      // The niche's paths are relative to its own folder (root: .), wherever init was run from.
      url = relative(target, file).split(sep).join('/');
      name = basename(file, extname(file));
    }
    const seen = names.get(name) ?? 0;
    names.set(name, seen + 1);
    feedEntries.push({ name: seen ? `${name} (${seen + 1})` : name, url });
  }
  return { ...answers, title: answers.title.trim(), feedEntries };
}

/**
 * Creates `file` with `text`, all or nothing, and never over an existing file: the text goes to
 * a temp file that is then hard-linked into place (link fails when the name exists).
 */
async function writeNew(file: string, text: string, shown: string): Promise<void> {
  const temp = `${file}.tmp-${randomBytes(4).toString('hex')}`;
  await writeFile(temp, text, { flag: 'wx' });
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' && shown) throw NichepressError.from(NicheExists, [shown]);
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
