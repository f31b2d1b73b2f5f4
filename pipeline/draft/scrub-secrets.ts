import { format } from 'node:util';

/**
 * Keeping the API key out of everything we throw or log, whatever a server echoes back to us.
 */

export type Scrub = (text: string) => string;

export interface ProviderLogger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

/**
 * Removes the API key from any text. Also masks things that look like keys or bearer tokens, in
 * case a key reached us another way.
 */
export function secretScrubber(apiKey: string | undefined): Scrub {
  const key = apiKey && apiKey.length >= 4 ? apiKey : undefined;
  return (text) => {
    let clean = key ? text.split(key).join('***') : text;
    clean = clean.replace(/\bBearer\s+[^\s"',;]+/gi, 'Bearer ***');
    clean = clean.replace(/\bsk-[A-Za-z0-9_-]{6,}/g, 'sk-***');
    return clean;
  };
}

export function scrubbingLogger(target: ProviderLogger, scrub: Scrub): ProviderLogger {
  // util.format renders objects the SDK passes (request details) so they can be scrubbed as text.
  const wrap = (write: (message: string) => void) => (...args: unknown[]) => write(scrub(format(...args)));
  return {
    error: wrap((message) => target.error(message)),
    warn: wrap((message) => target.warn(message)),
    info: wrap((message) => target.info(message)),
    debug: wrap((message) => target.debug(message)),
  };
}
