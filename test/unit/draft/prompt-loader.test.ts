import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NichepressError } from '../../../pipeline/errors/nichepress-error.ts';
import { loadPrompt, render } from '../../../pipeline/draft/prompt-loader.ts';

const articlePrompt = new URL('../../../prompts/article.md', import.meta.url).pathname;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nichepress-prompt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function promptFile(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

const valid = `---
name: greeting
version: 2
temperature: 0.2
variables: [name, place]
---
<!-- a note for maintainers, never sent -->
## system
You greet {{ name }}.

## user
Say hello to {{name}} in {{place}}.
`;

/** Resolves to the NichepressError the promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<NichepressError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(NichepressError);
  return error as NichepressError;
}

describe('loadPrompt', () => {
  it('loads frontmatter, splits system/user and hashes the file', async () => {
    const file = await promptFile('valid.md', valid);
    const prompt = await loadPrompt(file);
    expect(prompt).toMatchObject({ name: 'greeting', version: '2', temperature: 0.2, variables: ['name', 'place'] });
    expect(prompt.system).toBe('You greet {{ name }}.');
    expect(prompt.user).toBe('Say hello to {{name}} in {{place}}.');
    expect(prompt.hash).toBe(createHash('sha256').update(valid).digest('hex').slice(0, 12));
  });

  it('renders placeholders in one pass, leaving {{…}} inside values alone', async () => {
    const prompt = await loadPrompt(await promptFile('render.md', valid));
    const rendered = render(prompt, { name: 'Ada {{place}}', place: 'Lisbon', unused: 'ignored' });
    expect(rendered).toEqual({ system: 'You greet Ada {{place}}.', user: 'Say hello to Ada {{place}} in Lisbon.' });
  });

  it('rejects a placeholder that is not declared (NP1006)', async () => {
    const file = await promptFile('undeclared.md', valid.replace('in {{place}}', 'in {{place}} on {{day}}'));
    const error = await rejection(loadPrompt(file));
    expect(error.code).toBe('NP1006');
    expect(error.message).toContain('{{day}} is used but not declared');
    expect(error.location).toMatchObject({ file, line: 12 });
  });

  it('rejects a declared variable the body never uses (NP1006)', async () => {
    const file = await promptFile('unused.md', valid.replace('[name, place]', '[name, place, tone]'));
    const error = await rejection(loadPrompt(file));
    expect(error.code).toBe('NP1006');
    expect(error.message).toContain('tone never used');
  });

  it('rejects a body without the ## system / ## user headings (NP1006)', async () => {
    const file = await promptFile('headings.md', valid.replace('## user', '## assistant'));
    const error = await rejection(loadPrompt(file));
    expect(error.code).toBe('NP1006');
    expect(error.message).toContain('"## system" heading followed by one "## user"');
  });

  it('rejects malformed placeholders and invalid frontmatter (NP1006)', async () => {
    const malformed = await rejection(loadPrompt(await promptFile('malformed.md', valid.replace('{{place}}.', '{{ the-place }}.'))));
    expect(malformed.message).toContain('malformed placeholder');
    const frontmatter = await rejection(loadPrompt(await promptFile('frontmatter.md', valid.replace('temperature: 0.2', 'temperature: hot'))));
    expect(frontmatter.message).toMatch(/frontmatter temperature: /);
    expect(frontmatter.location).toMatchObject({ line: 4 });
  });

  it('throws NP1006 at render when a declared variable has no value', async () => {
    const prompt = await loadPrompt(await promptFile('missing.md', valid));
    let caught: unknown;
    try {
      render(prompt, { name: 'Ada' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NichepressError);
    expect((caught as NichepressError).code).toBe('NP1006');
    expect((caught as NichepressError).message).toContain('no value given for {{place}}');
  });

  it('loads the bundled article prompt, whose comment is not sent to the model', async () => {
    const prompt = await loadPrompt(articlePrompt);
    expect(prompt.name).toBe('article');
    expect([...prompt.variables].sort()).toEqual(['affiliates', 'audience', 'avoid_words', 'brief', 'language', 'risk_rule', 'site_title', 'sources', 'tone', 'topic']);
    expect(prompt.system).not.toContain('<!--');
    expect(prompt.user).toMatch(/<sources>\n\{\{sources\}\}\n<\/sources>/);
    expect(prompt.user).toMatch(/<brief>\n\{\{brief\}\}\n<\/brief>/);
    expect(prompt.hash).toMatch(/^[0-9a-f]{12}$/);
    expect(prompt.hash).toBe(createHash('sha256').update(await readFile(articlePrompt)).digest('hex').slice(0, 12));
  });

  it('loads the bundled research-brief prompt: sources as delimited data, no brief, no affiliates', async () => {
    const file = new URL('../../../prompts/brief.md', import.meta.url).pathname;
    const prompt = await loadPrompt(file);
    expect(prompt.name).toBe('brief');
    expect([...prompt.variables].sort()).toEqual(['audience', 'language', 'site_title', 'sources', 'tone', 'topic']);
    expect(prompt.system).not.toContain('<!--');
    expect(prompt.user).toMatch(/<sources>\n\{\{sources\}\}\n<\/sources>/);
    expect(prompt.user).toContain('untrusted DATA');
    expect(prompt.hash).toBe(createHash('sha256').update(await readFile(file)).digest('hex').slice(0, 12));
  });
});
