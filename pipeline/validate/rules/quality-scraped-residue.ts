import { proseOf, textBlocks } from '../prose.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * No furniture of a web page captured with its text: bylines with a timestamp ("By Jane Doe |
 * 3 March 2026, 10:42"), tag and category lines ("Tags:", "Filed under"), "You may also like" and
 * "Related posts" blocks, share and comment widgets ("Share on X", "12 Comments", "Leave a
 * reply"), navigation ("Skip to content", "Previous post"), cookie banners and newsletter boxes —
 * in English and in the other languages scraped sources come in.
 *
 * They come from source pages quoted wholesale, and they make a page look stolen. Only short
 * lines of their own are read: a sentence that mentions sharing or tags is prose.
 *
 * ok:     an article without page furniture
 * not-ok: a line "Share this: Twitter Facebook LinkedIn"
 */
export const qualityScrapedResidue = defineRule({
  id: 'quality/scraped-residue',
  version: 3,
  severity: 'error',
  description: 'No scraped page furniture (bylines, tag lines, share and comment widgets, related posts, navigation).',
  check(article) {
    const messages: RuleMessage[] = [];
    for (const block of textBlocks(article.tree)) {
      const prose = proseOf(block);
      let offset = 0;
      for (const line of prose.text.split('\n')) {
        const text = line.trim();
        const hit = text.length > 0 && text.length <= 140 ? RESIDUE.find(([pattern, , sentencesToo]) => pattern.test(text) && (sentencesToo || !/[.!?。]$/.test(text))) : undefined;
        if (hit) messages.push({ message: `${hit[1]}: "${text.slice(0, 50)}"`, hint: 'Remove the leftover of the source page; keep only the article text.', point: prose.pointAt(offset) });
        offset += line.length + 1;
      }
    }
    return messages;
  },
});

/** A date or a time of day, as bylines print them. */
const WHEN = String.raw`(?:\d{1,2}:\d{2}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}\.? \p{L}+\.? \d{4}|\p{L}+\.? \d{1,2},? \d{4}|\d{4}년|\d{4}年)`;

/**
 * Pattern, what it is, and whether a line ending like a sentence can still be it. A byline or a
 * date stamp never ends with a full stop; "By March 3, 2026, the queue had cleared." is prose.
 */
const RESIDUE: Array<[RegExp, string, boolean?]> = [
  [
    new RegExp(String.raw`^(?:by|posted by|written by|von|por|par|di|door|автор|작성자|글|作者|文)[:\s]\s*[^\n|·•]{2,60}?\s*(?:[|·•,–—-]|\s)\s*.*${WHEN}`, 'iu'),
    'Byline with a timestamp',
    false,
  ],
  [
    new RegExp(String.raw`^(?:posted|published|updated|last updated|veröffentlicht|aktualisiert|publicado|actualizado|publié|mis à jour|pubblicato|опубликовано|обновлено|게시|발행|입력|수정|发布于|发布时间|更新于|投稿日|公開日|更新日)\b[^\n]{0,20}${WHEN}`, 'iu'),
    'Publication stamp',
    false,
  ],
  [/^(?:tags?|tagged(?: with)?|filed under|categories|category|posted in|schlagwörter|stichwörter|kategorien?|etiquetas|categorías|archivado en|étiquettes|catégories|теги|метки|рубрики?|태그|분류|标签|分类|タグ|カテゴリー?)\s*[:：]/iu, 'Tag or category line', true],
  [/^(?:filed under|posted in)\b/i, 'Tag or category line', false],
  [/^(?:you (?:may|might) also like|related (?:posts|articles|stories|reading)|recommended for you|more from\b|popular posts|trending now|read next|das könnte sie auch interessieren|ähnliche artikel|te puede interesar|también te puede interesar|artículos relacionados|à lire aussi|vous aimerez aussi|читайте также|похожие статьи|함께 보면 좋은 글|관련 기사|相关文章|猜你喜欢|関連記事)/iu, '"You may also like" block', false],
  [/^(?:leave a (?:reply|comment)|post a comment|\d+ comments?|comments? \(\d+\)|your email address will not be published|required fields are marked|add a comment|join the discussion|kommentare? \(\d+\)|\d+ kommentare?|deja un comentario|\d+ comentarios?|laisser un commentaire|\d+ commentaires?|оставить комментарий|комментари[ийя]\s*\(?\d*|댓글\s*\d+|댓글 (?:달기|쓰기)|评论\s*[（(]?\d+|\d+\s*条评论|コメント\s*[（(]?\d+)/iu, 'Comment widget', true],
  [
    /^(?:share (?:this|on|via)\b|click to share|tweet(?: this)?$|share$|pin it$|teilen\s*[:：]?$|auf \w+ teilen|compartir(?: en)?\b|partager(?: sur)?\b|поделиться|공유하기|공유\s*[:：]|分享到?\s*[:：]?|シェアする|(?:share:?\s*)?(?:twitter|facebook|linkedin|reddit|whatsapp|telegram|email|x)(?:\s*[|,•·/]?\s*(?:twitter|facebook|linkedin|reddit|whatsapp|telegram|email|x)){2,})/iu,
    'Share buttons',
    true,
  ],
  [/^(?:skip to (?:main )?content|main menu|toggle navigation|(?:home|menu|startseite|inicio|accueil|главная|홈|首页)\s*[›»>/|]\s*\p{L}|previous (?:post|article)\b|next (?:post|article)\b|« (?:previous|older)|(?:newer|older) posts?$|back to top$|read more$|continue reading\b|weiterlesen$|leer más$|lire la suite$|читать далее$|더 보기$|阅读更多$)/iu, 'Navigation residue', false],
  [/^(?:we use cookies|accept (?:all )?cookies|subscribe to (?:our|the) newsletter|sign up for our newsletter|enter your email)\b/i, 'Cookie banner or newsletter box residue', true],
];
