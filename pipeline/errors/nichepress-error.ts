import type { ErrorData } from './catalogue.ts';
import { findingFrom, formatLocation, type Finding, type Location } from './finding.ts';

/**
 * The one exception type nichepress throws on purpose. Only configuration and usage errors
 * abort a run (exit code 2); everything else becomes a finding in the report.
 */
export class NichepressError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly location: Location | undefined;

  constructor(code: string, message: string, options: { hint?: string; location?: Location; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'NichepressError';
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
  }

  static from<Args extends unknown[]>(
    data: ErrorData<Args>,
    args: Args,
    options: { location?: Location; cause?: unknown; hint?: string } = {},
  ): NichepressError {
    return new NichepressError(data.code, data.message(...args), {
      hint: options.hint ?? data.hint,
      location: options.location,
      cause: options.cause,
    });
  }

  toFinding(): Finding {
    const finding: Finding = { severity: 'error', code: this.code, message: this.message };
    if (this.hint) finding.hint = this.hint;
    if (this.location) Object.assign(finding, this.location);
    return finding;
  }

  /** `content/niche.yaml:12:5 feeds[2].url: expected … (NP1003)` */
  format(): string {
    const where = this.location ? `${formatLocation(this.location)} ` : '';
    return `${where}${this.message} (${this.code})`;
  }
}

export { findingFrom };
