import { join } from 'node:path';
import type { Context } from '../context.ts';
import { BatchAnswers } from './batch-answers.ts';
import { DraftCache } from './draft-cache.ts';
import { NichepressError } from '../errors/nichepress-error.ts';
import { ConfigFieldInvalid } from '../errors/catalogue.ts';
import { createResearcher } from '../research/research-sources.ts';
import { createExtractiveProvider } from './extractive-provider.ts';
import { clientOptionsFrom, hasEndpoint } from './openai-client.ts';
import { loadPrompt, resolvePromptFile } from './prompt-loader.ts';
import type { DraftProvider } from './provider.ts';
import { withResearch } from './researched-provider.ts';

/**
 * The run's provider, reading its sources before it writes (research, then grounding): one
 * researcher per run, so robots.txt, the per-host limits and shared pages span every topic.
 */
export async function selectProvider(context: Context): Promise<DraftProvider> {
  return withResearch(await selectWriter(context), createResearcher(context), context.config);
}

/**
 * Offline by default: the extractive provider unless OPENAI_API_KEY or OPENAI_BASE_URL is set
 * (or the config forces one). `--offline` always wins. The key is read from the environment and
 * handed to the client; it is never stored in the context, a report or a log line.
 */
async function selectWriter(context: Context): Promise<DraftProvider> {
  const { env, config } = context;
  const endpoint = hasEndpoint(env);
  const choice = config.draft.provider;
  if (context.offline || choice === 'extractive' || (choice === 'auto' && !endpoint)) {
    if (context.offline && endpoint && choice !== 'extractive') context.log('offline: using the extractive provider, not the configured API');
    return createExtractiveProvider();
  }
  if (!endpoint) {
    throw NichepressError.from(ConfigFieldInvalid, ['draft.provider', 'is "openai" but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set'], {
      hint: 'Set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (a compatible server such as Ollama), or use provider: auto.',
    });
  }
  // Prompts are checked at start: a broken template is a config error (exit 2), not six failed topics.
  const promptFile = resolvePromptFile(config.root, 'article.md');
  const briefPromptFile = resolvePromptFile(config.root, 'brief.md');
  await Promise.all([loadPrompt(promptFile), loadPrompt(briefPromptFile)]);
  const { createOpenAIProvider } = await import('./openai-provider.ts');
  // Batch mode: calls are answered from collected batches or deferred to the next one.
  const batch = config.draft.mode === 'batch' ? new BatchAnswers(new DraftCache(join(config.resolved.cacheDir, 'cache', 'batch-answers'), { readOnly: context.dryRun })) : undefined;
  return createOpenAIProvider({ ...clientOptionsFrom(context), promptFile, briefPromptFile, batch });
}
