/**
 * C01/C02/C15 basics: is this idToken allowed to charge? The lookup order of the specification,
 * with a seam for the authorization cache and the local list (C10–C14, the next issue):
 *
 * 1. AuthCtrlr.Enabled false: no authorization is done (Accepted, nothing asked).
 * 2. idToken type NoAuthorization: Accepted without asking (Part 6 §2.1: no AuthorizeRequest).
 * 3. The local seam (`local.lookup`), when it knows the token and LocalPreAuthorize allows.
 * 4. DisableRemoteAuthorization true: the CSMS is not asked; an unknown token is Unknown (TC_E_52).
 * 5. Online (connected and Accepted): AuthorizeRequest (C01.FR.01); the answer decides.
 * 6. Offline (or no answer): OfflineTxForUnknownIdEnabled decides (C15.FR.01); else Unknown.
 */
import type { RegistrationStatus } from '../../machines/boot.js';
import type {
  AuthorizeRequest,
  AuthorizeResponse,
  IdTokenInfoType,
  IdTokenType,
} from '../generated/ocpp-types.js';
import type { DeviceModelPort, VariableRef } from '../runtime/ports.js';

const auth = (variable: string): VariableRef => ({ component: 'AuthCtrlr', variable });

/** Variables of AuthCtrlr that authorization reads. */
export const AUTH_VARIABLES = {
  enabled: auth('Enabled'),
  authorizeRemoteStart: auth('AuthorizeRemoteStart'),
  disableRemoteAuthorization: auth('DisableRemoteAuthorization'),
  localPreAuthorize: auth('LocalPreAuthorize'),
  localAuthorizeOffline: auth('LocalAuthorizeOffline'),
  offlineTxForUnknownIdEnabled: auth('OfflineTxForUnknownIdEnabled'),
  masterPassGroupId: auth('MasterPassGroupId'),
} satisfies Record<string, VariableRef>;

/** Where a verdict came from. */
export type AuthorizationSource = 'disabled' | 'noAuthorization' | 'local' | 'csms' | 'offline';

export interface AuthorizationVerdict {
  idTokenInfo: IdTokenInfoType;
  source: AuthorizationSource;
}

/**
 * The authorization cache and local list (C10–C14): what the station knows of a token without
 * asking. Implemented by the next issue; absent, nothing is known locally.
 */
export interface LocalAuthorizationPort {
  /** The stored IdTokenInfo, or undefined when unknown. `online` says whether the CSMS could be asked. */
  lookup(idToken: IdTokenType, online: boolean): IdTokenInfoType | undefined;
  /** The CSMS said this of a token (Authorize and TransactionEvent responses, C10.FR.04/05). */
  learned?(idToken: IdTokenType, info: IdTokenInfoType): void;
}

export interface AuthorizeTokenDeps {
  deviceModel: DeviceModelPort;
  /** Sends AuthorizeRequest; rejects when it cannot be delivered or answered. */
  authorize(request: AuthorizeRequest): Promise<AuthorizeResponse>;
  /** The websocket is open and the station is Accepted: the CSMS can be asked. */
  online(): boolean;
  registration(): RegistrationStatus;
  local?: LocalAuthorizationPort;
}

/**
 * The verdict on `idToken` (never throws: a failed AuthorizeRequest counts as offline).
 *
 * @example
 * const { idTokenInfo } = await authorizeToken(deps, { idToken: 'ABC123', type: 'ISO14443' });
 * if (idTokenInfo.status === 'Accepted') start();
 */
export async function authorizeToken(deps: AuthorizeTokenDeps, idToken: IdTokenType): Promise<AuthorizationVerdict> {
  const dm = deps.deviceModel;
  if (dm.getBoolean(AUTH_VARIABLES.enabled) === false) {
    return { idTokenInfo: { status: 'Accepted' }, source: 'disabled' };
  }
  if (idToken.type === 'NoAuthorization') return { idTokenInfo: { status: 'Accepted' }, source: 'noAuthorization' };
  const online = deps.online();
  const known = deps.local?.lookup(idToken, online);
  // C12.FR.02 / C14.FR.02: a locally Accepted token starts at once when LocalPreAuthorize allows
  // (online), or when LocalAuthorizeOffline allows (offline).
  if (known?.status === 'Accepted') {
    const allowed = online
      ? dm.getBoolean(AUTH_VARIABLES.localPreAuthorize) === true
      : dm.getBoolean(AUTH_VARIABLES.localAuthorizeOffline) !== false;
    if (allowed) return { idTokenInfo: known, source: 'local' };
  }
  if (dm.getBoolean(AUTH_VARIABLES.disableRemoteAuthorization) === true) {
    return { idTokenInfo: known ?? { status: 'Unknown' }, source: 'local' };
  }
  if (online) {
    try {
      const response = await deps.authorize({ idToken });
      deps.local?.learned?.(idToken, response.idTokenInfo);
      return { idTokenInfo: response.idTokenInfo, source: 'csms' };
    } catch {
      // Not delivered or not answered: decide as offline (C15).
    }
  }
  if (known !== undefined) return { idTokenInfo: known, source: 'local' };
  // C15.FR.01: offline, an unknown token is allowed when OfflineTxForUnknownIdEnabled.
  if (dm.getBoolean(AUTH_VARIABLES.offlineTxForUnknownIdEnabled) === true) {
    return { idTokenInfo: { status: 'Accepted' }, source: 'offline' };
  }
  return { idTokenInfo: { status: 'Unknown' }, source: 'offline' };
}
