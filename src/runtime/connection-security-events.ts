/**
 * Security events raised by failed connection attempts (Part 2 A00 and appendix 1, "Security
 * Events"): a CSMS certificate that does not verify (A00.FR.310/413), no TLS 1.2+ in common
 * (A00.FR.316/419), and credentials the CSMS refused (FailedToAuthenticationAtCsms, not critical).
 */
import { TransportError } from '../transport/errors.js';
import { LazySet } from '../lazy-collections.js';

export interface ConnectionSecurityEvent {
  type: string;
  techInfo: string;
  /** Critical events are sent to the CSMS (A04.FR.01), queued while offline (A04.FR.02). */
  critical: boolean;
}

/**
 * The security event a failed connection attempt calls for, or null.
 *
 * @example
 * securityEventForConnectFailure(new TransportError('http-status', 'HTTP 401', { httpStatus: 401 }));
 * // { type: 'FailedToAuthenticationAtCsms', techInfo: 'HTTP 401', critical: false }
 */
export function securityEventForConnectFailure(error: unknown): ConnectionSecurityEvent | null {
  if (!(error instanceof TransportError)) return null;
  switch (error.kind) {
    case 'tls-server-certificate':
      return { type: 'InvalidCsmsCertificate', techInfo: error.message, critical: true };
    case 'tls-version':
      return { type: 'InvalidTLSVersion', techInfo: error.message, critical: true };
    case 'http-status':
      // Part 4 §3.2 / A00.FR.207: the CSMS answers 401 to credentials it does not accept.
      return error.httpStatus === 401
        ? { type: 'FailedToAuthenticationAtCsms', techInfo: error.message, critical: false }
        : null;
    default:
      return null;
  }
}

/**
 * Decides which connection security events to raise: a critical one only once per series of
 * failed attempts (A00.FR.316 note: "A security event only needs to be sent once for repeated
 * failed connection attempts, in order to avoid overflow to the offline queue"); a successful
 * connection ends the series. Non-critical events are only logged, so each one is raised.
 *
 * @example
 * const events = new ConnectionSecurityEvents();
 * const event = events.onConnectFailed(error); // raise it when not null
 * events.onConnected();
 */
export class ConnectionSecurityEvents {
  private readonly raised = new LazySet<string>();

  onConnectFailed(error: unknown): ConnectionSecurityEvent | null {
    const event = securityEventForConnectFailure(error);
    if (!event) return null;
    if (event.critical) {
      if (this.raised.has(event.type)) return null;
      this.raised.add(event.type);
    }
    return event;
  }

  onConnected(): void {
    this.raised.clear();
  }
}
