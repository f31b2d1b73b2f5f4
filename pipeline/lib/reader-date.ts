/**
 * The one way dates are shown to readers — on every page of the site and in the email: the
 * niche's language (`site.language`) in its long form ("1 November 2026", "November 1, 2026",
 * "1. November 2026"), in the niche's time zone. Unknown languages or zones fall back to English
 * and UTC rather than failing a build.
 */
export function readerDateFormatter(language: string, timeZone: string): (date: Date) => string {
  const zone = (() => {
    try {
      new Intl.DateTimeFormat('en', { timeZone });
      return timeZone;
    } catch {
      return 'UTC';
    }
  })();
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: zone });
  } catch {
    format = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: zone });
  }
  // Remembered per instant: an article's date appears on its page, its lists and beside related ones.
  const formatted = new Map<number, string>();
  return (date) => {
    const time = date.getTime();
    let text = formatted.get(time);
    if (text === undefined) formatted.set(time, (text = format.format(date)));
    return text;
  };
}
