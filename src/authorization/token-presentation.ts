/**
 * What happens when a driver presents an idToken at the station (a card reader, a PIN pad, an app):
 * it ends the authorization it started (E07, no AuthorizeRequest: E07.FR.01), or one of its group
 * (C09), or it is authorized (C01) and handed to an EVSE whose session then starts or continues as
 * TxStartPoint says. A token that is not Accepted changes nothing (E02.FR.20 note; Part 6 TC_C_02).
 * An Accepted token that neither owns nor can start anything (the EVSE is busy with another
 * driver, TC_C_04) changes nothing either. Presentations are handled one at a time.
 */
import { randomUUID } from 'node:crypto';
import type { TransactionContext } from '../../machines/transaction-rules.js';
import type { StationEvent } from '../../machines/station.js';
import type {
  AuthorizationStatusEnumType,
  ConnectorStatusEnumType,
  IdTokenInfoType,
  IdTokenType,
} from '../generated/ocpp-types.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import type { AuthorizationVerdict } from './authorize-token.js';
import { idTokenKey } from './id-token-key.js';
import { reservationChoice, type ReservationGate } from '../reservations/reservation-choice.js';

/** What became of a presented token. */
export interface PresentationResult {
  /**
   * `started`: authorized on an EVSE; `stopped`: it ended an authorization; `unlocked`: it released
   * the cable kept locked for it (E05.FR.11, E09.FR.03); `rejected`: not Accepted or nowhere to go;
   * `ignored`: Accepted but it changes nothing; `masterPass`: a master-pass token opened the
   * station's master-pass UI (C16.FR.01), `evseIds` lists what can be stopped.
   */
  action: 'started' | 'stopped' | 'unlocked' | 'rejected' | 'ignored' | 'masterPass';
  status: AuthorizationStatusEnumType;
  evseId?: number;
  transactionId?: string;
  /** A master-pass token (C16): the EVSEs whose transactions it stopped, or (UI) can stop. */
  evseIds?: number[];
  idTokenInfo?: IdTokenInfoType;
  /** Why, in words, for `rejected` and `ignored`. */
  reason?: string;
}

export interface TokenPresentationDeps {
  evses: readonly EvseStructure[];
  /** The open session of an EVSE. */
  session(evseId: number): TransactionContext | undefined;
  /** OCPP status of a connector. */
  connectorStatus(evseId: number, connectorId: number): ConnectorStatusEnumType | undefined;
  authorize(idToken: IdTokenType): Promise<AuthorizationVerdict>;
  send(event: StationEvent): void;
  nowIso(): string;
  energyWh(evseId: number): number | undefined;
  /** Releases the cable kept locked for this token, if any (E09.FR.03). */
  releaseHeldCable?(idToken: IdTokenType): Promise<{ evseId: number; connectorId: number } | undefined>;
  /**
   * What the local list or the cache says of a token, without asking the CSMS and without counting
   * as a use (C09.FR.07: a valid local token of the same group ends a session without Authorize).
   */
  known?(idToken: IdTokenType): IdTokenInfoType | undefined;
  /** AuthCtrlr.MasterPassGroupId now (C16); undefined or empty: no master pass. */
  masterPassGroupId?(): string | undefined;
  /**
   * The station has a UI for the master pass (C16.FR.01): the choice is shown here and the user's
   * selection comes back through `selectMasterPass`. Absent: no UI, a master pass stops every
   * transaction (C16.FR.02).
   */
  showMasterPassUi?(choice: MasterPassChoice): void;
  /** H03: reservations; an EVSE reserved for another token is not used (src/reservations/). */
  reservations?: ReservationGate;
}

/** What the master-pass UI offers (C16.FR.01). */
export interface MasterPassChoice {
  idToken: IdTokenType;
  /** EVSEs with an authorized session the user may stop, ascending. */
  evseIds: number[];
}

/** Part 2 §C.1.1: an IdToken is a case-insensitive string and a type (as the cache and list key them). */
const sameToken = (a: IdTokenType | null | undefined, b: IdTokenType) =>
  a !== null && a !== undefined && idTokenKey(a) === idTokenKey(b);

/**
 * @example
 * const presentation = new TokenPresentation(deps);
 * const result = await presentation.present({ idToken: 'ABC', type: 'ISO14443' }, 1);
 */
export class TokenPresentation {
  private tail: Promise<unknown> = Promise.resolve();
  /** The master-pass choice the UI shows (C16.FR.01) until the user selects. */
  private masterPassChoice: MasterPassChoice | null = null;

  constructor(private readonly deps: TokenPresentationDeps) {}

  /** Handles one presentation after the ones before it. */
  present(idToken: IdTokenType, evseId?: number): Promise<PresentationResult> {
    const run = this.tail.then(() => this.handle(idToken, evseId));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async handle(idToken: IdTokenType, evseId: number | undefined): Promise<PresentationResult> {
    const { deps } = this;
    if (evseId !== undefined && !deps.evses.some((e) => e.id === evseId)) {
      throw new RangeError(`no EVSE ${evseId} (this station has EVSE ${deps.evses.map((e) => e.id).join(', ')})`);
    }
    const candidates = evseId === undefined ? deps.evses.map((e) => e.id) : [evseId];
    // E07.FR.01: the token that authorized a session ends it, without asking the CSMS.
    for (const id of candidates) {
      const session = deps.session(id);
      if (session?.authorized && sameToken(session.idToken, idToken)) {
        this.stop(id, idToken);
        return { action: 'stopped', status: 'Accepted', evseId: id, transactionId: session.transactionId };
      }
    }
    // E05.FR.11 / E09.FR.03: the owner of a cable kept locked gets it back, with no new session.
    const held = await deps.releaseHeldCable?.(idToken);
    if (held && (evseId === undefined || held.evseId === evseId)) {
      return { action: 'unlocked', status: 'Accepted', evseId: held.evseId };
    }
    // C09.FR.07 (b): a token the local list or cache holds as Accepted, of the session's group, ends
    // it without an AuthorizeRequest (a master-pass group is not a session's group: C16.FR.03).
    const local = deps.known?.(idToken);
    if (local?.status === 'Accepted' && local.groupIdToken && !this.isMasterPass(local)) {
      const stopped = this.stopGroup(candidates, idToken, local.groupIdToken, local);
      if (stopped) return stopped;
    }
    const verdict = await deps.authorize(idToken);
    const info = verdict.idTokenInfo;
    // C09.FR.11: a token that is not Accepted stops nothing, whatever its group.
    if (info.status !== 'Accepted') {
      return { action: 'rejected', status: info.status, idTokenInfo: info, reason: `the token is ${info.status}` };
    }
    if (this.isMasterPass(info)) return this.masterPass(idToken, info);
    // C09.FR.03/05: a token of the same group ends the session too.
    const group = info.groupIdToken;
    if (group) {
      const stopped = this.stopGroup(candidates, idToken, group, info);
      if (stopped) return stopped;
    }
    // H03.FR.01–06: not on an EVSE reserved for another token; the token's reserved EVSE first.
    const reserved = await reservationChoice(deps.reservations, candidates, idToken, group);
    if (reserved.allowed.length === 0) {
      const reason = `reserved for another token (EVSE ${reserved.refused.join(', ')})`;
      return { action: evseId === undefined ? 'rejected' : 'ignored', status: 'Accepted', idTokenInfo: info, reason };
    }
    const target = this.chooseEvse(reserved.allowed, idToken, info);
    if (typeof target === 'string') return { action: evseId === undefined ? 'rejected' : 'ignored', status: 'Accepted', idTokenInfo: info, reason: target };
    const existing = deps.session(target);
    const txId = existing?.transactionId ?? randomUUID();
    const energyWh = deps.energyWh(target);
    deps.send({
      type: 'auth.accepted',
      evseId: target,
      idToken,
      ...(group ? { groupIdToken: group } : {}),
      // H01.FR.15 / H03.FR.09: the reservation it uses (consumed by the station, named in the TransactionEvent).
      ...(reserved.reservationFor.has(target) ? { reservationId: reserved.reservationFor.get(target) as number } : {}),
      at: deps.nowIso(),
      txId,
      ...(energyWh === undefined ? {} : { energyWh }),
    });
    return { action: 'started', status: 'Accepted', evseId: target, transactionId: txId, idTokenInfo: info };
  }

  /**
   * C16: the user of the master-pass UI chose which transactions to stop (`all`, or EVSE ids of the
   * open choice). Each ends as E07 says, with stoppedReason MasterPass. Throws when no choice is
   * open or an EVSE is not part of it.
   */
  selectMasterPass(selection: 'all' | readonly number[]): { evseIds: number[]; transactionIds: string[] } {
    const choice = this.masterPassChoice;
    if (!choice) throw new Error('no master-pass choice is open: present a master-pass token first');
    const chosen = selection === 'all' ? choice.evseIds : [...selection];
    const unknown = chosen.filter((id) => !choice.evseIds.includes(id));
    if (unknown.length > 0) {
      throw new RangeError(
        `EVSE ${unknown.join(', ')} not in the master-pass choice (${choice.evseIds.join(', ') || 'none'})`,
      );
    }
    this.masterPassChoice = null;
    return this.stopForMasterPass(chosen, choice.idToken);
  }

  /** The master-pass choice the UI shows now (C16.FR.01), if any. */
  get openMasterPassChoice(): MasterPassChoice | null {
    return this.masterPassChoice;
  }

  private isMasterPass(info: IdTokenInfoType): boolean {
    const masterGroup = this.deps.masterPassGroupId?.();
    return masterGroup !== undefined && masterGroup !== '' && info.groupIdToken?.idToken === masterGroup;
  }

  /**
   * C16.FR.02: without a UI every transaction stops; C16.FR.01: with one, the choice is shown.
   * C12.FR.09 / C16.FR.03: either way the token starts nothing.
   */
  private masterPass(idToken: IdTokenType, info: IdTokenInfoType): PresentationResult {
    const evseIds = this.deps.evses
      .map((e) => e.id)
      .filter((id) => this.deps.session(id)?.authorized === true);
    if (evseIds.length === 0) {
      return {
        action: 'rejected',
        status: 'Accepted',
        idTokenInfo: info,
        evseIds,
        reason: 'a master-pass token cannot start a transaction (C16.FR.03) and none is running',
      };
    }
    if (this.deps.showMasterPassUi) {
      this.masterPassChoice = { idToken, evseIds };
      this.deps.showMasterPassUi({ idToken, evseIds: [...evseIds] });
      return { action: 'masterPass', status: 'Accepted', idTokenInfo: info, evseIds };
    }
    this.stopForMasterPass(evseIds, idToken);
    return { action: 'stopped', status: 'Accepted', idTokenInfo: info, evseIds };
  }

  private stopForMasterPass(evseIds: readonly number[], idToken: IdTokenType): { evseIds: number[]; transactionIds: string[] } {
    const stopped: number[] = [];
    const transactionIds: string[] = [];
    for (const id of evseIds) {
      const session = this.deps.session(id);
      if (!session?.authorized) continue; // ended meanwhile
      this.stop(id, idToken, 'MasterPass');
      stopped.push(id);
      transactionIds.push(session.transactionId);
    }
    return { evseIds: stopped, transactionIds };
  }

  /** Ends the first authorized session of `group` among `candidates` (C09.FR.03). */
  private stopGroup(
    candidates: readonly number[],
    idToken: IdTokenType,
    group: IdTokenType,
    info: IdTokenInfoType,
  ): PresentationResult | undefined {
    for (const id of candidates) {
      const session = this.deps.session(id);
      if (session?.authorized && sameToken(session.groupIdToken, group)) {
        this.stop(id, idToken);
        return { action: 'stopped', status: 'Accepted', evseId: id, transactionId: session.transactionId, idTokenInfo: info };
      }
    }
    return undefined;
  }

  private stop(evseId: number, idToken: IdTokenType, reason: 'Local' | 'MasterPass' = 'Local'): void {
    const energyWh = this.deps.energyWh(evseId);
    this.deps.send({
      type: 'auth.stop',
      evseId,
      idToken,
      reason,
      at: this.deps.nowIso(),
      ...(energyWh === undefined ? {} : { energyWh }),
    });
  }

  /**
   * The EVSE a new authorization goes to: the one whose EV waits for it, else one with a cable
   * plugged in and nobody authorized, else the first free one (every connector Available). idTokenInfo.evseId, when given, limits the choice (C01.FR.21).
   * A string says why there is none.
   */
  private chooseEvse(candidates: number[], idToken: IdTokenType, info: IdTokenInfoType): number | string {
    const { deps } = this;
    // C01.FR.19/21: an empty or absent evseId list allows every EVSE.
    const allowed = candidates.filter((id) => !info.evseId?.length || info.evseId.includes(id));
    if (allowed.length === 0) return 'the token may not be used on this EVSE (idTokenInfo.evseId)';
    // C01.FR.23: a transaction whose authorization ended takes none from a different token.
    const takes = (id: number) => {
      const session = deps.session(id);
      if (session === undefined) return true;
      if (session.authorized || session.ended) return false;
      return !session.started || session.idToken === null || sameToken(session.idToken, idToken);
    };
    // Reserved counts as Available here: only EVSEs this token may use are candidates (H03).
    const statuses = (id: number) =>
      deps.evses
        .find((e) => e.id === id)
        ?.connectors.map((c) => deps.connectorStatus(id, c.id))
        .map((status) => (status === 'Reserved' ? 'Available' : status)) ?? [];
    const usable = (id: number) => statuses(id).some((status) => status === 'Available' || status === 'Occupied');
    const waiting = allowed.find((id) => takes(id) && usable(id) && deps.session(id)?.evConnected === true);
    if (waiting !== undefined) return waiting;
    // A cable is plugged in (Occupied) and nobody is authorized there: the token is for it.
    const plugged = allowed.find((id) => takes(id) && statuses(id).includes('Occupied'));
    if (plugged !== undefined) return plugged;
    const free = allowed.find((id) => takes(id) && statuses(id).every((status) => status === 'Available'));
    if (free !== undefined) return free;
    return candidates.length === 1
      ? `EVSE ${candidates[0]} is not free (in use, unavailable or faulted)`
      : 'no EVSE is free';
  }
}
