import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../../pipeline/config/niche-config.ts';
import { createOpenAIProvider } from '../../../pipeline/draft/openai-provider.ts';
import { priceFor } from '../../../pipeline/draft/run-budget.ts';
import { draftAndWrite } from '../../helpers/draft-and-write.ts';
import { emptyState } from '../../../pipeline/state.ts';
import { PACKAGE_ROOT } from '../../helpers/cli.ts';
import { contextFor, sampleConfig } from '../../helpers/context.ts';
import { articleFor, validReply, viewOf } from '../../helpers/fake-model.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer, type FakeServerOptions } from '../../helpers/fake-openai-server.ts';
import { syntheticTopics } from '../../helpers/synthetic-topics.ts';

// The draft stage with the real openai provider against the loopback server.

let server: FakeOpenAIServer | undefined;
let root: string | undefined;
afterEach(async () => {
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
  server = undefined;
  root = undefined;
});

async function setup(options: FakeServerOptions, model = 'gpt-4o-mini', draft: Partial<ResolvedConfig['draft']> = {}) {
  server = await startFakeOpenAIServer(options);
  root = await mkdtemp(join(tmpdir(), 'nichepress-draft-stage-'));
  const base = await sampleConfig(root);
  const config: ResolvedConfig = { ...base, draft: { ...base.draft, ...draft } };
  const provider = createOpenAIProvider({
    baseURL: server.url,
    model,
    timeoutMs: 5000,
    maxRetries: 0,
    promptFile: join(PACKAGE_ROOT, 'prompts/article.md'),
    briefPromptFile: join(PACKAGE_ROOT, 'prompts/brief.md'),
    price: priceFor(config.draft.prices, model),
    logger: { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} },
  });
  return { config, provider, server };
}

describe('draftTopics', () => {
  it('gives concurrent topics with the same title their own files: neither overwrites the other', async () => {
    const { config, provider } = await setup({
      respond: (body) => {
        const view = viewOf(body);
        return view.step === 'brief' ? validReply(body) : { json: articleFor(view, { title: 'Same headline: what every topic says' }) };
      },
    });
    const topics = syntheticTopics(4);
    const result = await draftAndWrite(contextFor(config), emptyState(), topics, provider);
    expect(result.counts).toMatchObject({ topics: 4, written: 4, failed: 0 });
    const names = (await readdir(config.resolved.articles)).sort();
    expect(names).toEqual(['same-headline-2.md', 'same-headline-3.md', 'same-headline-4.md', 'same-headline.md']);
    const keys = await Promise.all(names.map(async (name) => /^ {2}key: (.+)$/m.exec(await readFile(join(config.resolved.articles, name), 'utf8'))?.[1]));
    expect(new Set(keys)).toEqual(new Set(topics.map((topic) => topic.key)));
  });

  it('says the cost cap cannot be enforced when the model has no price, and reports no cost', async () => {
    const { config, provider } = await setup({ respond: (body) => validReply(body) }, 'llama3.1', { maxCostUsd: 0.01 });
    const result = await draftAndWrite(contextFor(config), emptyState(), syntheticTopics(1), provider);
    expect(result.counts.written).toBe(1);
    expect(result.counts.costUsd).toBeUndefined();
    const warning = result.findings.find((finding) => finding.code === 'NP4005');
    expect(warning?.severity).toBe('warning');
    expect(warning?.message).toContain('no price for model "llama3.1"');
  });

  it('reports tokens and cost of the run, and a dry run neither writes nor caches', async () => {
    const { config, provider, server } = await setup({ respond: (body) => validReply(body, { prompt_tokens: 1000, completion_tokens: 1000 }) });
    const dry = await draftAndWrite(contextFor(config, { dryRun: true }), emptyState(), syntheticTopics(2), provider);
    // gpt-4o-mini in the sample's price table: $0.15 and $0.60 per million tokens.
    expect(dry.counts).toMatchObject({ written: 2, providerCalls: 4, inputTokens: 4000, outputTokens: 4000, costUsd: 0.003 });
    await expect(readdir(config.resolved.articles)).rejects.toThrow();
    await expect(readdir(join(config.resolved.cacheDir, 'cache'))).rejects.toThrow();

    const real = await draftAndWrite(contextFor(config), emptyState(), syntheticTopics(2), provider);
    expect(real.counts).toMatchObject({ written: 2, providerCalls: 4, cacheHits: 0 });
    expect(server.requests).toHaveLength(8);
  });
});
