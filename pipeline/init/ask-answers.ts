import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { NicheAnswers } from './niche-answers.ts';

/**
 * The questions `init` asks at a terminal, each with its default in brackets (Enter keeps it).
 * Values given as flags are the defaults. Input that ends early (Ctrl-D) keeps the defaults.
 * Lines are read through the interface's async iterator, which buffers them: answers typed (or
 * piped) ahead of their question are kept, where `question()` would drop them.
 */
export async function askAnswers(input: Readable, output: Writable, defaults: NicheAnswers): Promise<NicheAnswers> {
  const lines = createInterface({ input, terminal: false });
  const answers = lines[Symbol.asyncIterator]();
  let ended = false;
  const ask = async (question: string): Promise<string> => {
    output.write(question);
    if (ended) return '';
    const next = await answers.next();
    if (next.done) {
      ended = true;
      output.write('\n');
      return '';
    }
    return String(next.value).trim();
  };
  try {
    const title = (await ask(`Site title [${defaults.title}]: `)) || defaults.title;
    output.write('Feeds to watch: http(s) URLs or files, one per line; an empty line ends the list.\n');
    const feeds: string[] = [];
    for (;;) {
      const suggested = defaults.feeds[feeds.length];
      const answer = await ask(suggested ? `Feed ${feeds.length + 1} [${suggested}]: ` : `Feed ${feeds.length + 1}: `);
      const feed = answer || suggested;
      if (!feed) break;
      feeds.push(feed);
    }
    const language = (await ask(`Language code [${defaults.language}]: `)) || defaults.language;
    const url = (await ask(`Site address [${defaults.url}]: `)) || defaults.url;
    return { title, feeds, language, url };
  } finally {
    lines.close();
  }
}
