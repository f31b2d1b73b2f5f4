import { citationsResolve } from './citations-resolve.ts';
import { htmlNoRawHtml } from './html-no-raw-html.ts';
import { linksAllowedProtocol } from './links-allowed-protocol.ts';
import type { Rule } from './rule.ts';

/** The rules `validate` runs, with their default severities (see each module's doc comment). */
export const recommendedPreset: readonly Rule[] = [linksAllowedProtocol, htmlNoRawHtml, citationsResolve];
