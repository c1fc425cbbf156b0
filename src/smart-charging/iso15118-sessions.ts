/**
 * ISO 15118 smart charging (K15–K17) per EVSE: the EV's charging needs go to the CSMS
 * (NotifyEVChargingNeeds), the schedule the EV picks is checked against the composite schedule and
 * reported (NotifyEVChargingSchedule) and then caps the EVSE, and a new CSMS profile during charging
 * asks the host to renegotiate (K16). The EV side (ChargeParameterDiscovery, PowerDelivery) is the
 * host's: it calls these methods at the matching ISO 15118 messages.
 */
import type { StationClock } from '../clock.js';
import type {
  ChargingScheduleType,
  NotifyEVChargingNeedsRequest,
  NotifyEVChargingNeedsResponse,
  NotifyEVChargingScheduleRequest,
  NotifyEVChargingScheduleResponse,
} from '../generated/ocpp-types.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import type { MessageQueue } from '../queue/message-queue.js';
import { validateRequest } from '../validation/index.js';
import { evScheduleExcess, type EvScheduleExcess } from './ev-schedule-check.js';
import type { EvChargingSchedule, SmartChargingState } from './types.js';
import { LazyMap } from '../lazy-collections.js';

/** The CSMS's answer, or why nothing was sent. */
export type EvChargingNeedsResult = NotifyEVChargingNeedsResponse | { status: 'NotSent'; reason: string };

/** The CSMS's answer, why nothing was sent, or where the EV's schedule exceeds the offered one. */
export type EvChargingScheduleResult =
  | NotifyEVChargingScheduleResponse
  | { status: 'NotSent'; reason: string }
  | ({ status: 'OutOfBounds' } & EvScheduleExcess);

/** The EV's schedule as the host reports it; timeBase defaults to now. */
export interface EvChargingScheduleInput {
  evseId: number;
  chargingSchedule: ChargingScheduleType;
  timeBase?: string;
}

export interface Iso15118SessionsOptions {
  clock: StationClock;
  queue: Pick<MessageQueue, 'send'>;
  evses: readonly EvseStructure[];
  /** The engine's view of the station (for the K15.FR.09 check). */
  state(): SmartChargingState;
  /** The EV schedules changed: re-evaluate the composite schedules. */
  changed(): void;
}

interface Session {
  /** NotifyEVChargingNeeds was sent for the current negotiation (K15.FR.17, K01.FR.34). */
  needsSent: boolean;
  /** The EV charges on an agreed schedule: a new CSMS profile means renegotiation (K16.FR.02). */
  negotiated: boolean;
  /** The CSMS started a renegotiation: the EV's charging needs are not forwarded (K16.FR.09). */
  csmsRenegotiation: boolean;
  schedule?: EvChargingSchedule;
}

function checked<T>(action: 'NotifyEVChargingNeeds' | 'NotifyEVChargingSchedule', payload: T): T {
  const failure = validateRequest(action, payload);
  if (failure !== null) throw new TypeError(`${action}Request: ${failure.description}`);
  return payload;
}

function notSent(error: unknown, offlineHint: string): { status: 'NotSent'; reason: string } {
  const message = error instanceof Error ? error.message : String(error);
  return { status: 'NotSent', reason: `${message}${offlineHint}` };
}

/**
 * ISO 15118 state of every EVSE of one station.
 *
 * @example
 * const needs = await sessions.chargingNeeds({ evseId: 1, chargingNeeds: { requestedEnergyTransfer: 'AC_three_phase', acChargingParameters } });
 * const result = await sessions.chargingSchedule({ evseId: 1, chargingSchedule });
 */
export class Iso15118Sessions {
  private readonly sessions = new LazyMap<number, Session>();

  constructor(private readonly options: Iso15118SessionsOptions) {}

  /** The EV schedules in force (they cap their EVSEs, K15.FR.14). */
  schedules(): EvChargingSchedule[] {
    return [...this.sessions.values()].flatMap((session) => session.schedule ?? []);
  }

  /** Whether NotifyEVChargingNeeds was sent for the session on `evseId`. */
  chargingNeedsSent(evseId: number): boolean {
    return this.sessions.get(evseId)?.needsSent === true;
  }

  /**
   * K15.FR.01 / K17.FR.01: sends the EV's charging needs and resolves with the CSMS's answer
   * (Accepted: a TxProfile follows, K15.FR.03; Processing: later, K16; Rejected: charge without).
   * Not sent while a renegotiation started by the CSMS runs (K16.FR.09), nor when offline (then
   * charge within the TxDefaultProfile, K15.FR.15). Throws a TypeError for a request that is not
   * schema-valid or has not exactly one of AC/DC parameters (K15.FR.06).
   */
  async chargingNeeds(request: NotifyEVChargingNeedsRequest): Promise<EvChargingNeedsResult> {
    this.requireEvse(request.evseId);
    const { acChargingParameters, dcChargingParameters } = request.chargingNeeds;
    if ((acChargingParameters === undefined) === (dcChargingParameters === undefined)) {
      throw new TypeError(
        'K15.FR.06: chargingNeeds needs exactly one of acChargingParameters and dcChargingParameters',
      );
    }
    checked('NotifyEVChargingNeeds', request);
    const session = this.session(request.evseId);
    if (session.csmsRenegotiation) {
      return {
        status: 'NotSent',
        reason: 'K16.FR.09: the CSMS started this renegotiation and has already sent the new profile',
      };
    }
    const before = { needsSent: session.needsSent, negotiated: session.negotiated };
    // Marked before sending: the CSMS may send its TxProfile as soon as it has the request (K15.FR.17).
    session.needsSent = true;
    session.negotiated = false;
    try {
      return (await this.options.queue.send(
        'NotifyEVChargingNeeds',
        request,
      )) as NotifyEVChargingNeedsResponse;
    } catch (error) {
      Object.assign(session, before);
      return notSent(error, '; K15.FR.15: charge within the TxDefaultProfile / composite schedule');
    }
  }

  /**
   * K15.FR.09–10 / K16.FR.04–05 / K17.FR.09–10: the EV chose a charging schedule. It must stay within
   * the EVSE's composite schedule (else OutOfBounds: nothing is sent or applied; reject the EV's
   * PowerDeliveryReq). Within it, it caps the EVSE from now on (K15.FR.14, SC.04), ends a CSMS
   * renegotiation, and is sent in a NotifyEVChargingScheduleRequest; resolves with the CSMS's answer
   * (Rejected: the CSMS will renegotiate, K15.FR.13).
   */
  async chargingSchedule(input: EvChargingScheduleInput): Promise<EvChargingScheduleResult> {
    this.requireEvse(input.evseId);
    const now = this.options.clock.nowIso();
    const request: NotifyEVChargingScheduleRequest = checked('NotifyEVChargingSchedule', {
      timeBase: input.timeBase ?? now,
      evseId: input.evseId,
      chargingSchedule: input.chargingSchedule,
    });
    const ev: EvChargingSchedule = {
      evseId: request.evseId,
      timeBase: request.timeBase,
      chargingSchedule: request.chargingSchedule,
    };
    const excess = evScheduleExcess(this.options.state(), ev, now);
    if (excess !== undefined) return { status: 'OutOfBounds', ...excess };
    const session = this.session(input.evseId);
    session.schedule = ev;
    session.negotiated = true;
    session.csmsRenegotiation = false;
    this.options.changed();
    try {
      return (await this.options.queue.send(
        'NotifyEVChargingSchedule',
        request,
      )) as NotifyEVChargingScheduleResponse;
    } catch (error) {
      return notSent(error, '');
    }
  }

  /**
   * K16.FR.01–02: a CSMS profile for `evseId` (0: every EVSE) was accepted; each EV charging on an
   * agreed schedule there must renegotiate: `renegotiate(evseId)` is called once per renegotiation.
   */
  profileChanged(evseId: number, renegotiate: (evseId: number) => void): void {
    for (const [id, session] of this.sessions) {
      if (!(evseId === 0 || id === evseId) || !session.negotiated || session.csmsRenegotiation) continue;
      session.csmsRenegotiation = true;
      renegotiate(id);
    }
  }

  /**
   * The session on `evseId` ended (transaction over): its needs, schedule and renegotiation are
   * gone. The caller re-evaluates the composite schedules.
   */
  sessionEnded(evseId: number): void {
    this.sessions.delete(evseId);
  }

  private session(evseId: number): Session {
    let session = this.sessions.get(evseId);
    if (session === undefined) {
      session = { needsSent: false, negotiated: false, csmsRenegotiation: false };
      this.sessions.set(evseId, session);
    }
    return session;
  }

  private requireEvse(evseId: number): void {
    if (!this.options.evses.some((evse) => evse.id === evseId)) {
      throw new RangeError(`evseId: the station has no EVSE ${evseId}`);
    }
  }
}
