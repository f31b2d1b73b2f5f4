/**
 * The language detector used by `quality/language-mismatch`: tinyld (pure JS, no dependencies,
 * ISO 639-1 codes). It is optional: when the package is not installed the rule cannot run, and
 * `validate` says so in one info line instead of failing every article.
 *
 * tinyld is loaded on the first paragraph that needs it, not at import: evaluating its model
 * costs ~0.1–0.3 s per thread, and validate's worker threads often never need it (English
 * paragraphs are recognised by their function words first, see quality-language-mismatch.ts).
 * Whether it is installed is known up front by resolving it, which does not evaluate it.
 *
 * The module name is held in a variable so the type checker does not require the package.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export type DetectLanguage = (text: string) => string | undefined;

const MODULE = 'tinyld';

/** Below this score tinyld's best guess is noise (it calls plain English "lv" at ~0.4). */
const MIN_ACCURACY = 0.6;

type Tinyld = { detectAll(text: string): Array<{ lang: string; accuracy: number }> };

function resolveDetector(): DetectLanguage | undefined {
  let entry: string;
  try {
    // The ESM entry (the `import` condition), so the file loaded later is the one `import` would load.
    entry = fileURLToPath(import.meta.resolve(MODULE));
  } catch {
    return undefined;
  }
  let tinyld: Tinyld | undefined;
  return (text) => {
    // Node 24 loads an ES module without top-level await synchronously through require.
    tinyld ??= createRequire(import.meta.url)(entry) as Tinyld;
    const [best] = tinyld.detectAll(text);
    return best && best.accuracy >= MIN_ACCURACY ? best.lang : undefined;
  };
}

export const defaultDetectLanguage: DetectLanguage | undefined = resolveDetector();
