import { EndpointVariableInvalid } from '../errors/catalogue.ts';
import { NichepressError } from '../errors/nichepress-error.ts';

/**
 * The API endpoint variables, checked once before anything is drafted: a malformed one is a
 * configuration error (exit 2) naming the variable, not the same failure once per topic. The key's
 * value is never shown.
 */
export function checkEndpointEnv(env: Readonly<Record<string, string | undefined>>): void {
  const fail = (variable: string, reason: string) => NichepressError.from(EndpointVariableInvalid, [variable, reason]);
  const baseUrl = env.OPENAI_BASE_URL;
  if (baseUrl) {
    const url = URL.parse(baseUrl);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      // The value is shown only when it carries no credentials.
      throw fail('OPENAI_BASE_URL', url?.username || url?.password ? 'is not an http(s) URL' : `is not an http(s) URL: "${baseUrl}"`);
    }
  }
  if (env.OPENAI_MODEL !== undefined && env.OPENAI_MODEL !== '' && env.OPENAI_MODEL.trim() === '') throw fail('OPENAI_MODEL', 'is blank');
  const key = env.OPENAI_API_KEY;
  if (key && /\s/.test(key)) throw fail('OPENAI_API_KEY', 'contains white space (a line break copied with it?)');
}
