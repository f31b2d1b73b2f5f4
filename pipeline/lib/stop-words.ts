/**
 * English function words that never start or end a topic phrase ("of the", "is a"). Kept short
 * and boring on purpose: content words are filtered by the trend statistics, not by this list.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between
  both but by can could did do does doing down during each either few for from further had has have having he her
  here hers him his how i if in into is it its itself just may me might more most must my near new no nor not now
  of off on once one only or other our ours out over own per same says said she should since so some still such
  than that the their theirs them then there these they this those through to too two under until up upon us very
  via was we were what when where which while who whom why will with within without would yet you your yours
  amid across around week weeks month months year years day days today new latest first last next many much
  how-to vs versus get gets got make makes made say says could`
    .split(/\s+/)
    .filter(Boolean),
);
