/**
 * Each article's card: a 1200×630 PNG with its title, topic and the site's name, drawn at build
 * time (satori lays the text out with a font shipped in an npm package — nothing is downloaded —
 * and sharp rasterises the SVG). It is the article's Open Graph / Twitter image (/cards/<id>.png)
 * and its picture on the site's article cards.
 *
 * Drawing costs ~10–25 ms per card, so cards are cached by content: the file name is a digest of
 * everything drawn (template version, title, topic, site name, colours). A rebuild finds unchanged
 * cards in the cache folder (`<paths.cacheDir>/article-cards/`) and draws only new or edited
 * ones. The cache is disposable: deleting it only makes the next build draw every card again.
 *
 * Cards are not Astro routes: a route per card cost Astro's per-page work 10,000 times even when
 * every card was cached. Like Astro's own image service, article pages ask for their card while
 * they render (`requestArticleCard`), and the `articleCards` integration writes the asked-for
 * cards when the build is done — a hard link to the cached file, drawn first if it is missing.
 */
import { createHash } from 'node:crypto';
import { copyFile, link, mkdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { mapLimit } from '../../pipeline/lib/map-limit.ts';
import satori from 'satori';
import sharp from 'sharp';
import { writeFileAtomic } from '../../pipeline/lib/atomic-write.ts';

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;

/** Bump when the drawing changes, so every cached card is drawn again. */
const TEMPLATE_VERSION = 2;

export interface CardText {
  title: string;
  /** The article's main topic, shown above the title; none when the article has no tags. */
  topic: string | undefined;
  siteTitle: string;
  /** The site's host, shown in the footer of the card. */
  host: string;
}

/** What the card looks like, in the site's colours (see styles/global.css). */
const COLOURS = { background: '#14213d', accent: '#f2b134', text: '#f8f7f2', muted: '#c9cfdd' } as const;

const fontFile = (weight: 400 | 700) =>
  createRequire(import.meta.url).resolve(`@fontsource/inter/files/inter-latin-${weight}-normal.woff`);

let fonts: Promise<Array<{ name: string; data: Buffer; weight: 400 | 700; style: 'normal' }>> | undefined;

function loadFonts() {
  fonts ??= Promise.all(
    ([400, 700] as const).map(async (weight) => ({ name: 'Inter', data: await readFile(fontFile(weight)), weight, style: 'normal' as const })),
  );
  return fonts;
}

/** The digest that names a card in the cache: the same text in the same template, the same file. */
export function cardKey(card: CardText): string {
  return createHash('sha256')
    .update(JSON.stringify([TEMPLATE_VERSION, COLOURS, card.title, card.topic ?? '', card.siteTitle, card.host]))
    .digest('hex')
    .slice(0, 32);
}

type Node = { type: string; props: { style?: Record<string, unknown>; children?: Node | string | Array<Node | string> } };
const el = (type: string, style: Record<string, unknown>, children?: Node['props']['children']): Node => ({
  type,
  props: children === undefined ? { style } : { style, children },
});

const PAD_X = 72;
const PAD_Y = 56;
const ACCENT_BAR = 16;

/** Long titles get a smaller size so they stay within four lines. */
function titleSize(title: string): number {
  if (title.length <= 48) return 68;
  if (title.length <= 80) return 58;
  return 48;
}

export async function drawCard(card: CardText): Promise<Buffer> {
  const tree = el(
    'div',
    {
      // satori sizes the content box: padding and border come on top of width and height.
      width: CARD_WIDTH - 2 * PAD_X,
      height: CARD_HEIGHT - 2 * PAD_Y - ACCENT_BAR,
      display: 'flex',
      flexDirection: 'column',
      justifyContent: 'space-between',
      paddingTop: PAD_Y,
      paddingBottom: PAD_Y,
      paddingLeft: PAD_X,
      paddingRight: PAD_X,
      backgroundColor: COLOURS.background,
      color: COLOURS.text,
      fontFamily: 'Inter',
      borderTop: `${ACCENT_BAR}px solid ${COLOURS.accent}`,
    },
    [
      el('div', { display: 'flex', fontSize: 30, fontWeight: 700, color: COLOURS.accent }, card.topic ?? card.siteTitle),
      el('div', { display: 'flex', width: CARD_WIDTH - 2 * PAD_X, fontSize: titleSize(card.title), fontWeight: 700, lineHeight: 1.12 }, card.title),
      el('div', { display: 'flex', width: CARD_WIDTH - 2 * PAD_X, justifyContent: 'space-between', fontSize: 28, fontWeight: 400, color: COLOURS.muted }, [
        el('div', { display: 'flex', fontWeight: 700, color: COLOURS.text }, card.siteTitle),
        el('div', { display: 'flex' }, card.host),
      ]),
    ],
  );
  // satori's element type is React's; this plain tree has the same shape.
  const svg = await satori(tree as unknown as Parameters<typeof satori>[0], { width: CARD_WIDTH, height: CARD_HEIGHT, fonts: await loadFonts() });
  return sharp(Buffer.from(svg)).png({ compressionLevel: 6 }).toBuffer();
}

/** The card's file in the cache, drawn and stored first when it is not there yet. */
export async function cachedCardFile(card: CardText, cacheDir: string): Promise<{ file: string; drawn: boolean }> {
  const file = join(cacheDir, `${cardKey(card)}.png`);
  if (await stat(file).then((info) => info.isFile(), () => false)) return { file, drawn: false };
  await writeFileAtomic(file, await drawCard(card));
  return { file, drawn: true };
}

/** The site path of an article's card. */
export function articleCardPath(id: string): string {
  return `/cards/${id}.png`;
}

/**
 * The cards asked for while pages render, by article id. Pages run from Astro's bundle, the
 * integration from the config: a process-wide registry (Symbol.for) is what both see.
 */
function requested(): Map<string, CardText> {
  const key = Symbol.for('nichepress.article-cards');
  const holder = globalThis as { [key]?: Map<string, CardText> };
  return (holder[key] ??= new Map());
}

/** Called by the article page: its card will be in the built site at `articleCardPath(id)`. */
export function requestArticleCard(id: string, card: CardText): string {
  requested().set(id, card);
  return articleCardPath(id);
}

/** Writes every requested card into the built site (see the top of this file). */
export function articleCards(options: { cacheDir: string }): AstroIntegration {
  return {
    name: 'nichepress:article-cards',
    hooks: {
      'astro:build:start': () => {
        requested().clear();
      },
      'astro:build:done': async ({ dir, logger }) => {
        const out = join(fileURLToPath(dir), 'cards');
        const cards = [...requested()].map(([id, card]) => ({ target: join(out, `${id}.png`), file: join(options.cacheDir, `${cardKey(card)}.png`), card }));
        // Draw what the cache lacks (articles with the same card share one file). Drawing is CPU
        // work in satori and in sharp's thread: two at a time keep both busy.
        const distinct = [...new Map(cards.map((entry) => [entry.file, entry.card])).values()];
        const drawn = (await mapLimit(distinct, 2, async (card) => (await cachedCardFile(card, options.cacheDir)).drawn)).filter(Boolean).length;
        // Then a hard link per article: no copy (across file systems, a copy). Astro emptied the
        // output folder before the build, so nothing is in the way.
        for (const folder of new Set(cards.map(({ target }) => dirname(target)))) await mkdir(folder, { recursive: true });
        await mapLimit(cards, 16, ({ file, target }) => link(file, target).catch(() => copyFile(file, target)));
        logger.info(`${cards.length} article cards (${drawn} drawn, ${cards.length - drawn} from the cache).`);
        requested().clear();
      },
    },
  };
}
