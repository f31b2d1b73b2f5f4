/**
 * A failed draft for one topic; `code` is a catalogue code (NP4001: the call failed, NP4002: the
 * answer stayed invalid). The draft stage turns it into a finding for that topic, so the run goes on.
 */
export class DraftError extends Error {
  readonly code: 'NP4001' | 'NP4002';
  constructor(code: 'NP4001' | 'NP4002', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DraftError';
    this.code = code;
  }
}
