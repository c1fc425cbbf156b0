/**
 * The `socket` actor of the connection statechart: one websocket + RPC session for one network
 * connection profile slot, opened on entry and closed when the statechart leaves the session. It
 * reports `ws.opened` / `ws.closed` back and tells its host when the link goes up or down.
 */
import { fromCallback } from 'xstate';
import type { AnyActorSystem } from './system-effects.js';
import type { ConnectionEvent } from '../../machines/connection.js';
import type { ChargePointCallbacks } from '../callbacks.js';
import type { NetworkProfileSlot } from './network-profiles.js';
import type { DeviceModelPort } from './ports.js';
import { messageTimeoutMs } from './connection-data-check.js';
import { adoptConnectedProfile, NetworkProfileError } from './network-profiles.js';
import { openSession, type Session, type SessionOptions, type TlsMaterial } from './session.js';
import { readSettings, VARIABLES } from './settings.js';
import { NUMBER_RULES, readSetting } from './setting-rules.js';

/** What the socket actor needs from the running station. */
export interface SocketHost {
  stationId: string;
  deviceModel: DeviceModelPort;
  callbacks: ChargePointCallbacks;
  /** Certificates of an attempt with this security profile (src/security/certificate-manager.ts). */
  tls?(securityProfile: number): TlsMaterial | undefined;
  /** The stored profile of a configuration slot. */
  profile(slot: number): NetworkProfileSlot | undefined;
  /** A dispatcher for the CSMS's CALLs of this session. */
  createDispatch(): SessionOptions['dispatch'];
  /** The registration gate for the CSMS's CALLs. */
  gate: NonNullable<SessionOptions['gate']>;
  /** Every frame in both directions (ocppMessagesCallback), if anyone listens. */
  onFrame?: SessionOptions['onFrame'];
  /** The link is up on `slot`: attach the session; returns the seconds spent offline (null on the first connection). */
  linkUp(session: Session, slot: number): number | null;
  linkDown(): void;
  connectFailed(error: unknown): void;
  invalidFrame(description: string): void;
  reportError(error: unknown): void;
}

/**
 * Creates the actor logic to provide as the connection statechart's `socket` actor; `hostOf` finds
 * the station's host from the actor system (one provided machine serves every station).
 *
 * @example
 * connectionMachine.provide({ actors: { socket: socketActor(() => host) } });
 */
export function socketActor(hostOf: (system: AnyActorSystem) => SocketHost) {
  return fromCallback<ConnectionEvent, { slot: number }>(({ sendBack, input, system }) => {
    const host = hostOf(system);
    const dm = host.deviceModel;
    const profile = host.profile(input.slot);
    if (!profile) {
      host.reportError(new NetworkProfileError(`no network connection profile in slot ${input.slot}`));
      setImmediate(() => sendBack({ type: 'ws.closed', reason: 'no profile' }));
      return () => undefined;
    }
    const settings = readSettings(dm);
    const password = dm.get(VARIABLES.basicAuthPassword);
    let open = false;
    const down = () => {
      if (!open) return;
      open = false;
      host.linkDown();
      host.callbacks.connectionStateChangedCallback?.(false, input.slot, profile.connectionData);
    };
    const session = openSession(
      {
        csmsUrl: profile.connectionData.ocppCsmsUrl,
        identity: dm.get(VARIABLES.identity) ?? host.stationId,
        securityProfile: profile.connectionData.securityProfile,
        ...(password ? { basicAuthPassword: password } : {}),
        ...tlsOf(host, profile.connectionData.securityProfile),
        pingIntervalS: settings.webSocketPingIntervalS,
        // A profile's unusable timeout (stored before it was checked) falls back to MessageTimeout.
        // Read at every CALL: the one variable, not every setting (issue 9).
        messageTimeoutMs: () =>
          messageTimeoutMs(profile.connectionData, readSetting(dm, NUMBER_RULES.messageTimeout)),
        dispatch: host.createDispatch(),
        gate: host.gate,
        ...(host.onFrame ? { onFrame: host.onFrame } : {}),
        // A CALL the station refused with a CALLERROR is the CSMS's error, already answered and
        // visible in the frames (ocppMessagesCallback): not a failure of this station.
        onError: (e) => {
          if ((e as { kind?: string }).kind !== 'rejected-call') host.reportError(e);
        },
        onConnectFailed: (error) => host.connectFailed(error),
        onInvalidFrame: (description) => host.invalidFrame(description),
      },
      {
        opened: (s) => {
          open = true;
          // Errata 2025-09: ActiveNetworkProfile (required) is the slot the station is connected with.
          if (dm.getInteger(VARIABLES.activeNetworkProfile) !== input.slot) {
            dm.set(VARIABLES.activeNetworkProfile, String(input.slot), 'host').catch((e: unknown) =>
              host.reportError(e),
            );
          }
          adoptConnectedProfile(dm, input.slot).catch((e: unknown) => host.reportError(e));
          const offlineSeconds = host.linkUp(s, input.slot);
          host.callbacks.connectionStateChangedCallback?.(true, input.slot, profile.connectionData);
          sendBack({ type: 'ws.opened', slot: input.slot, offlineSeconds });
        },
        closed: (info) => {
          down();
          sendBack({ type: 'ws.closed', ...info });
        },
      },
    );
    // Leaving the session state (offline command, reboot) closes the socket.
    return () => {
      down();
      session.close();
    };
  });
}

/** The TLS material of an attempt, as a spreadable option. */
function tlsOf(host: SocketHost, securityProfile: number): { tls?: TlsMaterial } {
  const tls = host.tls?.(securityProfile);
  return tls ? { tls } : {};
}
