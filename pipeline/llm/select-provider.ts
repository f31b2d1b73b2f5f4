import type { Context } from '../context.ts';
import { NichepressError } from '../errors/nichepress-error.ts';
import { ConfigFieldInvalid } from '../errors/catalogue.ts';
import { createExtractiveProvider } from './extractive-provider.ts';
import type { DraftProvider } from './provider.ts';

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
  const { createOpenAIProvider } = await import('./openai-provider.ts');
  return createOpenAIProvider({
    apiKey: env.OPENAI_API_KEY || undefined,
    baseURL: env.OPENAI_BASE_URL || undefined,
    model: env.OPENAI_MODEL || config.draft.model,
    timeoutMs: config.draft.timeoutMs,
    maxRetries: config.draft.maxRetries,
  });
}
