import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from '../context.ts';
import { NichepressError } from '../errors/nichepress-error.ts';
import { ConfigFieldInvalid } from '../errors/catalogue.ts';
import { createExtractiveProvider } from './extractive-provider.ts';
import { loadPrompt } from './prompt-loader.ts';
import type { DraftProvider } from './provider.ts';
import { priceFor } from './run-budget.ts';

const BUNDLED_PROMPTS = fileURLToPath(new URL('../../prompts/', import.meta.url));

/** The project's own prompts/<name> when it has one, otherwise the prompt bundled with nichepress. */
export function resolvePromptFile(root: string, name: string): string {
  const own = join(root, 'prompts', name);
  return existsSync(own) ? own : join(BUNDLED_PROMPTS, name);
}

/**
 * Offline by default: the extractive provider unless OPENAI_API_KEY or OPENAI_BASE_URL is set
 * (or the config forces one). `--offline` always wins. The key is read here and handed to the
 * client; it is never stored in the context, a report or a log line.
 */
export async function selectProvider(context: Context): Promise<DraftProvider> {
  const { env, config } = context;
  const hasEndpoint = Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL);
  const choice = config.draft.provider;
  if (context.offline || choice === 'extractive' || (choice === 'auto' && !hasEndpoint)) {
    if (context.offline && hasEndpoint && choice !== 'extractive') context.log('offline: using the extractive provider, not the configured API');
    return createExtractiveProvider();
  }
  if (!hasEndpoint) {
    throw NichepressError.from(ConfigFieldInvalid, ['draft.provider', 'is "openai" but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set'], {
      hint: 'Set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (a compatible server such as Ollama), or use provider: auto.',
    });
  }
  // Prompts are checked at start: a broken template is a config error (exit 2), not six failed topics.
  const promptFile = resolvePromptFile(config.root, 'article.md');
  const briefPromptFile = resolvePromptFile(config.root, 'brief.md');
  await Promise.all([loadPrompt(promptFile), loadPrompt(briefPromptFile)]);
  const model = env.OPENAI_MODEL || config.draft.model;
  const { createOpenAIProvider } = await import('./openai-provider.ts');
  return createOpenAIProvider({
    promptFile,
    briefPromptFile,
    apiKey: env.OPENAI_API_KEY || undefined,
    baseURL: env.OPENAI_BASE_URL || undefined,
    model,
    timeoutMs: config.draft.timeoutMs,
    maxRetries: config.draft.maxRetries,
    maxOutputTokens: config.draft.maxOutputTokens,
    price: priceFor(config.draft.prices, model),
    // SDK log lines go where the CLI's progress lines go (stderr), scrubbed of the key.
    logger: { error: context.log, warn: context.log, info: context.log, debug: context.log },
  });
}
