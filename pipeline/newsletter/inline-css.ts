/**
 * Moves a document's <style> rules into style attributes with juice, because Gmail (in several
 * of its apps) and Outlook drop or ignore <style> blocks. Media queries cannot be inlined, so
 * juice keeps them in a <style> block for the clients that honour them (the phone layout).
 *
 * `juice(html)` works on the string alone (unlike juice.juiceResources it fetches nothing), so
 * this stays offline. juice is loaded on first use: only the newsletter needs it, and it pulls in cheerio and
 * postcss, which every other command would otherwise pay for at start.
 */
export class CssInlinerUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CssInlinerUnavailable';
  }
}

type Juice = typeof import('juice').default;

let loaded: Promise<Juice> | undefined;

async function loadJuice(): Promise<Juice> {
  try {
    const module = await import('juice');
    return module.default;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CssInlinerUnavailable(
      code === 'ERR_MODULE_NOT_FOUND' ? 'the juice package is not installed' : `juice could not be loaded: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

export async function inlineCss(html: string): Promise<string> {
  loaded ??= loadJuice();
  let juice: Juice;
  try {
    juice = await loaded;
  } catch (error) {
    loaded = undefined;
    throw error;
  }
  return juice(html, {
    // Inline every rule, then drop the <style> block, except its media queries.
    applyStyleTags: true,
    removeStyleTags: true,
    preserveMediaQueries: true,
    preserveFontFaces: false,
    preserveKeyFrames: false,
    preservePseudos: false,
    // The !important of the phone layout must keep beating the inlined desktop styles.
    preserveImportant: true,
    // width/height/align/bgcolor attributes for Outlook, which reads attributes over CSS.
    applyWidthAttributes: true,
    applyHeightAttributes: true,
    applyAttributesTableElements: true,
  });
}
