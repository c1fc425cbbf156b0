/**
 * Projection of the connector chart's `report` region (machines/connector.ts): how the CSMS comes
 * to know a connector's status when a StatusNotification is refused (CALLERROR), when the
 * connection comes back after more than OfflineThreshold (B04.FR.01: every status again), and
 * after a restart (B01.FR.05). A refused report is not retried in a loop: the next change, link or
 * resync sends what differs from what the CSMS last acknowledged. Each transition names
 * (meta.fires) the production transitions the runtime must take (reporting.model.test.ts).
 */
import { setup } from 'xstate';

export type ReportingEvent =
  | { type: 'PLUG_REFUSED' }
  | { type: 'RESERVE_REFUSED' }
  | { type: 'UNPLUG' }
  | { type: 'CANCEL_RESERVATION' }
  | { type: 'EVSE_INOPERATIVE' }
  | { type: 'EVSE_OPERATIVE' }
  | { type: 'RECONNECT' }
  | { type: 'RESTART' };

const fact = (e: string) => `connector.facts.tracking --${e}--> (internal)`;
const idx: Record<string, string[]> = {
  Available: ['Occupied', 'Reserved', 'Unavailable', 'Faulted'],
  Occupied: ['Available', 'Reserved', 'Unavailable', 'Faulted'],
  Reserved: ['Available', 'Occupied', 'Unavailable', 'Faulted'],
  Unavailable: ['Available', 'Occupied', 'Reserved', 'Faulted'],
};
const status = (from: string, to: string) =>
  `connector.status.${from} --(always)#${(idx[from] as string[]).indexOf(to)}--> connector.status.${to}`;
export const P = {
  send: 'connector.report.idle --(always)--> connector.report.sending',
  sent: 'connector.report.sending --statusNotification.done--> connector.report.idle',
  refused:
    'connector.report.sending --statusNotification.error--> connector.report.failed',
  failedBy: (e: string) => `connector.report.failed --${e}--> connector.report.idle`,
  resync: 'connector.report --status.resync--> connector.report.idle',
  evseResync: 'evse --status.resync--> (internal)',
  resumed: 'connector.report --resumed--> connector.report.idle',
  evseResumed: 'evse --resumed--> (internal)',
  link: fact('link'),
};
const fires = (...keys: string[]) => ({ meta: { fires: keys } });
/** The connection is dropped and comes back after more than OfflineThreshold: every status again. */
// The station tells the connectors the link itself (machines/station.ts broadcastLink), not through the EVSE.
const reconnect = [P.link, P.evseResync, P.resync, P.send, P.sent];

export const reportingProjection = setup({ types: { events: {} as ReportingEvent } }).createMachine({
  id: 'reportingProjection',
  initial: 'available',
  states: {
    available: {
      on: {
        PLUG_REFUSED: {
          target: 'occupiedUnreported',
          ...fires(fact('hw.plugged'), status('Available', 'Occupied'), P.send, P.refused),
        },
        RESERVE_REFUSED: {
          target: 'reservedUnreported',
          ...fires(fact('reservation.changed'), status('Available', 'Reserved'), P.send, P.refused),
        },
        RECONNECT: { target: 'available', ...fires(...reconnect) },
        // B01.FR.05: after a restart every status is sent once Accepted.
        RESTART: { target: 'available', ...fires(P.evseResumed, P.resumed, P.send, P.sent) },
      },
    },
    /** The CSMS refused the Occupied report: it still knows Available. */
    occupiedUnreported: {
      on: {
        // Back to what the CSMS knows: nothing to send.
        UNPLUG: {
          target: 'available',
          ...fires(P.failedBy('hw.*'), fact('hw.unplugged'), status('Occupied', 'Available')),
        },
        EVSE_INOPERATIVE: {
          target: 'unavailable',
          ...fires(P.failedBy('availability.effective'), status('Occupied', 'Unavailable'), P.send, P.sent),
        },
        RECONNECT: { target: 'occupied', ...fires(P.failedBy('link'), ...reconnect) },
      },
    },
    reservedUnreported: {
      on: {
        CANCEL_RESERVATION: {
          target: 'available',
          ...fires(P.failedBy('reservation.changed'), status('Reserved', 'Available')),
        },
      },
    },
    occupied: {
      on: { UNPLUG: { target: 'available', ...fires(status('Occupied', 'Available'), P.send, P.sent) } },
    },
    unavailable: {
      on: {
        EVSE_OPERATIVE: { target: 'occupied', ...fires(status('Unavailable', 'Occupied'), P.send, P.sent) },
      },
    },
  },
});
