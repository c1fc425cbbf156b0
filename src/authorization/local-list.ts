/**
 * The Local Authorization List (D01, D02, C13/C14) as pure decisions: what a SendLocalListRequest
 * does to the list (or why it is refused, leaving the list as it was: D01 failure postcondition),
 * what GetLocalListVersion answers, and what a lookup finds. `AuthorizationData` applies the
 * outcome to SQLite in one transaction (src/authorization/authorization-data.ts).
 */
import { DateTime } from 'luxon';
import type {
  AuthorizationData,
  IdTokenInfoType,
  IdTokenType,
  SendLocalListRequest,
  SendLocalListResponse,
} from '../generated/ocpp-types.js';
import { entryBytes, idTokenKey } from './id-token-key.js';

/** One entry of the list. */
export interface LocalListEntry {
  /** {@link idTokenKey} of `idToken`. */
  key: string;
  idToken: IdTokenType;
  info: IdTokenInfoType;
}

/** The list: its version (0: none installed yet, D02.FR.02), its entries by key, their bytes. */
export interface LocalListState {
  version: number;
  entries: ReadonlyMap<string, LocalListEntry>;
  bytes: number;
}

/** Limits of the device model (LocalAuthListCtrlr); undefined: no limit. */
export interface LocalListLimits {
  /** LocalAuthListCtrlr.Entries maxLimit: IdTokens the list can hold (D01.FR.12). */
  maxEntries: number | undefined;
  /** LocalAuthListCtrlr.Storage maxLimit: bytes the list can use ({@link entryBytes}). */
  maxBytes: number | undefined;
  /** LocalAuthListCtrlr.ItemsPerMessage: elements of one SendLocalListRequest (D01.FR.11). */
  itemsPerMessage: number | undefined;
  /** LocalAuthListCtrlr.BytesPerMessage: bytes of one SendLocalList CALL frame (D01.FR.11). */
  bytesPerMessage: number | undefined;
}

/** What a SendLocalListRequest does. */
export type LocalListUpdate =
  | {
      status: 'Accepted';
      /** Full: every entry is replaced by `upsert`. */
      replace: boolean;
      version: number;
      /** Entries added or updated. */
      upsert: LocalListEntry[];
      /** Keys removed (Differential without idTokenInfo, D01.FR.17). */
      remove: string[];
      /** The list afterwards. */
      after: LocalListState;
    }
  | { status: 'VersionMismatch' | 'Failed'; response: SendLocalListResponse };

const refused = (
  status: 'VersionMismatch' | 'Failed',
  reasonCode: string,
  additionalInfo: string,
): LocalListUpdate => ({
  status,
  response: { status, statusInfo: { reasonCode, additionalInfo: additionalInfo.slice(0, 512) } },
});

/**
 * What `request` does to the list `state` (enabled list; the caller answers Failed/NotEnabled for a
 * disabled one). Refusals leave the list and its version unchanged:
 *
 * - Differential with versionNumber ≤ the current version: VersionMismatch (D01.FR.19), checked first.
 * - versionNumber < 1: Failed, ValuePositiveOnly (D01.FR.18; 0 means "no list", D02).
 * - more elements than ItemsPerMessage: Failed, TooManyElements (D01.FR.11; Part 2 Appendix 5 lists
 *   TooManyElements for SendLocalList); a frame over BytesPerMessage: Failed, TooLargeElement.
 * - the same idToken twice in the request: Failed, InvalidValue (D01.FR.06: tokens are unique).
 * - Full with an element without idTokenInfo: Failed, MissingParam (only Differential removes, D01.FR.17).
 * - the list afterwards over Entries maxLimit: Failed, TooManyElements; over Storage maxLimit:
 *   Failed, OutOfStorage.
 *
 * Accepted: Full replaces the list (D01.FR.15), without elements it empties it (D01.FR.04);
 * Differential adds or updates elements with idTokenInfo (D01.FR.16) and removes those without
 * (D01.FR.17), without elements it changes nothing (D01.FR.05); the version becomes versionNumber
 * in every case (D01.FR.01, .04/.05 notes).
 *
 * @example
 * const update = planSendLocalList(state, { versionNumber: 2, updateType: 'Full', localAuthorizationList: [...] }, limits);
 * if (update.status === 'Accepted') apply(update); else respond(update.response);
 */
export function planSendLocalList(
  state: LocalListState,
  request: SendLocalListRequest,
  limits: LocalListLimits,
  messageBytes?: number,
): LocalListUpdate {
  const version = request.versionNumber;
  const full = request.updateType === 'Full';
  if (!full && version <= state.version) {
    return refused(
      'VersionMismatch',
      'InvalidValue',
      `versionNumber ${version} is not greater than the list's version ${state.version}`,
    );
  }
  if (version < 1)
    return refused('Failed', 'ValuePositiveOnly', `versionNumber ${version} must be greater than 0`);
  const items: readonly AuthorizationData[] = request.localAuthorizationList ?? [];
  if (limits.itemsPerMessage !== undefined && items.length > limits.itemsPerMessage) {
    return refused(
      'Failed',
      'TooManyElements',
      `${items.length} elements, more than ItemsPerMessageSendLocalList (${limits.itemsPerMessage})`,
    );
  }
  if (
    limits.bytesPerMessage !== undefined &&
    messageBytes !== undefined &&
    messageBytes > limits.bytesPerMessage
  ) {
    return refused(
      'Failed',
      'TooLargeElement',
      `${messageBytes} bytes, more than BytesPerMessageSendLocalList (${limits.bytesPerMessage})`,
    );
  }
  const seen = new Set<string>();
  for (const item of items) {
    const key = idTokenKey(item.idToken);
    if (seen.has(key))
      return refused(
        'Failed',
        'InvalidValue',
        `idToken ${item.idToken.idToken} (${item.idToken.type}) is listed twice`,
      );
    seen.add(key);
    if (full && item.idTokenInfo === undefined) {
      return refused(
        'Failed',
        'MissingParam',
        `a Full update needs idTokenInfo (idToken ${item.idToken.idToken})`,
      );
    }
  }
  const entries = new Map(full ? [] : state.entries);
  let bytes = full ? 0 : state.bytes;
  const upsert: LocalListEntry[] = [];
  const remove: string[] = [];
  for (const item of items) {
    const key = idTokenKey(item.idToken);
    const old = entries.get(key);
    if (old) bytes -= localListEntryBytes(old);
    if (item.idTokenInfo === undefined) {
      if (old) {
        entries.delete(key);
        remove.push(key);
      }
      continue;
    }
    const entry: LocalListEntry = { key, idToken: item.idToken, info: item.idTokenInfo };
    entries.set(key, entry);
    bytes += localListEntryBytes(entry);
    upsert.push(entry);
  }
  if (limits.maxEntries !== undefined && entries.size > limits.maxEntries) {
    return refused(
      'Failed',
      'TooManyElements',
      `the list would hold ${entries.size} idTokens, more than LocalAuthListCtrlr.Entries maxLimit (${limits.maxEntries})`,
    );
  }
  if (limits.maxBytes !== undefined && bytes > limits.maxBytes) {
    return refused(
      'Failed',
      'OutOfStorage',
      `the list would use ${bytes} bytes, more than LocalAuthListCtrlr.Storage maxLimit (${limits.maxBytes})`,
    );
  }
  return { status: 'Accepted', replace: full, version, upsert, remove, after: { version, entries, bytes } };
}

/**
 * Bytes the entry uses ({@link entryBytes}).
 *
 * @example
 * localListEntryBytes({ key, idToken: { idToken: 'A', type: 'Local' }, info: { status: 'Accepted' } }); // 78
 */
export function localListEntryBytes(entry: LocalListEntry): number {
  return entryBytes(entry.idToken, entry.info);
}

/**
 * GetLocalListVersion (D02): the version of the list when LocalAuthListCtrlr.Enabled is true
 * (D02.FR.01), which is 0 until the CSMS sent a list (D02.FR.02); 0 when not enabled (D02.FR.03).
 * A list emptied by a SendLocalList keeps its version (D02 remark).
 *
 * @example
 * localListVersion({ version: 3, entries: new Map(), bytes: 0 }, true); // 3
 * localListVersion({ version: 3, entries: new Map(), bytes: 0 }, false); // 0
 */
export function localListVersion(state: Pick<LocalListState, 'version'>, enabled: boolean): number {
  return enabled ? state.version : 0;
}

/**
 * The list's entry for a token (C13/C14): none when the token is not listed, or when
 * LocalAuthListCtrlr.SupportsExpiryDateTime is true and its cacheExpiryDateTime has passed (C14.FR.05:
 * disregarded "as if not present"; C14.FR.04: without cacheExpiryDateTime it never expires). With
 * SupportsExpiryDateTime false or absent, cacheExpiryDateTime is not looked at (C14.FR.02).
 *
 * @example
 * localListLookup(state, { idToken: 'A', type: 'ISO14443' }, now, true); // IdTokenInfoType | undefined
 */
export function localListLookup(
  state: Pick<LocalListState, 'entries'>,
  idToken: IdTokenType,
  now: DateTime,
  supportsExpiryDateTime: boolean,
): IdTokenInfoType | undefined {
  const entry = state.entries.get(idTokenKey(idToken));
  if (!entry) return undefined;
  const expiry = entry.info.cacheExpiryDateTime;
  if (supportsExpiryDateTime && expiry !== undefined) {
    const at = DateTime.fromISO(expiry, { setZone: true });
    if (!at.isValid || now.toMillis() > at.toMillis()) return undefined;
  }
  return entry.info;
}
