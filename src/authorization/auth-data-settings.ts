/**
 * The device-model variables of the Authorization Cache (AuthCacheCtrlr, C10) and the Local
 * Authorization List (LocalAuthListCtrlr, D01), and the settings read from them at each use
 * (authorization-data.ts), so a SetVariables takes effect at once.
 */
import type { DeviceModelPort, VariableRef } from '../runtime/ports.js';
import { cachePolicy, type CacheSettings } from './auth-cache.js';
import type { LocalListLimits } from './local-list.js';

const cacheCtrlr = (variable: string): VariableRef => ({ component: 'AuthCacheCtrlr', variable });
const listCtrlr = (variable: string): VariableRef => ({ component: 'LocalAuthListCtrlr', variable });

/** The device-model variables of the cache and the list. */
export const AUTH_DATA_VARIABLES = {
  cacheEnabled: cacheCtrlr('Enabled'),
  cacheLifeTime: cacheCtrlr('LifeTime'),
  cachePolicy: cacheCtrlr('Policy'),
  cacheStorage: cacheCtrlr('Storage'),
  listEnabled: listCtrlr('Enabled'),
  listEntries: listCtrlr('Entries'),
  listStorage: listCtrlr('Storage'),
  listItemsPerMessage: listCtrlr('ItemsPerMessage'),
  listBytesPerMessage: listCtrlr('BytesPerMessage'),
  listSupportsExpiryDateTime: listCtrlr('SupportsExpiryDateTime'),
} satisfies Record<string, VariableRef>;

/** AuthCacheCtrlr.LifeTime, Storage (its maxLimit) and Policy, read at each use. */
export function cacheSettingsOf(dm: DeviceModelPort): CacheSettings {
  const lifeTime = dm.getInteger(AUTH_DATA_VARIABLES.cacheLifeTime);
  return {
    lifeTimeS: lifeTime === undefined || lifeTime < 0 ? undefined : lifeTime,
    maxBytes: dm.maxLimit?.(AUTH_DATA_VARIABLES.cacheStorage),
    policy: cachePolicy(dm.get(AUTH_DATA_VARIABLES.cachePolicy)),
  };
}

/** LocalAuthListCtrlr.Entries and Storage (their maxLimit), ItemsPerMessage and BytesPerMessage, read at each use. */
export function localListLimitsOf(dm: DeviceModelPort): LocalListLimits {
  const positive = (value: number | undefined) => (value === undefined || value <= 0 ? undefined : value);
  return {
    maxEntries: dm.maxLimit?.(AUTH_DATA_VARIABLES.listEntries),
    maxBytes: dm.maxLimit?.(AUTH_DATA_VARIABLES.listStorage),
    itemsPerMessage: positive(dm.getInteger(AUTH_DATA_VARIABLES.listItemsPerMessage)),
    bytesPerMessage: positive(dm.getInteger(AUTH_DATA_VARIABLES.listBytesPerMessage)),
  };
}
