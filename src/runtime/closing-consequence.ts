/**
 * Which failures are only the consequence of the station closing itself down: once `stop()` has
 * begun they are not news and are not reported. Everything else still is, during and after
 * `stop()` (e.g. a store write that fails while the station shuts down).
 */
import { NotDeliveredError } from '../queue/queue-types.js';
import { RpcConnectionClosedError } from '../rpc/errors.js';
import { TransportError } from '../transport/errors.js';

/**
 * Is `error` what a station's own closing leads to: a message not sent because the queue or the
 * session was stopped ({@link NotDeliveredError}, {@link RpcConnectionClosedError}), or a connection
 * attempt aborted by the close (a {@link TransportError} of kind `aborted`)?
 *
 * @example
 * isClosingConsequence(new NotDeliveredError('StatusNotification', 'the station stopped')); // true
 * isClosingConsequence(new Error('SQLITE_FULL: database or disk is full')); // false
 */
export function isClosingConsequence(error: unknown): boolean {
  return (
    error instanceof NotDeliveredError ||
    error instanceof RpcConnectionClosedError ||
    (error instanceof TransportError && error.kind === 'aborted')
  );
}
