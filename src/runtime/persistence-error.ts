/**
 * The error a failed write of the station's state is reported with (src/runtime/station-persistence.ts).
 */

/**
 * A write of the station's state failed; it is retried, and nothing it holds was sent.
 *
 * @example
 * onError: (e) => { if (e instanceof PersistenceError) alarm('station storage failing', e.cause); }
 */
export class PersistenceError extends Error {
  override readonly name = 'PersistenceError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_PERSISTENCE';
  constructor(
    readonly attempt: number,
    cause: unknown,
  ) {
    super(
      `storing the station state failed (attempt ${attempt}; retried, nothing unstored was sent): ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
  }
}
