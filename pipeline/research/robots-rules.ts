import robotsParser from 'robots-parser';
import { fetchPage, type PageFetcher } from './fetch-page.ts';

/**
 * robots.txt, once per host per run, read as the robots exclusion standard says: a missing file
 * (4xx) allows everything; a file that cannot be read (5xx, timeout, network) is taken as
 * "disallow everything" for this run, since we cannot know what the site asked for.
 */
export function createRobotsRules(fetcher: PageFetcher, agentName: string) {
  const perOrigin = new Map<string, Promise<(url: string) => boolean>>();

  async function load(origin: string): Promise<(url: string) => boolean> {
    const robotsUrl = `${origin}/robots.txt`;
    const outcome = await fetchPage(robotsUrl, fetcher);
    if (outcome.ok) {
      const text = new TextDecoder('utf-8').decode(outcome.body);
      const rules = robotsParser(robotsUrl, text);
      return (url) => rules.isAllowed(url, agentName) !== false;
    }
    const status = outcome.status ?? 0;
    if (status >= 400 && status < 500 && status !== 429) return () => true;
    return () => false;
  }

  return {
    /** A refusal detail when robots.txt disallows the URL for us, else undefined. */
    async check(url: URL): Promise<string | undefined> {
      let rules = perOrigin.get(url.origin);
      if (!rules) {
        rules = load(url.origin);
        perOrigin.set(url.origin, rules);
      }
      return (await rules)(url.href) ? undefined : `robots.txt of ${url.host} does not allow ${url.pathname}`;
    },
  };
}

export type RobotsRules = ReturnType<typeof createRobotsRules>;
