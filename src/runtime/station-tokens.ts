/**
 * The running station's view of tokens: the verdict on one (C01) and what the local list or the
 * cache says of one without asking the CSMS. Both consult the host's `localAuthorization` port when
 * it gives one, else the station's own Authorization Cache and Local Authorization List.
 */
import type { RegistrationStatus } from '../../machines/boot.js';
import {
  authorizeToken,
  type AuthorizationVerdict,
  type LocalAuthorizationPort,
} from '../authorization/authorize-token.js';
import type { AuthorizationData } from '../authorization/authorization-data.js';
import type { AuthorizeResponse, IdTokenInfoType, IdTokenType } from '../generated/ocpp-types.js';
import type { MessageQueue } from '../queue/message-queue.js';
import type { DeviceModelPort } from './ports.js';

/** What the token checks use. */
export interface StationTokensOptions {
  deviceModel: DeviceModelPort;
  queue: Pick<MessageQueue, 'send'>;
  /** The station's own cache and list (StationRuntime.authorization). */
  own: AuthorizationData;
  /** The host's replacement of them (StationRuntimeOptions.localAuthorization), if any. */
  replacement: LocalAuthorizationPort | undefined;
  /** Connected and Accepted: an AuthorizeRequest can be sent. */
  online(): boolean;
  registration(): RegistrationStatus;
}

/**
 * @example
 * const tokens = new StationTokens({ deviceModel, queue, own: authorization, replacement: undefined, online, registration });
 * const { idTokenInfo } = await tokens.authorize({ idToken: '04A2B3C4', type: 'ISO14443' });
 */
export class StationTokens {
  constructor(private readonly options: StationTokensOptions) {}

  /** The cache and list authorization uses: the `localAuthorization` option, else the station's own. */
  get local(): LocalAuthorizationPort {
    return this.options.replacement ?? this.options.own;
  }

  /** C01: the verdict on a token (cache/list seam, AuthorizeRequest, offline rules). */
  authorize(idToken: IdTokenType): Promise<AuthorizationVerdict> {
    const { options } = this;
    return authorizeToken(
      {
        deviceModel: options.deviceModel,
        authorize: async (request) => (await options.queue.send('Authorize', request)) as AuthorizeResponse,
        online: () => options.online(),
        registration: () => options.registration(),
        local: this.local,
      },
      idToken,
    );
  }

  /**
   * What the local list (first, C13.FR.01) or the cache says of a token, without asking the CSMS
   * (C09.FR.07 group stops, C16.FR.04/05 master pass).
   */
  known(idToken: IdTokenType): IdTokenInfoType | undefined {
    const local = this.options.replacement;
    // The station's own data looks without counting a use of a cache entry.
    if (!local) return this.options.own.localEntry(idToken)?.info;
    return local.localListEntry(idToken) ?? local.cacheEntry(idToken);
  }
}
