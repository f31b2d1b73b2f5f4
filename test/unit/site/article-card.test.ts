import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CARD_HEIGHT, CARD_WIDTH, cachedCardFile, cardKey, type CardText } from '../../../site/lib/article-card.ts';

const card: CardText = { title: 'Blob fees: what recent reporting says', topic: 'Layer 2', siteTitle: 'Field Notes', host: 'notes.example' };

describe('article cards', () => {
  it('draws a 1200×630 PNG and stores it under the digest of what it shows', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'nichepress-cards-'));
    const cached = await cachedCardFile(card, cache);
    expect(cached).toEqual({ file: join(cache, `${cardKey(card)}.png`), drawn: true });
    const png = await readFile(cached.file);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([CARD_WIDTH, CARD_HEIGHT]);
    expect(await readdir(cache)).toEqual([`${cardKey(card)}.png`]);
  });

  it('reads an unchanged card from the cache instead of drawing it again', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'nichepress-cards-'));
    // A marker in place of the drawing: if it comes back, nothing was drawn.
    await writeFile(join(cache, `${cardKey(card)}.png`), 'cached bytes');
    const cached = await cachedCardFile(card, cache);
    expect(cached.drawn).toBe(false);
    expect(await readFile(cached.file, 'utf8')).toBe('cached bytes');
  });

  it('draws again when anything shown on the card changes', () => {
    const keys = new Set([
      cardKey(card),
      cardKey({ ...card, title: `${card.title}!` }),
      cardKey({ ...card, topic: undefined }),
      cardKey({ ...card, siteTitle: 'Other' }),
      cardKey({ ...card, host: 'other.example' }),
    ]);
    expect(keys.size).toBe(5);
    expect(cardKey({ ...card })).toBe(cardKey(card));
  });
});
