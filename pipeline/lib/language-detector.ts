/**
 * The language detector used by `quality/language-mismatch`: tinyld (pure JS, no dependencies,
 * ISO 639-1 codes). It is loaded once, optionally: when the package is not installed the rule
 * cannot run, and `validate` says so in one info line instead of failing every article.
 *
 * The module name is held in a variable so the type checker does not require the package.
 */
export type DetectLanguage = (text: string) => string | undefined;

const MODULE = 'tinyld';

/** Below this score tinyld's best guess is noise (it calls plain English "lv" at ~0.4). */
const MIN_ACCURACY = 0.6;

async function loadDetector(): Promise<DetectLanguage | undefined> {
  try {
    const tinyld = (await import(MODULE)) as { detectAll(text: string): Array<{ lang: string; accuracy: number }> };
    return (text) => {
      const [best] = tinyld.detectAll(text);
      return best && best.accuracy >= MIN_ACCURACY ? best.lang : undefined;
    };
  } catch {
    return undefined;
  }
}

export const defaultDetectLanguage: DetectLanguage | undefined = await loadDetector();
