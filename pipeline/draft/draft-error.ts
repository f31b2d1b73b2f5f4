/**
 * A failed draft for one topic; `code` is a catalogue code (NP4001: the call failed, NP4002: the
 * answer stayed invalid). The draft stage turns it into a finding for that topic, so the run goes on.
 */
export class DraftError extends Error {
  readonly code: 'NP4001' | 'NP4002';
  /**
   * The failure will not heal within this run (the server refuses connections, its name does not
   * resolve, the key is rejected): the draft stage stops asking after this topic.
   */
  readonly lasting: boolean;
  constructor(code: 'NP4001' | 'NP4002', message: string, options?: { cause?: unknown; lasting?: boolean }) {
    super(message, options);
    this.name = 'DraftError';
    this.code = code;
    this.lasting = options?.lasting ?? false;
  }
}
