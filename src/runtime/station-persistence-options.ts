/**
 * What StationPersistence (src/runtime/station-persistence.ts) needs from the runtime; the
 * runtime hands it a ports object (src/runtime/station-ports.ts `PersistencePorts`).
 */
import type { AnyActorRef } from 'xstate';
import type { OwnedMessage } from '../queue/message-queue.js';
import type { StationJournal } from '../store/journal.js';
import type { TimerScheduler } from './timers.js';

/** What the coordinator needs from the runtime. */
export interface StationPersistenceOptions {
  journal: StationJournal;
  /** Hands stored messages to the queue. */
  adopt(messages: OwnedMessage[]): void;
  evseIds: readonly number[];
  /** The running EVSE actor (undefined before start / after stop). */
  evse(evseId: number): AnyActorRef | undefined;
  /** Station-level operational status (row evse 0 / connector 0 of `availability`). */
  stationOperative(): boolean | undefined;
  machineVersion: number;
  nowIso(): string;
  reportError(error: unknown): void;
  timers: TimerScheduler;
  /** The running `reservation:<id>` actor (H01), and the version stored with its snapshots. */
  reservation?(reservationId: number): AnyActorRef | undefined;
  reservationMachineVersion?: number;
  /** The running `firmware` actor (L01), and the version stored with its snapshot. */
  firmware?(): AnyActorRef | undefined;
  firmwareMachineVersion?: number;
  /** The running `log-upload` actor (N01), and the version stored with its snapshot. */
  logUpload?(): AnyActorRef | undefined;
  logUploadMachineVersion?: number;
}
