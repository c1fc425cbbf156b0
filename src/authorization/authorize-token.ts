/**
 * C01/C10–C15: is this idToken allowed to charge? The lookup order of the specification:
 *
 * 1. AuthCtrlr.Enabled false: no authorization is done (Accepted, nothing asked).
 * 2. idToken type NoAuthorization: Accepted without asking (Part 6 §2.1: no AuthorizeRequest).
 * 3. What the station knows (local list before cache) and the settings decide, or the CSMS is asked
 *    (`planAuthorization`, pure).
 * 4. Online (connected and Accepted): AuthorizeRequest (C01.FR.01); the answer decides and is cached.
 * 5. No answer: decided as offline.
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
 * asking. Implemented by `AuthorizationData` (src/authorization/authorization-data.ts); absent,
 * nothing is known locally.
 */
export interface LocalAuthorizationPort {
  /**
   * The Local Authorization List entry (D01): undefined when the list is disabled
   * (LocalAuthListCtrlr.Enabled false), the token is not in it, or (LocalAuthListCtrlr.SupportsExpiryDateTime
   * true) its cacheExpiryDateTime has passed (C14.FR.05: as if not present).
   */
  localListEntry(idToken: IdTokenType): IdTokenInfoType | undefined;
  /**
   * The token is in the Local Authorization List but its cacheExpiryDateTime has passed
   * (SupportsExpiryDateTime): disregarded as if not listed (C14.FR.05), yet not an "unknown id"
   * offline (C13.FR.05/06 note).
   */
  localListLapsed?(idToken: IdTokenType): boolean;
  /**
   * The Authorization Cache entry (C10): undefined when the cache is disabled (AuthCacheCtrlr.Enabled
   * false) or the token is not cached. An entry whose validity ended (cacheExpiryDateTime, or
   * LifeTime since last use: C10.FR.08/13) comes back with status Expired (C10.FR.10). A lookup
   * counts as a use (LifeTime and least-recently-used eviction).
   */
  cacheEntry(idToken: IdTokenType): IdTokenInfoType | undefined;
  /**
   * The CSMS said this of a token (Authorize and TransactionEvent responses): the cache entry is
   * added or updated (C10.FR.01/04/05, C12.FR.06), except for Central tokens (C05.FR.02) or when
   * the cache is disabled.
   */
  learned(idToken: IdTokenType, info: IdTokenInfoType): void;
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
  const local = localKnowledge(deps, idToken);
  const plan = planAuthorization({
    online,
    local,
    localPreAuthorize: dm.getBoolean(AUTH_VARIABLES.localPreAuthorize) === true,
    localAuthorizeOffline: dm.getBoolean(AUTH_VARIABLES.localAuthorizeOffline) !== false,
    disableRemoteAuthorization: dm.getBoolean(AUTH_VARIABLES.disableRemoteAuthorization) === true,
    listDisablePostAuthorize: dm.getBoolean(LIST_DISABLE_POST_AUTHORIZE) === true,
    cacheDisablePostAuthorize: dm.getBoolean(CACHE_DISABLE_POST_AUTHORIZE) === true,
    offlineTxForUnknownIdEnabled: dm.getBoolean(AUTH_VARIABLES.offlineTxForUnknownIdEnabled) === true,
    lapsedInList: deps.local?.localListLapsed?.(idToken) === true,
  });
  if (plan.kind === 'decided') return plan.verdict;
  try {
    const response = await deps.authorize({ idToken });
    // C10.FR.04 / C12.FR.06: the answer updates the cache.
    deps.local?.learned(idToken, response.idTokenInfo);
    return { idTokenInfo: response.idTokenInfo, source: 'csms' };
  } catch {
    // Not delivered or not answered: decided as offline (C15).
    const offline = planAuthorization({ ...plan.facts, online: false });
    return offline.kind === 'decided' ? offline.verdict : { idTokenInfo: { status: 'Unknown' }, source: 'offline' };
  }
}

const LIST_DISABLE_POST_AUTHORIZE: VariableRef = { component: 'LocalAuthListCtrlr', variable: 'DisablePostAuthorize' };
const CACHE_DISABLE_POST_AUTHORIZE: VariableRef = { component: 'AuthCacheCtrlr', variable: 'DisablePostAuthorize' };

/** What the station knows of a token without asking: the local list wins over the cache (C13.FR.01, C14.FR.01). */
export interface LocalKnowledge {
  info: IdTokenInfoType;
  from: 'localList' | 'cache';
}

function localKnowledge(deps: AuthorizeTokenDeps, idToken: IdTokenType): LocalKnowledge | undefined {
  const listed = deps.local?.localListEntry(idToken);
  if (listed) return { info: listed, from: 'localList' };
  const cached = deps.local?.cacheEntry(idToken);
  return cached ? { info: cached, from: 'cache' } : undefined;
}

/** The facts the lookup order depends on (settings read from the device model). */
export interface AuthorizationFacts {
  /** Connected and Accepted: the CSMS can be asked. */
  online: boolean;
  local: LocalKnowledge | undefined;
  localPreAuthorize: boolean;
  localAuthorizeOffline: boolean;
  disableRemoteAuthorization: boolean;
  listDisablePostAuthorize: boolean;
  cacheDisablePostAuthorize: boolean;
  offlineTxForUnknownIdEnabled: boolean;
  /** In the local list past its cacheExpiryDateTime (SupportsExpiryDateTime): see localListLapsed. */
  lapsedInList?: boolean;
}

export type AuthorizationPlan =
  | { kind: 'decided'; verdict: AuthorizationVerdict }
  | { kind: 'ask'; facts: AuthorizationFacts };

/**
 * The lookup order of C10–C15 as a pure decision: either a verdict from what the station knows, or
 * "ask the CSMS" (AuthorizeRequest). Choices where the specification leaves room are in
 * docs/authorization.md.
 *
 * Online:
 * - a locally Accepted token starts at once when LocalPreAuthorize is true (C12.FR.02, C14.FR.02);
 * - a locally known token that is not Accepted is checked with the CSMS (C10.FR.03, C12.FR.05,
 *   C14.FR.03) unless DisablePostAuthorize of its store is true: then the stored status stands;
 * - DisableRemoteAuthorization: nothing is asked; what is known stands, an unknown token is Unknown.
 * Offline:
 * - a locally known token is decided by its stored status when LocalAuthorizeOffline is true
 *   (C12, C13.FR.03, C14); when false, a known token is not allowed (only unknown tokens can be, by
 *   OfflineTxForUnknownIdEnabled: a known token is not an "unknown id", C13.FR.06 note);
 * - an unknown token is Accepted when OfflineTxForUnknownIdEnabled (C15.FR.08), else Unknown.
 *
 * @example
 * planAuthorization({ ...facts, online: true, local: undefined }); // { kind: 'ask', facts }
 */
export function planAuthorization(facts: AuthorizationFacts): AuthorizationPlan {
  const { local } = facts;
  const decided = (info: IdTokenInfoType, source: AuthorizationSource): AuthorizationPlan => ({
    kind: 'decided',
    verdict: { idTokenInfo: info, source },
  });
  if (facts.online) {
    if (local) {
      if (local.info.status === 'Accepted') {
        if (facts.localPreAuthorize || facts.disableRemoteAuthorization) return decided(local.info, 'local');
      } else {
        const postAuthorizeDisabled =
          local.from === 'localList' ? facts.listDisablePostAuthorize : facts.cacheDisablePostAuthorize;
        if (postAuthorizeDisabled || facts.disableRemoteAuthorization) return decided(local.info, 'local');
      }
    } else if (facts.disableRemoteAuthorization) {
      // TC_E_52: with remote authorization disabled an unknown token is Unknown.
      return decided({ status: 'Unknown' }, 'local');
    }
    return { kind: 'ask', facts };
  }
  if (local) {
    if (facts.localAuthorizeOffline) return decided(local.info, 'local');
    return decided({ ...local.info, status: local.info.status === 'Accepted' ? 'Unknown' : local.info.status }, 'offline');
  }
  // C13.FR.05/06: a list entry whose cacheExpiryDateTime passed is not authorized offline, and it is
  // no "unknown id" that OfflineTxForUnknownIdEnabled could let through.
  if (facts.lapsedInList) return decided({ status: 'Expired' }, 'offline');
  // C15.FR.01/08: offline, an unknown token is allowed when OfflineTxForUnknownIdEnabled (and not cached).
  if (facts.offlineTxForUnknownIdEnabled) return decided({ status: 'Accepted' }, 'offline');
  return decided({ status: 'Unknown' }, 'offline');
}
